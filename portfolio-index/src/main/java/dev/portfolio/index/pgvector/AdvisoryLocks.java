package dev.portfolio.index.pgvector;

import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.lock.LockConflicts;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.SqlErrors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance locks on PostgreSQL: a session-level advisory lock ({@code pg_try_advisory_lock}) on
 * a connection taken from the data source and held for the whole operation, plus a row in {@code
 * maintenance_locks} that says who holds it. The lock is the truth: it is freed when the operation
 * closes it, and by PostgreSQL when the session ends (process killed, backend terminated, network
 * lost), so a crashed holder never blocks the collection. The row only describes the holder; it is
 * trusted when its backend pid is the lock holder's.
 *
 * <p>The key is a 64-bit hash of schema and collection name, so the same collection in two schemas
 * locks separately and the lock survives nothing but its session.
 */
final class AdvisoryLocks {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLocks.class);

  private final DataSource dataSource;
  private final String schema;
  private final String s;

  AdvisoryLocks(DataSource dataSource, String schema) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.s = Identifiers.quote(schema);
  }

  MaintenanceLock acquire(String collection, String operation) {
    return acquire(List.of(collection), operation, false);
  }

  MaintenanceLock acquire(Collection<String> collections, String operation) {
    return acquire(collections, operation, false);
  }

  /** Takes a collection's lock shared: with other shared holders, never with an exclusive one. */
  MaintenanceLock acquireShared(String collection, String operation) {
    return acquire(List.of(collection), operation, true);
  }

  /** Attempts at taking the locks when the database fails transiently (a backend terminated). */
  static final int ATTEMPTS = 3;

  /**
   * Takes every collection's lock on one connection, all or none. A transient failure (the
   * connection lost, the backend terminated, a deadlock) ends that session, and with it whatever it
   * had taken, so the whole acquisition is tried again on a new connection, up to {@value
   * #ATTEMPTS} times; a lock held by another operation is never retried.
   */
  private MaintenanceLock acquire(
      Collection<String> collections, String operation, boolean shared) {
    for (int attempt = 1; ; attempt++) {
      try {
        return acquireOnce(collections, operation, shared);
      } catch (RetriableException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
        LOG.debug("Taking maintenance locks failed transiently, trying again: {}", e.getMessage());
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private MaintenanceLock acquireOnce(
      Collection<String> collections, String operation, boolean shared) {
    Inputs.requireKey("operation", operation);
    List<String> names = new ArrayList<>(new TreeSet<>(collections));
    if (names.isEmpty()) {
      return LockConflicts.composite(operation, List.of());
    }
    String what =
        "Taking the maintenance lock of "
            + (names.size() == 1
                ? "collection '" + names.get(0) + "'"
                : names.size() + " collections");
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw SqlErrors.translate(what, e);
    }
    boolean handedOver = false;
    List<Entry> taken = new ArrayList<>();
    try {
      c.setAutoCommit(true);
      for (String collection : names) {
        long collectionId = collectionId(c, collection);
        long key = key(collection);
        boolean locked;
        try (PreparedStatement ps =
            c.prepareStatement(
                shared
                    ? "SELECT pg_try_advisory_lock_shared(?)"
                    : "SELECT pg_try_advisory_lock(?)")) {
          ps.setLong(1, key);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            locked = rs.getBoolean(1);
          }
        }
        if (!locked) {
          Holder h = readHolder(c, collection, collectionId, key);
          throw LockConflicts.busy(
              collection,
              operation,
              h.holder(),
              h.pid() == 0 ? "holder not found" : "backend pid " + h.pid());
        }

        taken.add(new Entry(key, collectionId, null));
        LockHolder holder = record(c, collection, collectionId, operation);
        taken.set(taken.size() - 1, new Entry(key, collectionId, holder));
      }
      handedOver = true;
      return new Held(c, taken, shared);
    } catch (SQLException e) {
      throw SqlErrors.translate(what, e);
    } finally {
      if (!handedOver) {
        for (Entry e : taken) {
          unlock(c, e.key(), shared);
        }
        closeQuietly(c);
      }
    }
  }

  /** One lock held on the dedicated connection. */
  private record Entry(long key, long collectionId, LockHolder holder) {}

  Optional<LockHolder> holder(String collection) {
    String what = "Reading the maintenance lock of collection '" + collection + "'";
    try (Connection c = dataSource.getConnection()) {
      long collectionId = collectionId(c, collection);
      return Optional.ofNullable(readHolder(c, collection, collectionId, key(collection)).holder());
    } catch (SQLException e) {
      throw SqlErrors.translate(what, e);
    }
  }

  /** The lock's holder: its backend pid (0 when free) and, when the row is its own, the row. */
  private record Holder(int pid, LockHolder holder) {}

  private Holder readHolder(Connection c, String collection, long collectionId, long key)
      throws SQLException {
    // Shared holders (the units of a job) hold the key in several sessions at once.
    List<Integer> pids = holderPids(c, key, 0);
    if (pids.isEmpty()) {
      return new Holder(0, null);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT operation, host, process_id, backend_pid, started_at FROM "
                + s
                + ".maintenance_locks WHERE collection_id = ? AND backend_pid = ANY (?)")) {
      ps.setLong(1, collectionId);
      ps.setArray(2, c.createArrayOf("int4", pids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new Holder(pids.get(0), null);
        }
        return new Holder(
            rs.getInt(4),
            new LockHolder(
                collection,
                rs.getString(1),
                rs.getObject(5, java.time.OffsetDateTime.class).toInstant(),
                rs.getString(2),
                rs.getLong(3),
                "backend pid " + rs.getInt(4)));
      }
    }
  }

  /** The backends that hold a key (granted, shared or not), except {@code except}. */
  private static List<Integer> holderPids(Connection c, long key, int except) throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT l.pid FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
                + " AND l.database = (SELECT oid FROM pg_catalog.pg_database"
                + " WHERE datname = current_database())"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1"
                + " AND l.pid <> ? ORDER BY l.pid")) {
      ps.setLong(1, key >>> 32);
      ps.setLong(2, key & 0xFFFF_FFFFL);
      ps.setInt(3, except);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
    }
    return pids;
  }

  private LockHolder record(Connection c, String collection, long collectionId, String operation)
      throws SQLException {
    String host = LockConflicts.host();
    long pid = LockConflicts.processId();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + s
                + ".maintenance_locks AS m (collection_id, operation, host, process_id,"
                + " backend_pid, started_at) VALUES (?, ?, ?, ?, pg_backend_pid(), now())"
                + " ON CONFLICT (collection_id) DO UPDATE SET operation = excluded.operation,"
                + " host = excluded.host, process_id = excluded.process_id,"
                + " backend_pid = excluded.backend_pid, started_at = excluded.started_at"
                + " RETURNING backend_pid, started_at")) {
      ps.setLong(1, collectionId);
      ps.setString(2, operation.replace('\0', '\uFFFD'));
      ps.setString(3, host);
      ps.setLong(4, pid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        int backend = rs.getInt(1);
        Instant since = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
        return new LockHolder(collection, operation, since, host, pid, "backend pid " + backend);
      }
    }
  }

  private long collectionId(Connection c, String collection) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM " + s + ".collections WHERE name = ?")) {
      ps.setString(1, collection);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw StoreErrors.collectionNotFound(collection);
        }
        return rs.getLong(1);
      }
    }
  }

  /** A 64-bit key for schema and collection. */
  long key(String collection) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("portfolio-maintenance\0" + schema + "\0" + collection)
                      .getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void unlock(Connection c, long key, boolean shared) {
    try (PreparedStatement ps =
        c.prepareStatement(
            shared ? "SELECT pg_advisory_unlock_shared(?)" : "SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, key);
      ps.execute();
    } catch (SQLException e) {
      LOG.debug("Releasing advisory lock {} failed: {}", key, e.getMessage());
      // A connection that cannot unlock must not go back to a pool holding the lock.
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException abort) {
        LOG.debug("Aborting the lock connection failed: {}", abort.getMessage());
      }
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("Closing the lock connection failed: {}", e.getMessage());
    }
  }

  /** Held locks: their dedicated connection stays open until {@link #close()}. */
  private final class Held implements MaintenanceLock {
    private final Connection connection;
    private final List<Entry> entries;
    private final boolean shared;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Held(Connection connection, List<Entry> entries, boolean shared) {
      this.connection = connection;
      this.entries = List.copyOf(entries);
      this.shared = shared;
    }

    @Override
    public LockHolder holder() {
      return entries.get(0).holder();
    }

    @Override
    public boolean isHeld() {
      if (!open.get()) {
        return false;
      }
      try {
        return connection.isValid(5);
      } catch (SQLException e) {
        return false;
      }
    }

    @Override
    public void close() {
      if (!open.compareAndSet(true, false)) {
        return;
      }
      for (Entry e : entries) {
        try {
          forgetRow(e);
        } catch (SQLException | PortfolioException x) {
          LOG.debug(
              "Removing the lock row of '{}' failed: {}", e.holder().collection(), x.getMessage());
        }
        unlock(connection, e.key(), shared);
      }
      closeQuietly(connection);
    }

    /**
     * Removes this session's row; a shared holder whose key other sessions still hold hands the row
     * over to one of them, so that refusals keep naming the running job.
     */
    private void forgetRow(Entry e) throws SQLException {
      List<Integer> others = shared ? holderPids(connection, e.key(), backendPid()) : List.of();
      if (!others.isEmpty()) {
        try (PreparedStatement ps =
            connection.prepareStatement(
                "UPDATE "
                    + s
                    + ".maintenance_locks SET backend_pid = ? WHERE collection_id = ?"
                    + " AND backend_pid = pg_backend_pid()")) {
          ps.setInt(1, others.get(0));
          ps.setLong(2, e.collectionId());
          ps.executeUpdate();
        }
        return;
      }
      try (PreparedStatement ps =
          connection.prepareStatement(
              "DELETE FROM "
                  + s
                  + ".maintenance_locks WHERE collection_id = ?"
                  + " AND backend_pid = pg_backend_pid()")) {
        ps.setLong(1, e.collectionId());
        ps.executeUpdate();
      }
    }

    private int backendPid() throws SQLException {
      try (PreparedStatement ps = connection.prepareStatement("SELECT pg_backend_pid()");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
