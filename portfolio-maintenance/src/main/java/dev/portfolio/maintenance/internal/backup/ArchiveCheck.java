package dev.portfolio.maintenance.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.backup.ArchiveLimits;
import dev.portfolio.maintenance.backup.ArchivedCollection;
import dev.portfolio.maintenance.backup.ArchivedCollection.ArchivedSet;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.internal.backup.JsonRecords.ChunkLine;
import dev.portfolio.maintenance.internal.backup.JsonRecords.DocumentLine;
import dev.portfolio.maintenance.internal.backup.VectorRecords.VectorRecord;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks an archive before anything trusts it: the structure (names, links, duplicates, sizes
 * against {@link ArchiveLimits}), the checksum of the whole file and of every entry, the manifest,
 * and the content (every line parses, counts match, chunks follow their documents, every vector
 * parses with its set's dimension). Reads each entry once, streaming.
 */
public final class ArchiveCheck {
  private static final long MAX_MANIFEST_BYTES = 16L << 20;

  private final ArchiveLimits limits;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Prepares checks with these limits.
   *
   * @param limits the size limits
   */
  public ArchiveCheck(ArchiveLimits limits) {
    this.limits = limits;
  }

  /**
   * Checks an archive.
   *
   * @param archive the file
   * @param reporter where progress goes
   * @return the verdict, naming every problem found
   */
  public BackupVerification verify(Path archive, ProgressReporter reporter) {
    List<String> problems = new ArrayList<>();
    ZipDirectory directory;
    try {
      directory = ZipDirectory.read(archive, limits.maxEntries());
    } catch (IOException | IllegalArgumentException e) {
      problems.add("structure: " + e.getMessage());
      return invalid(archive, problems);
    }
    Map<String, ZipDirectory.Entry> byName = new HashMap<>();
    long total = 0;
    for (ZipDirectory.Entry e : directory.entries()) {
      String problem = entryProblem(e);
      if (problem != null) {
        problems.add("entry " + printable(e.name()) + ": " + problem);
      }
      byName.put(e.name(), e);
      total += e.size();
    }
    if (total > limits.maxTotalBytes()) {
      problems.add(
          "structure: entries inflate to "
              + total
              + " bytes, above the limit "
              + limits.maxTotalBytes());
    }
    if (!byName.containsKey(ArchiveFormat.MANIFEST)) {
      problems.add("structure: manifest.json is missing");
    }
    if (!problems.isEmpty()) {
      return invalid(archive, problems);
    }
    checkFileDigest(archive, directory, problems);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      JsonNode manifest = readManifest(zip, byName.get(ArchiveFormat.MANIFEST), problems);
      if (manifest == null) {
        return invalid(archive, problems);
      }
      Map<String, JsonNode> declared = declaredEntries(manifest, byName, problems);
      List<ArchivedCollection> collections = new ArrayList<>();
      long chunks = 0;
      for (JsonNode c : manifest.path("collections")) {
        chunks += c.path("chunks").asLong();
      }
      try (ProgressTracker progress =
          ProgressTracker.start(reporter, "verify " + archive.getFileName(), chunks)) {
        for (JsonNode c : manifest.path("collections")) {
          ArchivedCollection checked = checkCollection(zip, c, declared, problems, progress);
          if (checked != null) {
            collections.add(checked);
          }
        }
        if (problems.isEmpty()) {
          progress.succeed("valid");
        } else {
          progress.fail(problems.size() + " problems");
        }
      }
      return new BackupVerification(
          archive,
          problems.isEmpty(),
          problems,
          manifest.path("formatVersion").asInt(),
          manifest.path("libraryVersion").asText(""),
          parseInstant(manifest.path("createdAt").asText(null)),
          collections);
    } catch (IOException e) {
      problems.add("structure: " + e.getMessage());
      return invalid(archive, problems);
    }
  }

  private String entryProblem(ZipDirectory.Entry e) {
    if (!ArchiveFormat.ENTRY_NAME.matcher(e.name()).matches()) {
      return "unexpected name (an archive holds only manifest.json and collections/NNNN/...)";
    }
    if (e.symlink()) {
      return "is a symbolic link";
    }
    if (e.encrypted()) {
      return "is encrypted";
    }
    if (e.method() != 0 && e.method() != 8) {
      return "uses compression method " + e.method() + " (only stored and deflated are read)";
    }
    if (e.size() > limits.maxEntryBytes()) {
      return "inflates to " + e.size() + " bytes, above the limit " + limits.maxEntryBytes();
    }
    if (e.size() > 4096 && e.size() / Math.max(1, e.compressedSize()) > limits.maxRatio()) {
      return "compression ratio "
          + e.size() / Math.max(1, e.compressedSize())
          + " is above the limit "
          + limits.maxRatio()
          + " (a decompression bomb?)";
    }
    return null;
  }

  private static void checkFileDigest(Path archive, ZipDirectory directory, List<String> problems) {
    String comment = directory.comment();
    if (!comment.startsWith(ArchiveFormat.DIGEST_PREFIX)) {
      problems.add(
          "structure: the archive comment carries no checksum (not written by Portfolio?)");
      return;
    }
    try {
      String actual =
          ArchiveFormat.hex(ArchiveWriter.prefixDigest(archive, directory.commentOffset()));
      if (!actual.equals(comment.substring(ArchiveFormat.DIGEST_PREFIX.length()))) {
        problems.add(
            "file: the SHA-256 of the archive differs from the one it was sealed with (bytes"
                + " changed after it was written)");
      }
    } catch (IOException e) {
      problems.add("file: " + e.getMessage());
    }
  }

  private JsonNode readManifest(ZipFile zip, ZipDirectory.Entry entry, List<String> problems) {
    if (entry.size() > MAX_MANIFEST_BYTES) {
      problems.add("manifest.json: larger than " + MAX_MANIFEST_BYTES + " bytes");
      return null;
    }
    try (InputStream in =
        new Bounded(zip.getInputStream(zip.getEntry(ArchiveFormat.MANIFEST)), entry.size(), null)) {
      JsonNode m = json.readTree(in);
      if (!ArchiveFormat.FORMAT.equals(m.path("format").asText())) {
        problems.add("manifest.json: not a Portfolio backup manifest");
        return null;
      }
      int version = m.path("formatVersion").asInt();
      if (version != ArchiveFormat.VERSION) {
        problems.add(
            "manifest.json: format version "
                + version
                + "; this library reads version "
                + ArchiveFormat.VERSION
                + (version > ArchiveFormat.VERSION ? " (written by a newer Portfolio)" : ""));
        return null;
      }
      return m;
    } catch (IOException | RuntimeException e) {
      problems.add("manifest.json: unreadable: " + e.getMessage());
      return null;
    }
  }

  private static Map<String, JsonNode> declaredEntries(
      JsonNode manifest, Map<String, ZipDirectory.Entry> present, List<String> problems) {
    Map<String, JsonNode> declared = new HashMap<>();
    for (JsonNode e : manifest.path("entries")) {
      String name = e.path("name").asText();
      if (declared.put(name, e) != null) {
        problems.add("manifest.json: entry " + printable(name) + " is listed twice");
      }
      ZipDirectory.Entry actual = present.get(name);
      if (actual == null) {
        problems.add("entry " + printable(name) + ": listed in the manifest but missing");
      } else if (actual.size() != e.path("size").asLong(-1)) {
        problems.add(
            "entry "
                + printable(name)
                + ": "
                + actual.size()
                + " bytes, the manifest says "
                + e.path("size").asLong(-1));
      }
    }
    for (String name : present.keySet()) {
      if (!name.equals(ArchiveFormat.MANIFEST) && !declared.containsKey(name)) {
        problems.add("entry " + printable(name) + ": not listed in the manifest");
      }
    }
    return declared;
  }

  private ArchivedCollection checkCollection(
      ZipFile zip,
      JsonNode c,
      Map<String, JsonNode> declared,
      List<String> problems,
      ProgressTracker progress) {
    String name = c.path("name").asText("?");
    String dir = c.path("directory").asText("");
    int before = problems.size();
    String docsName = dir + "/documents.jsonl";
    String chunksName = dir + "/chunks.jsonl";
    long documents = 0;
    long chunks = 0;
    try (Bounded docsIn = open(zip, docsName, declared);
        Bounded chunksIn = open(zip, chunksName, declared);
        BufferedReader docs = reader(docsIn);
        BufferedReader chunkLines = reader(chunksIn)) {
      String docLine = null;
      try {
        String pendingChunk = chunkLines.readLine();
        while ((docLine = docs.readLine()) != null) {
          DocumentLine d = parse(docLine, docsName, documents + 1, JsonRecords::document);
          documents++;
          int count = 0;
          while (pendingChunk != null) {
            ChunkLine ch = parse(pendingChunk, chunksName, chunks + 1, JsonRecords::chunk);
            if (!ch.documentKey().equals(d.key())) {
              break;
            }
            chunks++;
            count++;
            pendingChunk = chunkLines.readLine();
          }
          progress.advance(count);
        }
        if (pendingChunk != null) {
          problems.add(
              "entry "
                  + chunksName
                  + ": line "
                  + (chunks + 1)
                  + " belongs to no document or is out of document order");
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
      // The checksums name the damaged entry even when its content stopped the parse.
      docsIn.finish(problems);
      chunksIn.finish(problems);
    } catch (IOException | RuntimeException e) {
      problems.add("collection " + name + ": " + describe(e, docsName + " or " + chunksName));
    }
    if (documents != c.path("documents").asLong(-1)) {
      problems.add(
          "entry "
              + docsName
              + ": "
              + documents
              + " documents, the manifest says "
              + c.path("documents"));
    }
    if (chunks != c.path("chunks").asLong(-1)) {
      problems.add(
          "entry " + chunksName + ": " + chunks + " chunks, the manifest says " + c.path("chunks"));
    }
    List<ArchivedSet> sets = new ArrayList<>();
    for (JsonNode s : c.path("sets")) {
      long id = s.path("id").asLong();
      int dimension = s.path("dimension").asInt();
      String entry = dir + "/vectors-" + id + ".bin";
      long vectors = checkVectors(zip, entry, dimension, declared, problems);
      if (vectors != s.path("vectors").asLong(-1)) {
        problems.add(
            "entry " + entry + ": " + vectors + " vectors, the manifest says " + s.path("vectors"));
      }
      sets.add(
          new ArchivedSet(
              id, s.path("model").asText(), dimension, s.path("state").asText(), vectors));
    }
    String collectionJson = dir + "/collection.json";
    try (Bounded in = open(zip, collectionJson, declared)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      in.finish(problems);
    } catch (IOException | RuntimeException e) {
      problems.add("entry " + collectionJson + ": " + describe(e, collectionJson));
    }
    List<String> filters = new ArrayList<>();
    c.path("filters").forEach(k -> filters.add(k.asText()));
    try {
      MetadataFilters.validateKeys("collection " + name + " filters", filters);
    } catch (InvalidInputException e) {
      problems.add("manifest: " + e.getMessage());
    }
    if (problems.size() > before) {
      return null;
    }
    return new ArchivedCollection(
        name,
        c.path("model").asText(),
        c.path("dimension").asInt(),
        c.path("distance").asText(),
        documents,
        chunks,
        sets,
        filters);
  }

  private <T> T parse(
      String line, String entry, long number, java.util.function.Function<JsonNode, T> reader) {
    try {
      return reader.apply(json.readTree(line));
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      int cut = m.indexOf('\n');
      throw new IllegalArgumentException(
          "entry "
              + entry
              + ": line "
              + number
              + " is malformed: "
              + (cut < 0 ? m : m.substring(0, cut)),
          e);
    }
  }

  private long checkVectors(
      ZipFile zip,
      String entry,
      int dimension,
      Map<String, JsonNode> declared,
      List<String> problems) {
    long count = 0;
    try (Bounded raw = open(zip, entry, declared);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      int header = VectorRecords.readHeader(in, entry);
      if (header != dimension) {
        problems.add(
            "entry "
                + entry
                + ": vectors of dimension "
                + header
                + ", the manifest says "
                + dimension);
        return -1;
      }
      VectorRecord r;
      while ((r = VectorRecords.read(in, dimension)) != null) {
        if (r.documentKey().isEmpty()) {
          problems.add("entry " + entry + ": vector " + (count + 1) + " has no document key");
          return count;
        }
        count++;
      }
      raw.finish(problems);
    } catch (java.io.EOFException e) {
      problems.add(
          "entry "
              + entry
              + ": ends inside vector "
              + (count + 1)
              + " (its dimension is not "
              + dimension
              + ", or the entry is cut)");
    } catch (IOException | RuntimeException e) {
      problems.add("entry " + entry + ": " + describe(e, entry));
    }
    return count;
  }

  private Bounded open(ZipFile zip, String name, Map<String, JsonNode> declared)
      throws IOException {
    ZipEntry entry = zip.getEntry(name);
    JsonNode d = declared.get(name);
    if (entry == null || d == null) {
      throw new IllegalArgumentException("entry " + name + " is missing");
    }
    return new Bounded(
        zip.getInputStream(entry), d.path("size").asLong(), d.path("sha256").asText(), name);
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  private static String describe(Exception e, String where) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.startsWith("entry ") ? m : "damaged or malformed (" + where + "): " + m;
  }

  private static String printable(String name) {
    StringBuilder sb = new StringBuilder();
    name.codePoints()
        .limit(120)
        .forEach(cp -> sb.append(cp < 0x20 || cp == 0x7f ? "?" : Character.toString(cp)));
    return "'" + sb + "'";
  }

  private static Instant parseInstant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static BackupVerification invalid(Path archive, List<String> problems) {
    return new BackupVerification(archive, false, problems, 0, "", null, List.of());
  }

  /**
   * An entry's stream that refuses to inflate beyond its declared size and hashes what it reads.
   */
  static final class Bounded extends FilterInputStream {
    private final long limit;
    private final String expectedSha;
    private final String name;
    private final MessageDigest sha = ArchiveWriter.sha256();
    private long read;

    Bounded(InputStream in, long limit, String expectedSha) {
      this(in, limit, expectedSha, ArchiveFormat.MANIFEST);
    }

    Bounded(InputStream in, long limit, String expectedSha, String name) {
      super(in);
      this.limit = limit;
      this.expectedSha = expectedSha;
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, (int) Math.min(len, Math.max(1, limit - read + 1)));
      if (n > 0) {
        read += n;
        if (read > limit) {
          throw new IOException(
              "entry " + name + ": inflates beyond the " + limit + " bytes the manifest declares");
        }
        sha.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new IOException("skip is not supported");
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** Drains the rest and compares the checksum. */
    void finish(List<String> problems) throws IOException {
      transferTo(java.io.OutputStream.nullOutputStream());
      if (read != limit) {
        problems.add("entry " + name + ": " + read + " bytes, the manifest says " + limit);
      } else if (expectedSha != null && !ArchiveFormat.hex(sha.digest()).equals(expectedSha)) {
        problems.add(
            "entry " + name + ": SHA-256 differs from the manifest (the entry is damaged)");
      }
    }
  }
}
