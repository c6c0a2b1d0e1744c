package dev.portfolio.index.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL + pgvector server integration tests run against, resolved once per JVM.
 *
 * <ol>
 *   <li>{@code PORTFOLIO_TEST_JDBC_URL} (environment) or {@code portfolio.test.jdbcUrl} (system
 *       property) when set;
 *   <li>else a {@code pgvector/pgvector} container via Testcontainers when a Docker engine answers;
 *   <li>else, with {@code CI=true}, a failure; otherwise the tests are aborted (reported as
 *       skipped) with a message saying how to provide a database.
 * </ol>
 */
public final class TestDatabase {
  private static final Object LOCK = new Object();
  private static TestDatabase instance;
  private static String unavailable;

  private final String jdbcUrl;
  private final PGSimpleDataSource dataSource;
  private final String serverVersion;
  private final String vectorVersion;

  private TestDatabase(String jdbcUrl) throws SQLException {
    this.jdbcUrl = jdbcUrl;
    this.dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      this.serverVersion = single(s, "SHOW server_version");
      String v = single(s, "SELECT extversion FROM pg_extension WHERE extname = 'vector'");
      if (v == null) {
        throw new SQLException(
            "The database at "
                + redact(jdbcUrl)
                + " lacks the vector extension. Run scripts/provision-postgres.sh, or as a"
                + " superuser: CREATE EXTENSION vector;");
      }
      this.vectorVersion = v;
    }
  }

  /**
   * Returns the shared test database, starting or connecting to it on first use.
   *
   * @return the database
   */
  public static TestDatabase get() {
    synchronized (LOCK) {
      if (instance != null) {
        return instance;
      }
      if (unavailable != null) {
        abortOrFail(unavailable);
      }
      String url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
      if (url == null || url.isBlank()) {
        url = System.getProperty("portfolio.test.jdbcUrl");
      }
      try {
        if (url == null || url.isBlank()) {
          url = Containers.startPgvectorIfDockerAvailable();
        }
        if (url == null) {
          unavailable =
              "No PostgreSQL for integration tests: PORTFOLIO_TEST_JDBC_URL is not set and no"
                  + " Docker engine answers. Run scripts/test.sh (it provisions a local server),"
                  + " or set PORTFOLIO_TEST_JDBC_URL=jdbc:postgresql://host:5432/db?user=..&password=..";
          abortOrFail(unavailable);
        }
        instance = new TestDatabase(url);
      } catch (SQLException e) {
        unavailable = "Cannot use the test database: " + e.getMessage();
        throw new IllegalStateException(unavailable, e);
      }
      System.out.printf(
          Locale.ROOT,
          "[portfolio-it] PostgreSQL %s with vector %s at %s%n",
          instance.serverVersion,
          instance.vectorVersion,
          redact(url));
      return instance;
    }
  }

  private static void abortOrFail(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          message + " (CI=true: integration tests must not be skipped)");
    }
    Assumptions.abort(message);
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Removes a password from a JDBC URL for printing.
   *
   * @param url the URL
   * @return the URL with the password value replaced by {@code ***}
   */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /**
   * Returns the JDBC URL.
   *
   * @return the URL, with credentials
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Returns a non-pooling data source for the database.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Returns the server version, for example {@code 15.20 (Debian 15.20-0+deb12u1)}.
   *
   * @return the version
   */
  public String serverVersion() {
    return serverVersion;
  }

  /**
   * Returns the installed pgvector version, for example {@code 0.8.0}.
   *
   * @return the version
   */
  public String vectorVersion() {
    return vectorVersion;
  }
}
