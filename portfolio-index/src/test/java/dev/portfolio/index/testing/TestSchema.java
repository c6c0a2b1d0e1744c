package dev.portfolio.index.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A schema of the test database that belongs to one test class.
 *
 * @param database the shared test database
 * @param name the schema name (safe to quote: lower-case letters, digits and underscores)
 */
public record TestSchema(TestDatabase database, String name) {
  /**
   * Returns a data source for the test database.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return database.dataSource();
  }

  /**
   * Returns the JDBC URL of the test database.
   *
   * @return the URL
   */
  public String jdbcUrl() {
    return database.jdbcUrl();
  }

  void drop() throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
    }
  }
}
