package dev.portfolio.index.pgvector;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.spi.ProviderConfig;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.spi.VectorStoreProvider;
import dev.portfolio.index.internal.SqlErrors;
import dev.portfolio.index.schema.SchemaOptions;
import java.time.Duration;
import java.util.Map;

/**
 * Creates {@link PgVectorStore}s from configuration; id {@value #ID}. Options:
 *
 * <ul>
 *   <li>{@code jdbcUrl} (required) — {@code jdbc:postgresql://host:5432/db};
 *   <li>{@code user}, {@code password} — credentials when not in the URL (the password is never
 *       printed);
 *   <li>{@code schema} — the Portfolio schema (default {@value SchemaOptions#DEFAULT_SCHEMA});
 *   <li>{@code poolSize} — connections in the pool (default 10);
 *   <li>{@code statementTimeout} — server-side statement timeout, e.g. {@code 5m} (default 5
 *       minutes);
 *   <li>{@code connectionTimeout} — wait for a free connection, e.g. {@code 30s} (default 30 s).
 * </ul>
 *
 * Unknown options are rejected. The store owns the pool and closes it on {@link
 * VectorStore#close()}.
 *
 * @since 0.1.0
 */
public final class PgVectorStoreProvider implements VectorStoreProvider {
  /** The provider id. */
  public static final String ID = "pgvector";

  /** Creates the provider ({@link java.util.ServiceLoader} calls this). */
  public PgVectorStoreProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public String description() {
    return "PostgreSQL + pgvector (portfolio-index)";
  }

  @Override
  public VectorStore create(Map<String, String> config) {
    ProviderConfig c = ProviderConfig.of(ID, config);
    PgPoolOptions pool =
        PgPoolOptions.builder(c.require("jdbcUrl"))
            .user(c.string("user").orElse(null))
            .password(c.string("password").orElse(null))
            .poolSize(c.integer("poolSize", 10, 1, 1000))
            .statementTimeout(c.duration("statementTimeout", Duration.ofMinutes(5)))
            .connectionTimeout(c.duration("connectionTimeout", Duration.ofSeconds(30)))
            .build();
    String schema = c.string("schema", SchemaOptions.DEFAULT_SCHEMA);
    c.rejectUnknown();
    HikariDataSource dataSource;
    try {
      dataSource = PgDataSources.pooled(pool);
    } catch (PortfolioException e) {
      throw e;
    } catch (RuntimeException e) {
      throw SqlErrors.translate(
          "Connecting to " + PgPoolOptions.redact(pool.jdbcUrl()) + " for the pgvector store", e);
    }
    try {
      return PgVectorStore.builder(dataSource).schema(schema).closeWithStore(dataSource).build();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return "PgVectorStoreProvider[id=" + ID + "]";
  }
}
