package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.backup.RestoreOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * Backup and restore of a collection on PostgreSQL against raw COPY of the same rows, measured in
 * the same run: {@code COPY (SELECT id, text, metadata, embedding ...) TO STDOUT (FORMAT binary)}
 * into a file for the backup side, and {@code COPY ... FROM STDIN (FORMAT binary)} of the same rows
 * into a bare {@code (id uuid PRIMARY KEY, embedding vector(384), text text, metadata jsonb)} table
 * for the restore side. Reports rows/s, the ratios, the archive size next to the raw COPY file, and
 * the time of {@code verifyBackup} (which restore runs first), medians of the runs.
 *
 * <p>Run with {@code scripts/bench-backup.sh [runs (default 3)] [documents of 10 chunks (default
 * 10000)]}.
 */
public final class BackupBenchmark {
  private static final String SCHEMA = "portfolio_bench_backup";
  private static final String COLLECTION = "bench";

  private BackupBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args runs, documents
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int documents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    if (url == null || url.isBlank()) {
      url = "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";
    }
    SyntheticCorpus data = SyntheticCorpus.generate(documents, 1);
    System.out.printf(
        Locale.ROOT,
        "backup benchmark: %d documents x %d chunks (%d rows), %d-d vectors, %d runs, %s%n",
        documents,
        SyntheticCorpus.CHUNKS_PER_DOCUMENT,
        data.rows(),
        SyntheticCorpus.DIMENSION,
        runs,
        PgPoolOptions.redact(url));
    List<double[]> results = new ArrayList<>();
    Path dir = Files.createTempDirectory("portfolio-bench-backup");
    try (HikariDataSource pool =
        PgDataSources.pooled(
            PgPoolOptions.builder(url).poolSize(4).statementTimeout(Duration.ofHours(1)).build())) {
      for (int run = 1; run <= runs; run++) {
        double[] r = run(pool, data, dir);
        results.add(r);
        System.out.printf(
            Locale.ROOT,
            "run %d: COPY out %,.0f rows/s, backup %,.0f rows/s (%.2fx); COPY in %,.0f rows/s,"
                + " restore %,.0f rows/s (%.2fx); verify %.1f s; archive %.1f MB, COPY file %.1f MB%n",
            run,
            data.rows() / r[0],
            data.rows() / r[1],
            r[0] / r[1],
            data.rows() / r[2],
            data.rows() / r[3],
            r[2] / r[3],
            r[4],
            r[5] / 1e6,
            r[6] / 1e6);
      }
      execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    double copyOut = median(results, 0);
    double backup = median(results, 1);
    double copyIn = median(results, 2);
    double restore = median(results, 3);
    int rows = data.rows();
    System.out.printf(
        Locale.ROOT,
        "%n| medians of %d runs, %,d rows | rows/s | vs raw COPY |%n|---|---|---|%n"
            + "| raw `COPY ... TO STDOUT (FORMAT binary)` into a file | %,.0f | 1.00x |%n"
            + "| `Maintenance.backup` (archive %.1f MB; raw COPY file %.1f MB) | %,.0f | %.2fx |%n"
            + "| raw `COPY ... FROM STDIN (FORMAT binary)` into a bare table | %,.0f | 1.00x |%n"
            + "| `Maintenance.restore` (verify %.1f s included) | %,.0f | %.2fx |%n",
        runs,
        rows,
        rows / copyOut,
        median(results, 5) / 1e6,
        median(results, 6) / 1e6,
        rows / backup,
        copyOut / backup,
        rows / copyIn,
        median(results, 4),
        rows / restore,
        copyIn / restore);
  }

  /** Returns copy-out s, backup s, copy-in s, restore s, verify s, archive bytes, copy bytes. */
  private static double[] run(HikariDataSource pool, SyntheticCorpus data, Path dir)
      throws SQLException, IOException {
    execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
    try (PgVectorStore store =
        PgVectorStore.builder(pool)
            .schema(SCHEMA)
            .annIndexOnCreate(false)
            .operationLog(false)
            .build()) {
      store.createCollection(
          CollectionSpec.of(COLLECTION, SyntheticCorpus.MODEL, SyntheticCorpus.DIMENSION));
      UpsertResult loaded = store.upsert(COLLECTION, data.documents());
      if (!loaded.failures().isEmpty()) {
        throw new IllegalStateException("load failed: " + loaded.failures().get(0));
      }
      execute(pool, "VACUUM ANALYZE " + SCHEMA + ".chunks");
      long setId = store.activeSet(COLLECTION).id();

      Path copyFile = dir.resolve("copy.bin");
      long start = System.nanoTime();
      try (Connection c = pool.getConnection();
          OutputStream out = Files.newOutputStream(copyFile)) {
        long copied =
            c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyOut(
                    "COPY (SELECT c.id, c.text, c.metadata, e.embedding FROM "
                        + SCHEMA
                        + ".chunks c JOIN "
                        + SCHEMA
                        + ".embeddings e ON e.chunk_id = c.id AND e.set_id = "
                        + setId
                        + ") TO STDOUT (FORMAT binary)",
                    out);
        if (copied != data.rows()) {
          throw new IllegalStateException("COPY out gave " + copied + " rows");
        }
      }
      double copyOut = (System.nanoTime() - start) / 1e9;
      long copyBytes = Files.size(copyFile);
      Files.delete(copyFile);

      Maintenance maintenance =
          Maintenance.builder().store(store).progress(ProgressReporter.SILENT).build();
      start = System.nanoTime();
      BackupResult backup = maintenance.backup(dir, BackupOptions.of(COLLECTION));
      double backupSeconds = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      BackupVerification verification = maintenance.verifyBackup(backup.archive());
      double verifySeconds = (System.nanoTime() - start) / 1e9;
      if (!verification.valid()) {
        throw new IllegalStateException(verification.toString());
      }

      double copyIn = new BareTableCopy(SCHEMA, "bench_bare").load(pool, data);

      start = System.nanoTime();
      maintenance.restore(
          backup.archive(), RestoreOptions.intoEmpty().renamed(COLLECTION, "restored"));
      double restoreSeconds = (System.nanoTime() - start) / 1e9;
      long archiveBytes = backup.bytes();
      Files.delete(backup.archive());
      return new double[] {
        copyOut, backupSeconds, copyIn, restoreSeconds, verifySeconds, archiveBytes, copyBytes
      };
    }
  }

  private static double median(List<double[]> results, int k) {
    double[] v = results.stream().mapToDouble(r -> r[k]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
