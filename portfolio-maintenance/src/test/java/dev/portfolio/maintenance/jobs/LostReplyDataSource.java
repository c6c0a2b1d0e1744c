package dev.portfolio.maintenance.jobs;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a data source; for statements whose SQL contains a marker and that change a row, lets the
 * statement run and commit (autocommit), then terminates the connection's backend with {@code
 * pg_terminate_backend} through another connection and throws the SQLState 08006 of a lost
 * connection: the database did the work, but the answer never reached the caller. Use it with one
 * statement of the marker at a time.
 */
final class LostReplyDataSource implements DataSource {
  private final DataSource delegate;
  private final DataSource admin;
  private volatile String marker = "\u0000";
  private final AtomicInteger left = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();

  LostReplyDataSource(DataSource delegate, DataSource admin) {
    this.delegate = delegate;
    this.admin = admin;
  }

  /**
   * Loses the answers of the next {@code times} statements with {@code sqlMarker} that change a
   * row.
   */
  void loseNext(int times, String sqlMarker) {
    marker = sqlMarker;
    done.set(0);
    left.set(times);
  }

  /** How many answers were lost since {@link #loseNext}. */
  int lost() {
    return done.get();
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
          Object result = invoke(real, method, args);
          if (method.getName().equals("prepareStatement")
              && args != null
              && args[0] instanceof String sql
              && sql.contains(marker)) {
            return statement(real, (PreparedStatement) result);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private PreparedStatement statement(Connection connection, PreparedStatement real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          boolean execute =
              method.getName().equals("executeQuery") || method.getName().equals("executeUpdate");
          if (!execute || left.get() <= 0) {
            return invoke(real, method, args);
          }
          int pid = pid(connection);
          Object result = invoke(real, method, args);
          boolean changed = result instanceof ResultSet rs ? rs.next() : ((Integer) result) > 0;
          if (!changed) {
            return result; // a result set without rows stays at its end
          }
          if (left.getAndDecrement() <= 0) {
            throw new IllegalStateException("armed for fewer statements than ran concurrently");
          }
          terminate(pid);
          done.incrementAndGet();
          throw new SQLException(
              "An I/O error occurred while sending to the backend (test: answer lost after commit)",
              "08006");
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            handler);
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void terminate(int pid) throws SQLException {
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(" + pid + ")");
    }
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
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
