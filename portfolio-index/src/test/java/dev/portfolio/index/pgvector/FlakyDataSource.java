package dev.portfolio.index.pgvector;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a data source and makes statements whose SQL matches a predicate fail with a chosen
 * SQLState a number of times, as a database under contention or a dropped connection would.
 */
final class FlakyDataSource implements DataSource {
  private final DataSource delegate;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger matched = new AtomicInteger();
  private volatile Predicate<String> target = sql -> false;
  private volatile String sqlState = "40001";

  FlakyDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** Fails the next {@code times} statements matching {@code sqlPart} with {@code state}. */
  void failNext(int times, String sqlPart, String state) {
    String needle = sqlPart.toLowerCase(Locale.ROOT);
    this.target = sql -> sql.toLowerCase(Locale.ROOT).contains(needle);
    this.sqlState = state;
    matched.set(0);
    failuresLeft.set(times);
  }

  /** How many statements matched the predicate since {@link #failNext}. */
  int matched() {
    return matched.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().startsWith("prepare")
              && args != null
              && args.length > 0
              && args[0] instanceof String sql
              && target.test(sql)) {
            matched.incrementAndGet();
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              throw new SQLException("simulated failure (" + sqlState + ")", sqlState);
            }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            FlakyDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
