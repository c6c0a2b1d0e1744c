package dev.portfolio.index.pgvector;

import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.DSLContext;

/**
 * One open transaction: the JDBC connection (for COPY) and a jOOQ context on it.
 *
 * @param connection the connection, auto-commit off
 * @param dsl jOOQ on that connection
 */
record Tx(Connection connection, DSLContext dsl) {
  /**
   * Work done inside a transaction.
   *
   * @param <T> the result type
   */
  @FunctionalInterface
  interface Work<T> {
    T run(Tx tx) throws SQLException;
  }
}
