package dev.portfolio.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.backup.ArchiveLimits;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.backup.RestoreOptions;
import dev.portfolio.maintenance.testing.BackupFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and hostile archives are rejected by verify and restore before anything is written. */
class ArchiveCheckTest {
  @TempDir Path dir;

  private final ObjectMapper json = new ObjectMapper();
  private Path good;

  @BeforeEach
  void backup() {
    VectorStore store = new InMemoryVectorStore();
    BackupFixture.populate(store, "docs", 40);
    good =
        new BackupRun(store, ProgressReporter.SILENT)
            .run(dir.resolve("good.zip"), BackupOptions.all().withBuildingSets())
            .archive();
  }

  private BackupVerification verify(Path archive) {
    return new ArchiveCheck(ArchiveLimits.defaults()).verify(archive, ProgressReporter.SILENT);
  }

  @Test
  void theGoodArchiveIsValid() {
    BackupVerification v = verify(good);
    assertThat(v.problems()).isEmpty();
    assertThat(v.valid()).isTrue();
    assertThat(v.formatVersion()).isEqualTo(1);
    assertThat(v.collections().get(0).documents()).isEqualTo(40);
    assertThat(v.collections().get(0).sets()).hasSize(2);
  }

  @Test
  void aFlippedByteAnywhereIsDetected() throws IOException {
    byte[] bytes = Files.readAllBytes(good);
    Random random = new Random(20261130L);
    for (int i = 0; i < 40; i++) {
      int position = i < 4 ? bytes.length - 1 - i : random.nextInt(bytes.length);
      byte[] damaged = bytes.clone();
      damaged[position] ^= (byte) (1 << random.nextInt(8));
      Path file = Files.write(dir.resolve("flip-" + i + ".zip"), damaged);
      BackupVerification v = verify(file);
      assertThat(v.valid()).as("byte %d of %d flipped", position, bytes.length).isFalse();
      assertThat(v.problems()).as("byte %d", position).isNotEmpty();
    }
  }

  @Test
  void aDamagedEntryIsNamed() throws IOException {
    Path file =
        rewrite(
            good, "damaged.zip", Map.of("collections/0001/chunks.jsonl", b -> flipLast(b)), true);
    BackupVerification v = verify(file);
    assertThat(v.valid()).isFalse();
    assertThat(v.problems())
        .anyMatch(
            p -> p.startsWith("entry collections/0001/chunks.jsonl") && p.contains("SHA-256"));
  }

