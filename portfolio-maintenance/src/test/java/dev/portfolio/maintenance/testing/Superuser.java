package dev.portfolio.maintenance.testing;

import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A superuser connection to the test database, for tests that corrupt rows the way no client can (a
 * NaN inside a stored vector, an index marked invalid). Tried in order: {@code
 * PORTFOLIO_TEST_SUPERUSER_JDBC_URL}; the test URL when its role is a superuser; the test URL as
 * role {@code postgres} without a password (a local server with trust authentication, as {@code
 * scripts/provision-postgres.sh} sets up). Without one, such a test fails under {@code CI=true} and
 * is skipped elsewhere, saying why.
 */
public final class Superuser {
  private Superuser() {}

  /**
   * Opens a superuser connection in auto-commit mode.
   *
   * @param db the test schema
   * @return the connection; close it
   * @throws SQLException when the chosen URL fails after being found
   */
  public static Connection connect(TestSchema db) throws SQLException {
    List<String> candidates = new ArrayList<>();
    String explicit = System.getenv("PORTFOLIO_TEST_SUPERUSER_JDBC_URL");
    if (explicit != null && !explicit.isBlank()) {
      candidates.add(explicit);
    }
    candidates.add(db.jdbcUrl());
    candidates.add(asPostgres(db.jdbcUrl()));
    List<String> tried = new ArrayList<>();
    for (String url : candidates) {
      try {
        Connection c = DriverManager.getConnection(url);
        if (isSuperuser(c)) {
          return c;
        }
        c.close();
        tried.add(redact(url) + ": not a superuser");
      } catch (SQLException e) {
        tried.add(redact(url) + ": " + e.getMessage());
      }
    }
    String message =
        "This test corrupts stored rows and needs a superuser connection; set"
            + " PORTFOLIO_TEST_SUPERUSER_JDBC_URL. Tried: "
            + tried;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /**
   * Runs statements as a superuser.
   *
   * @param db the test schema
   * @param sql the statements, each run on its own in auto-commit mode
   * @throws SQLException when one fails
   */
  public static void execute(TestSchema db, String... sql) throws SQLException {
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  private static boolean isSuperuser(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  static String asPostgres(String url) {
    String base = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    List<String> kept = new ArrayList<>();
    if (url.contains("?")) {
      for (String p : url.substring(url.indexOf('?') + 1).split("&")) {
        String key = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
        if (!key.equalsIgnoreCase("user") && !key.equalsIgnoreCase("password")) {
          kept.add(p);
        }
      }
    }
    kept.add("user=postgres");
    return base + "?" + String.join("&", kept);
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
