package dev.portfolio.maintenance.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.pgvector.PgCollectionExport;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.BackupFixture;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL backup path ({@link PgCollectionExport}: COPY BINARY in one snapshot): archives it
 * writes restore bit-exactly into PostgreSQL and into the in-memory store, archives of the
 * in-memory store restore into PostgreSQL, both thread settings write the same entries, and the
 * checksums it computes while streaming are those of the file.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgBackupCopyIT {
  @TempDir Path dir;

  private HikariDataSource pool;
  private PgVectorStore store;
  private PgVectorStore other;
  private String otherSchema;
  private TestSchema db;
  private List<String> original;

  @BeforeAll
  void open(TestSchema schema) throws SQLException {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    otherSchema = db.name() + "_copy";
    PortfolioSchema.install(db.dataSource(), SchemaOptions.forSchema(otherSchema));
    other = PgVectorStore.builder(pool).schema(otherSchema).build();
    BackupFixture.populate(store, "docs", 300);
    original = BackupFixture.picture(store, "docs");
  }

  @AfterAll
  void close() throws SQLException {
    store.close();
    other.close();
    pool.close();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + otherSchema + "\" CASCADE");
    }
  }

  private static Maintenance maintenance(VectorStore s) {
    return Maintenance.builder().store(s).progress(ProgressReporter.SILENT).build();
  }

  @Test
  void anArchiveWrittenWithCopyRestoresBitExactIntoPostgresAndIntoMemory() throws Exception {
    BackupResult backup =
        maintenance(store).backup(dir, BackupOptions.of("docs").withBuildingSets());
    assertThat(backup.documents()).isEqualTo(300);
    assertThat(backup.chunks()).isEqualTo(900);
    assertThat(backup.sha256())
        .as("the digest computed while streaming is the file's")
        .isEqualTo(sha256(backup.archive()));
    assertThat(maintenance(store).verifyBackup(backup.archive()).valid()).isTrue();

    maintenance(other)
        .restore(backup.archive(), RestoreOptions.intoEmpty().renamed("docs", "from-copy"));
    assertThat(BackupFixture.picture(other, "from-copy")).isEqualTo(original);

    VectorStore memory = new InMemoryVectorStore();
    maintenance(memory).restore(backup.archive(), RestoreOptions.intoEmpty());
    assertThat(BackupFixture.picture(memory, "docs")).isEqualTo(original);
  }

  @Test
  void anArchiveOfTheInMemoryStoreRestoresIntoPostgres() {
    VectorStore memory = new InMemoryVectorStore();
    BackupFixture.populate(memory, "mem", 120);
    List<String> picture = BackupFixture.picture(memory, "mem");
    BackupResult backup =
        maintenance(memory).backup(dir, BackupOptions.of("mem").withBuildingSets());

    maintenance(other).restore(backup.archive(), RestoreOptions.intoEmpty());
    assertThat(BackupFixture.picture(other, "mem")).isEqualTo(picture);

    // and back out of PostgreSQL with COPY: the same picture again
    BackupResult again = maintenance(other).backup(dir, BackupOptions.of("mem").withBuildingSets());
    VectorStore memory2 = new InMemoryVectorStore();
    maintenance(memory2).restore(again.archive(), RestoreOptions.intoEmpty());
    assertThat(BackupFixture.picture(memory2, "mem")).isEqualTo(picture);
  }

  @Test
  void oneThreadAndTwoThreadsWriteTheSameEntries() throws Exception {
    BackupResult one =
        maintenance(store).backup(dir.resolve("one.zip"), BackupOptions.of("docs").withJobs(1));
    BackupResult two =
        maintenance(store).backup(dir.resolve("two.zip"), BackupOptions.of("docs").withJobs(2));
    assertThat(entryHashes(one.archive())).isEqualTo(entryHashes(two.archive()));
    assertThat(sha256(one.archive())).isEqualTo(one.sha256());
    assertThat(sha256(two.archive())).isEqualTo(two.sha256());
  }

  @Test
  void aFlippedByteInAStoredVectorsEntryIsNamed() throws Exception {
    BackupResult backup =
        maintenance(store).backup(dir.resolve("flip.zip"), BackupOptions.of("docs"));
    long offset;
    String vectors;
    try (ZipFile zip = new ZipFile(backup.archive().toFile())) {
      ZipEntry e =
          zip.stream().filter(z -> z.getName().contains("/vectors-")).findFirst().orElseThrow();
      vectors = e.getName();
      offset = localDataOffset(backup.archive(), zip, e) + e.getCompressedSize() / 2;
    }
    try (RandomAccessFile f = new RandomAccessFile(backup.archive().toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x10);
    }
    BackupVerification v = maintenance(store).verifyBackup(backup.archive());
    assertThat(v.valid()).isFalse();
    assertThat(String.join("\n", v.problems())).contains("entry " + vectors);
  }

  @Test
  void theExportReadsOneSnapshotWhateverWritersDoMeanwhile() throws Exception {
    BackupFixture.populate(store, "moving", 30);
    List<String> keys = new ArrayList<>();
    long chunks;
    try (PgCollectionExport export = PgCollectionExport.open(store)) {
      export.documents("moving", d -> keys.add(d.key()));
      // A writer adds a document after the snapshot began: the export does not see its chunks.
      store.upsert(
          "moving",
          List.of(
              DocumentInput.builder("late")
                  .sourceId("s")
                  .chunk(
                      new ChunkInput(
                          0,
                          "late text",
                          2,
                          Embedding.of(new float[] {1, 2, 3, 4, 5, 6}),
                          BackupFixture.MODEL,
                          Map.of()))
                  .build()));
      long[] count = {0};
      export.chunks(
          "moving",
          c -> {
            assertThat(c.documentKey()).isNotEqualTo("late");
            count[0]++;
          });
      chunks = count[0];
    }
    assertThat(keys).hasSize(30).doesNotContain("late");
    assertThat(chunks).isEqualTo(90);
  }

  private static long localDataOffset(Path file, ZipFile zip, ZipEntry target) throws Exception {
    // Walk the local headers in order: each is 30 bytes + name + extra, then the data.
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long pos = 0;
      for (ZipEntry e : zip.stream().toList()) {
        f.seek(pos + 26);
        int nameLength = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
        int extraLength = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
        long data = pos + 30 + nameLength + extraLength;
        if (e.getName().equals(target.getName())) {
          return data;
        }
        // data descriptor after the data: signature + crc + sizes (16 bytes)
        pos = data + e.getCompressedSize() + 16;
      }
    }
    throw new IllegalStateException("entry not found");
  }

  private static List<String> entryHashes(Path archive) throws Exception {
    List<String> out = new ArrayList<>();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        if (e.getName().equals("manifest.json")) {
          continue;
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(zip.getInputStream(e).readAllBytes());
        out.add(e.getName() + " " + HexFormat.of().formatHex(md.digest()));
      }
    }
    out.sort(null);
    return out;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