  @Test
  void truncatedFilesAndNonArchivesAreRejected() throws IOException {
    byte[] bytes = Files.readAllBytes(good);
    Path cut =
        Files.write(dir.resolve("cut.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(verify(cut).problems()).singleElement().asString().startsWith("structure:");
    Path text = Files.writeString(dir.resolve("notes.zip"), "not an archive at all, just text");
    assertThat(verify(text).problems()).singleElement().asString().startsWith("structure:");
  }

  @Test
  void pathTraversalAbsoluteAndUnknownNamesAreRejected() throws IOException {
    for (String name :
        List.of(
            "../../etc/cron.d/evil",
            "/etc/passwd",
            "collections/0001/../../x",
            "C:\\\\x",
            "extra.txt")) {
      Path file = withExtraEntry(name, "payload".getBytes(StandardCharsets.UTF_8));
      BackupVerification v = verify(file);
      assertThat(v.valid()).as(name).isFalse();
      assertThat(v.problems()).as(name).anyMatch(p -> p.contains("unexpected name"));
    }
  }

  @Test
  void duplicatedNamesAreRejected() throws IOException {
    // Two entries whose names differ in one byte, then patched to the same name everywhere.
    Path file = withExtraEntry("collections/0001/vectors-8.bin", new byte[] {1, 2, 3});
    byte[] bytes = Files.readAllBytes(file);
    replaceAll(
        bytes,
        "collections/0001/vectors-8.bin",
        "collections/0001/chunks.jsonl".substring(0, 0) + "collections/0001/vectors-9.bin");
    String existing = existingVectorsEntry();
    replaceAll(bytes, "collections/0001/vectors-9.bin", existing);
    Path dup = Files.write(dir.resolve("dup.zip"), bytes);
    BackupVerification v = verify(dup);
    assertThat(v.valid()).isFalse();
    assertThat(v.problems()).anyMatch(p -> p.contains("appears twice"));
  }

  @Test
  void symbolicLinksAreRejected() throws IOException {
    Path file =
        withExtraEntry(
            "collections/0001/vectors-77.bin", "/etc/shadow".getBytes(StandardCharsets.UTF_8));
    byte[] bytes = Files.readAllBytes(file);
    int central =
        lastIndexOf(bytes, "collections/0001/vectors-77.bin".getBytes(StandardCharsets.UTF_8)) - 46;
    assertThat(bytes[central]).isEqualTo((byte) 0x50);
    bytes[central + 5] = 3; // made by: Unix
    int mode = 0120777 << 16; // S_IFLNK | 0777
    bytes[central + 38] = (byte) mode;
    bytes[central + 39] = (byte) (mode >>> 8);
    bytes[central + 40] = (byte) (mode >>> 16);
    bytes[central + 41] = (byte) (mode >>> 24);
    Path link = Files.write(dir.resolve("link.zip"), bytes);
    BackupVerification v = verify(link);
    assertThat(v.valid()).isFalse();
    assertThat(v.problems())
        .anyMatch(p -> p.contains("vectors-77.bin") && p.contains("symbolic link"));
  }

  @Test
  void decompressionBombsAreStoppedByTheLimits() throws IOException {
    byte[] zeros = new byte[50 << 20];
    Path bomb = withExtraEntry("collections/0002/chunks.jsonl", zeros);
    BackupVerification v = verify(bomb);
    assertThat(v.valid()).isFalse();
    assertThat(v.problems())
        .anyMatch(p -> p.contains("compression ratio") || p.contains("not listed"));

    ArchiveLimits tight = new ArchiveLimits(100, 1 << 20, 4L << 20, 1_100);
    BackupVerification limited = new ArchiveCheck(tight).verify(bomb, ProgressReporter.SILENT);
    assertThat(limited.problems()).anyMatch(p -> p.contains("above the limit"));
  }

  @Test
  void anEntryThatInflatesBeyondItsDeclaredSizeIsStopped() throws IOException {
    Path file =
        rewrite(
            good,
            "longer.zip",
            Map.of("collections/0001/documents.jsonl", b -> concat(b, new byte[10 << 20])),
            false);
    BackupVerification v = verify(file);
    assertThat(v.valid()).isFalse();
    assertThat(v.problems())
        .anyMatch(p -> p.contains("documents.jsonl") && p.contains("the manifest says"));
  }

  @Test
  void aManifestThatLiesAboutCountsOrDimensionsIsCaught() throws IOException {
    Path counts =
        rewriteManifest(
            "counts.zip",
            m -> {
              ObjectNode c = (ObjectNode) m.get("collections").get(0);
              c.put("chunks", c.get("chunks").asLong() + 1);
              ((ObjectNode) c.get("sets").get(0)).put("vectors", 3);
              return m;
            });
    BackupVerification v = verify(counts);
    assertThat(v.valid()).isFalse();
    assertThat(v.problems())
        .anyMatch(p -> p.contains("chunks.jsonl") && p.contains("chunks, the manifest says"))
        .anyMatch(p -> p.contains("vectors, the manifest says 3"));

    Path dimension =
        rewriteManifest(
            "dimension.zip",
            m -> {
              ((ObjectNode) m.get("collections").get(0).get("sets").get(1)).put("dimension", 5);
              return m;
            });
    assertThat(verify(dimension).problems())
        .anyMatch(p -> p.contains("vectors of dimension 4, the manifest says 5"));
  }

  @Test
  void aManifestWithAnUnusableFilterKeyIsCaught() throws IOException {
    Path filters =
        rewriteManifest(
            "filters.zip",
            m -> {
              ObjectNode c = (ObjectNode) m.get("collections").get(0);
              c.putArray("filters").add("lang").add("bad\u0000key");
              return m;
            });
    BackupVerification v = verify(filters);
    assertThat(v.valid()).isFalse();
    assertThat(v.problems())
        .anyMatch(p -> p.startsWith("manifest: ") && p.contains("collection docs filters[1]"));
  }

  @Test
  void restoreRefusesABadArchiveBeforeWritingAnything() throws IOException {
    Path file =
        rewrite(good, "bad.zip", Map.of("collections/0001/chunks.jsonl", b -> flipLast(b)), true);
    VectorStore empty = new InMemoryVectorStore();
    assertThatThrownBy(
            () ->
                new RestoreRun(empty, ProgressReporter.SILENT)
                    .run(file, RestoreOptions.intoEmpty()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot be restored; nothing was written");
    assertThat(empty.listCollections()).isEmpty();
  }

  // ------------------------------------------------------------------------------ helpers

  private String existingVectorsEntry() throws IOException {
    try (ZipFile zip = new ZipFile(good.toFile())) {
      return zip.stream()
          .map(ZipEntry::getName)
          .filter(
              n ->
                  n.startsWith("collections/0001/vectors-")
                      && n.length() == "collections/0001/vectors-9.bin".length())
          .findFirst()
          .orElseThrow();
    }
  }

  private Path withExtraEntry(String name, byte[] content) throws IOException {
    Path file = dir.resolve("extra-" + Math.abs(name.hashCode()) + ".zip");
    try (ZipFile zip = new ZipFile(good.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        out.putNextEntry(new ZipEntry(e.getName()));
        try (InputStream in = zip.getInputStream(e)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry(name));
      out.write(content);
      out.closeEntry();
    }
    return file;
  }

  /**
   * Copies the archive through our own writer with some entries changed; the manifest and the seal
   * are rewritten, so only what the change breaks is wrong. With {@code keepManifest} the old
   * manifest's checksums are kept, so the entry's checksum no longer matches.
   */
  private Path rewrite(
      Path source, String name, Map<String, UnaryOperator<byte[]>> changes, boolean keepManifest)
      throws IOException {
    Map<String, byte[]> entries = read(source);
    ObjectNode oldManifest = (ObjectNode) json.readTree(entries.remove(ArchiveFormat.MANIFEST));
    changes.forEach((entry, change) -> entries.put(entry, change.apply(entries.get(entry))));
    Path target = dir.resolve(name);
    try (ArchiveWriter w = new ArchiveWriter(target, json)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        try (OutputStream out = w.entry(e.getKey())) {
          out.write(e.getValue());
        }
      }
      ObjectNode manifest = oldManifest.deepCopy();
      manifest.remove("entries");
      if (keepManifest) {
        ObjectNode sealed = oldManifest.deepCopy();
        w.entries().removeAll();
        w.entries().addAll((com.fasterxml.jackson.databind.node.ArrayNode) sealed.get("entries"));
      } else {
        // sizes stay as declared by the old manifest, so an entry that grew is "longer than
        // declared"
        w.entries().removeAll();
        w.entries()
            .addAll((com.fasterxml.jackson.databind.node.ArrayNode) oldManifest.get("entries"));
      }
      w.finish(json, manifest);
    }
    return target;
  }

  private Path rewriteManifest(String name, UnaryOperator<ObjectNode> change) throws IOException {
    Map<String, byte[]> entries = read(good);
    ObjectNode manifest = (ObjectNode) json.readTree(entries.remove(ArchiveFormat.MANIFEST));
    Path target = dir.resolve(name);
    try (ArchiveWriter w = new ArchiveWriter(target, json)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        try (OutputStream out = w.entry(e.getKey())) {
          out.write(e.getValue());
        }
      }
      manifest.remove("entries");
      w.finish(json, change.apply(manifest));
    }
    return target;
  }

  private static Map<String, byte[]> read(Path archive) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        try (InputStream in = zip.getInputStream(e)) {
          entries.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return entries;
  }

  private static byte[] flipLast(byte[] b) {
    byte[] c = b.clone();
    c[c.length - 2] ^= 0x20;
    return c;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static void replaceAll(byte[] bytes, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    assertThat(t).hasSameSizeAs(f);
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i + f.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
        at.add(i);
      }
    }
    assertThat(at).isNotEmpty();
    for (int i : at) {
      System.arraycopy(t, 0, bytes, i, t.length);
    }
  }

  private static int lastIndexOf(byte[] bytes, byte[] pattern) {
    for (int i = bytes.length - pattern.length; i >= 0; i--) {
      if (java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
        return i;
      }
    }
    return -1;
  }
}
