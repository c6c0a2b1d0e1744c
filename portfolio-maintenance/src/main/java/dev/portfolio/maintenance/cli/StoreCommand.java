package dev.portfolio.maintenance.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.maintenance.Maintenance;
import picocli.CommandLine.Mixin;

/**
 * A command that works on the Portfolio schema of a database: it brings the connection options,
 * opens a pool and a {@link PgVectorStore} for the duration of {@link #withStore}, and builds the
 * {@link Maintenance} facade. Subclasses implement {@link #run()}.
 */
abstract class StoreCommand extends BaseCommand {
  @Mixin ConnectionOptions connection;

  /** Work on an open store. */
  @FunctionalInterface
  interface StoreWork<T> {
    T apply(PgVectorStore store, HikariDataSource dataSource) throws Exception;
  }

  /** Runs work on the store with a pool of {@code poolSize} connections, then closes both. */
  <T> T withStore(int poolSize, StoreWork<T> work) throws Exception {
    CliIo io = io();
    String schema = usage(() -> connection.schema(io));
    try (HikariDataSource pool = connection.open(io, poolSize);
        PgVectorStore store = PgVectorStore.builder(pool).schema(schema).build()) {
      return work.apply(store, pool);
    }
  }

  /** Runs work on the store with a pool of 4 connections. */
  <T> T withStore(StoreWork<T> work) throws Exception {
    return withStore(4, work);
  }

  /** Builds the facade on a store, with an embedder (may be null) and a progress reporter. */
  static Maintenance maintenance(
      PgVectorStore store, Embedder embedder, ProgressReporter progress) {
    return Maintenance.builder().store(store).embedder(embedder).progress(progress).build();
  }
}
