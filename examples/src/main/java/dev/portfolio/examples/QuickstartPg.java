package dev.portfolio.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.progress.ConsoleProgressReporter;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.MigrationResult;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.ingest.IngestDocument;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.ingest.IngestResult;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The quickstart on PostgreSQL + pgvector: installs the schema, ingests the bundled sample corpus
 * through {@link Maintenance#ingest} (twice: the second pass embeds nothing), searches, prints
 * diagnostics, switches the collection to a second model with zero search downtime, prints the
 * first query's hits before and after and the diagnostics again, then backs the collection up and
 * verifies the archive.
 *
 * <p>Run it with {@code PORTFOLIO_JDBC_URL=jdbc:postgresql://... scripts/quickstart-pg.sh [query
 * ...]}. The schema is {@code PORTFOLIO_SCHEMA} (default {@value #DEFAULT_SCHEMA}); the collection
 * {@value #COLLECTION} of an earlier run is dropped first, so every run tells the whole story. The
 * archive goes to {@code PORTFOLIO_BACKUP_DIR} (default: a new temporary directory). The embedders
 * are those of {@link Quickstart}.
 */
public final class QuickstartPg {
  /** The schema used when {@code PORTFOLIO_SCHEMA} is not set: {@value}. */
  public static final String DEFAULT_SCHEMA = "portfolio_quickstart";

  /** The collection the story works on: {@value}. */
  public static final String COLLECTION = "quickstart";

  private final PrintStream out;
  private final ProgressReporter progress;

  private QuickstartPg(PrintStream out, ProgressReporter progress) {
    this.out = out;
    this.progress = progress;
  }

  /**
   * Runs the quickstart on the database named by {@code PORTFOLIO_JDBC_URL}.
   *
   * @param args search queries to run instead of the built-in ones
   */
  public static void main(String[] args) {
    String url = System.getenv("PORTFOLIO_JDBC_URL");
    if (url == null || url.isBlank()) {
      System.err.println(
          "quickstart-pg needs a database: set PORTFOLIO_JDBC_URL, e.g."
              + " jdbc:postgresql://127.0.0.1:5432/app?user=portfolio&password=... (the server needs"
              + " the vector extension; scripts/provision-postgres.sh sets one up)");
      System.exit(2);
    }
    for (String a : args) {
      if (a.startsWith("-")) {
        System.err.println("Unknown option " + a + ". Usage: scripts/quickstart-pg.sh [query ...]");
        System.exit(2);
      }
    }
    String schema = envOr("PORTFOLIO_SCHEMA", DEFAULT_SCHEMA);
    try (HikariDataSource pool = PgDataSources.pooled(PgPoolOptions.builder(url).build())) {
      String backupDir = System.getenv("PORTFOLIO_BACKUP_DIR");
      Path backups =
          backupDir == null || backupDir.isBlank()
              ? Files.createTempDirectory("portfolio-quickstart-")
              : Path.of(backupDir);
      run(
          System.out,
          new ConsoleProgressReporter(),
          pool,
          schema,
          Map.of("provider", Quickstart.chooseEmbedder()),
          backups,
          args.length == 0 ? Quickstart.DEFAULT_QUERIES : List.of(args));
    } catch (PortfolioException e) {
      System.err.println("quickstart-pg failed [" + e.code() + "]: " + e.getMessage());
      System.exit(1);
    } catch (IOException e) {
      System.err.println("quickstart-pg failed: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Tells the whole story on a database.
   *
   * @param out where the story goes
   * @param progress where progress goes
   * @param dataSource the database, with the vector extension available
   * @param schema the schema to install into and work in
   * @param embedderConfig the first model's embedder configuration ({@link Providers#embedder})
   * @param backupDir the directory the archive goes to; created when missing
   * @param queries the queries; the first one is shown before and after the switch
   * @return the verification of the archive written
   */
  static BackupVerification run(
      PrintStream out,
      ProgressReporter progress,
      DataSource dataSource,
      String schema,
      Map<String, String> embedderConfig,
      Path backupDir,
      List<String> queries) {
    return new QuickstartPg(out, progress)
        .tell(dataSource, schema, embedderConfig, backupDir, queries);
  }

  private BackupVerification tell(
      DataSource dataSource,
      String schema,
      Map<String, String> embedderConfig,
      Path backupDir,
      List<String> queries) {
    MigrationResult installed =
        PortfolioSchema.install(dataSource, SchemaOptions.forSchema(schema));
    out.println(
        installed.applied().isEmpty()
            ? "Schema \""
                + schema
                + "\" is at version "
                + installed.toVersion()
                + "; nothing to install."
            : "Installed schema \""
                + schema
                + "\" at version "
                + installed.toVersion()
                + " (was "
                + installed.fromVersion()
                + "): applied migrations "
                + installed.applied());
    try (Embedder embedder = Providers.embedder(embedderConfig);
        PgVectorStore store = PgVectorStore.builder(dataSource).schema(schema).build()) {
      out.printf(
          Locale.ROOT,
          "Portfolio quickstart on PostgreSQL (schema %s), embedder %s (%d dimensions)%n",
          schema,
          embedder.info().modelRef(),
          embedder.info().dimension());
      if (store.dropCollection(COLLECTION)) {
        out.println("Dropped collection '" + COLLECTION + "' of an earlier run.");
      }
      Maintenance maintenance =
          Maintenance.builder().store(store).embedder(embedder).progress(progress).build();
      List<IngestDocument> corpus =
          Quickstart.Corpus.load().stream()
              .map(
                  e ->
                      IngestDocument.builder(e.file())
                          .sourceId("corpus/" + e.file())
                          .title(e.title())
                          .metadata("title", e.title())
                          .text(e.text())
                          .build())
              .toList();
      out.println("First pass:  " + describe(maintenance.ingest(COLLECTION, corpus, opts())));
      out.println("Second pass: " + describe(maintenance.ingest(COLLECTION, corpus, opts())));
      CollectionStats stats = store.stats(COLLECTION);
      out.printf(
          Locale.ROOT,
          "Collection '%s': %d documents ready, %d chunks, %.1f%% embedded%n",
          COLLECTION,
          stats.documentsByStatus().getOrDefault(DocumentStatus.READY, 0L),
          stats.chunks(),
          stats.coverage() * 100);
      for (String query : queries) {
        var vector = embedder.embedQuery(query);
        Quickstart.printHits(
            out, "Vector search", query, store.search(VectorQuery.of(COLLECTION, vector, 3)));
        Quickstart.printHits(
            out,
            "Keyword search",
            query,
            store.keywordSearch(KeywordQuery.of(COLLECTION, query, 3)));
        Quickstart.printHits(
            out,
            "Hybrid search",
            query,
            store.hybridSearch(HybridQuery.of(COLLECTION, vector, query, 3)));
      }
      switchModel(store, maintenance, embedder, embedderConfig, queries.get(0));
      return backup(maintenance, backupDir);
    }
  }

  private static IngestOptions opts() {
    return IngestOptions.builder().batchSize(16).build();
  }

  private static String describe(IngestResult r) {
    return String.format(
        Locale.ROOT,
        "%d documents read: %d added, %d updated, %d unchanged, %d failed; %d chunks embedded"
            + " in %d embedder calls (%.2f s)",
        r.read(),
        r.added(),
        r.updated(),
        r.unchanged(),
        r.failed(),
        r.chunksEmbedded(),
        r.embedderCalls(),
        r.elapsed().toNanos() / 1e9);
  }

  private void switchModel(
      PgVectorStore store,
      Maintenance maintenance,
      Embedder from,
      Map<String, String> fromConfig,
      String query) {
    Map<String, String> nextConfig = new HashMap<>(Quickstart.nextEmbedderConfig(from));
    if (fromConfig.containsKey("dimension") && "hashing".equals(nextConfig.get("provider"))) {
      nextConfig.put("dimension", String.valueOf(from.info().dimension() * 2));
    }
    try (Embedder to = Providers.embedder(nextConfig)) {
      out.printf(
          Locale.ROOT,
          "%nModel switch: %s -> %s (%d dimensions); searches keep answering from %s until the"
              + " new set is complete and activated%n",
          from.info().modelRef(),
          to.info().modelRef(),
          to.info().dimension(),
          from.info().modelRef());
      List<SearchHit> before = store.search(VectorQuery.of(COLLECTION, from.embedQuery(query), 3));
      out.printf("%nDiagnostics before the switch:%n%s%n", maintenance.diagnostics());
      SwitchResult result =
          maintenance.switchModel(
              COLLECTION, to, SwitchOptions.builder().dropRetired(false).build());
      out.println(result);
      Quickstart.printHits(out, "Before, " + from.info().modelRef(), query, before);
      Quickstart.printHits(
          out,
          "After, " + to.info().modelRef(),
          query,
          store.search(VectorQuery.of(COLLECTION, to.embedQuery(query), 3)));
      out.printf("%nDiagnostics after the switch:%n%s%n", maintenance.diagnostics());
    }
  }

  private BackupVerification backup(Maintenance maintenance, Path backupDir) {
    try {
      Files.createDirectories(backupDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the backup directory " + backupDir, e);
    }
    BackupResult backup = maintenance.backup(backupDir, BackupOptions.of(COLLECTION));
    out.printf("%nBackup: %s%n", backup);
    BackupVerification verified = maintenance.verifyBackup(backup.archive());
    out.printf("Verify: %s%n", verified);
    out.printf(
        Locale.ROOT,
        "%nmaintenance.restore(archive, options) puts it back (after a safety backup of what it"
            + " would overwrite).%n");
    return verified;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }
}
