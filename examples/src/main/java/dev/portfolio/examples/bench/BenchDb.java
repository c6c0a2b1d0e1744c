package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import javax.sql.DataSource;

/** What the re-embed benchmarks share: the database, arguments, medians. */
final class BenchDb {
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio";

  private BenchDb() {}

  /** {@code PORTFOLIO_BENCH_JDBC_URL}, else {@code PORTFOLIO_TEST_JDBC_URL}, else the default. */
  static String url() {
    String url = System.getenv("PORTFOLIO_BENCH_JDBC_URL");
    if (url == null || url.isBlank()) {
      url = System.getenv("PORTFOLIO_TEST_JDBC_URL");
    }
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  static HikariDataSource pool(String url, int size) {
    return PgDataSources.pooled(
        PgPoolOptions.builder(url).poolSize(size).statementTimeout(Duration.ofHours(1)).build());
  }

  static int argument(String[] args, int index, String name, int fallback, int min, int max) {
    if (args.length <= index) {
      return fallback;
    }
    try {
      return Inputs.between(name, Integer.parseInt(args[index].trim()), min, max);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          name,
          name
              + " must be a whole number between "
              + min
              + " and "
              + max
              + " (was \""
              + args[index]
              + "\")");
    }
  }

  static void execute(DataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
