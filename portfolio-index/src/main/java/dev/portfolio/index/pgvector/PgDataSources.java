package dev.portfolio.index.pgvector;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.validation.Inputs;

/**
 * Creates a small HikariCP pool for the command line and examples. Host applications pass their own
 * {@link javax.sql.DataSource} to {@link PgVectorStore#builder} instead. HikariCP is a dependency
 * of portfolio-index.
 *
 * @since 0.1.0
 */
public final class PgDataSources {
  private PgDataSources() {}

  /**
   * Creates a pool. Close it when done (the store closes it when the provider created both).
   *
   * @param options URL, credentials, pool size and timeouts
   * @return the pool; a {@link HikariDataSource}, closed by {@link AutoCloseable#close()}
   */
  public static HikariDataSource pooled(PgPoolOptions options) {
    Inputs.requireNonNull("options", options);
    HikariConfig config = new HikariConfig();
    config.setPoolName("portfolio-pgvector");
    config.setJdbcUrl(options.jdbcUrl());
    if (options.user() != null) {
      config.setUsername(options.user());
    }
    if (options.password() != null) {
      config.setPassword(options.password());
    }
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(Math.min(2, options.poolSize()));
    config.setConnectionTimeout(options.connectionTimeout().toMillis());
    config.addDataSourceProperty("ApplicationName", "portfolio");
    config.addDataSourceProperty(
        "options", "-c statement_timeout=" + options.statementTimeout().toMillis());
    return new HikariDataSource(config);
  }
}
