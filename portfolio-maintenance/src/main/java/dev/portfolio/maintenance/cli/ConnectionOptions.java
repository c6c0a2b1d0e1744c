package dev.portfolio.maintenance.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.schema.SchemaOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the database is: {@code --jdbc-url}, {@code --user}, {@code --password}, {@code --schema},
 * {@code --config}. Each setting comes from the option, else the environment ({@code
 * PORTFOLIO_JDBC_URL}, {@code PORTFOLIO_USER}, {@code PORTFOLIO_PASSWORD}, {@code
 * PORTFOLIO_SCHEMA}), else the config file, else its default. The password is never printed.
 */
final class ConnectionOptions {
  static final String ENV_URL = "PORTFOLIO_JDBC_URL";
  static final String ENV_USER = "PORTFOLIO_USER";
  static final String ENV_PASSWORD = "PORTFOLIO_PASSWORD";
  static final String ENV_SCHEMA = "PORTFOLIO_SCHEMA";
  static final String ENV_CONFIG = "PORTFOLIO_CONFIG";

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/app (default: $"
              + ENV_URL
              + ", else jdbc-url in the config file).")
  String jdbcUrl;

  @Option(
      names = {"-U", "--user"},
      paramLabel = "USER",
      description =
          "Database user (default: $" + ENV_USER + ", else the config file or the URL's).")
  String user;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      arity = "0..1",
      interactive = true,
      description =
          "Database password; without a value it is asked for, unechoed. Prefer $"
              + ENV_PASSWORD
              + " or the config file: a value here shows in the process list.")
  char[] password;

  @Option(
      names = "--schema",
      paramLabel = "NAME",
      description =
          "Portfolio schema (default: $"
              + ENV_SCHEMA
              + ", else the config file, else "
              + SchemaOptions.DEFAULT_SCHEMA
              + ").")
  String schema;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file with jdbc-url, user, password, schema, embedder, embedder-opt.<key>"
              + " (default: $"
              + ENV_CONFIG
              + ").")
  Path config;

  private ConfigFile loaded;

  /** Returns the config file's values (read once), or an empty one when there is none. */
  ConfigFile config(CliIo io) {
    if (loaded == null) {
      Path path = config;
      if (path == null && io.env(ENV_CONFIG) != null) {
        path = Path.of(io.env(ENV_CONFIG));
      }
      loaded = path == null ? ConfigFile.EMPTY : ConfigFile.read(path, io);
    }
    return loaded;
  }

  /** Returns the schema: option, environment, config file, default. */
  String schema(CliIo io) {
    return first(
        schema, io.env(ENV_SCHEMA), config(io).get("schema"), SchemaOptions.DEFAULT_SCHEMA);
  }

  /**
   * Opens a small pool on the database.
   *
   * @param io the run's streams and environment
   * @param poolSize the most connections
   * @return the pool; the caller closes it
   * @throws CliException when no URL is given or the database cannot be reached
   */
  HikariDataSource open(CliIo io, int poolSize) {
    Resolved r = resolve(io);
    PgPoolOptions options;
    try {
      options =
          PgPoolOptions.builder(r.jdbcUrl())
              .user(r.user())
              .password(r.password())
              .poolSize(poolSize)
              .build();
    } catch (PortfolioException e) {
      throw CliException.usage(e.getMessage());
    }
    String url = r.jdbcUrl();
    String u = r.user();
    try {
      return PgDataSources.pooled(options);
    } catch (RuntimeException e) {
      throw CliException.failure(
          "cannot connect"
              + (u == null ? "" : " as " + u)
              + ": "
              + rootMessage(e)
              + " (URL "
              + PgPoolOptions.redact(url)
              + ")",
          e);
    }
  }

  /** The connection settings after precedence: option, environment, config file. */
  record Resolved(String jdbcUrl, String user, String password, String schema) {
    @Override
    public String toString() {
      return "Resolved[jdbcUrl="
          + PgPoolOptions.redact(jdbcUrl)
          + ", user="
          + user
          + ", password="
          + (password == null ? "null" : "***")
          + ", schema="
          + schema
          + "]";
    }
  }

  /**
   * Resolves the settings; the password is remembered as a secret.
   *
   * @throws CliException when no URL is given anywhere
   */
  Resolved resolve(CliIo io) {
    ConfigFile file = config(io);
    String url = first(jdbcUrl, io.env(ENV_URL), file.get("jdbc-url"), null);
    if (url == null) {
      throw CliException.usage(
          "no database given: pass --jdbc-url, set "
              + ENV_URL
              + ", or put jdbc-url in a --config file");
    }
    String u = first(user, io.env(ENV_USER), file.get("user"), null);
    String p =
        first(
            password == null ? null : new String(password),
            io.env(ENV_PASSWORD),
            file.get("password"),
            null);
    io.secret(p);
    return new Resolved(url, u, p, schema(io));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  static String first(String option, String env, String file, String fallback) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    if (env != null) {
      return env;
    }
    return file != null ? file : fallback;
  }
}
