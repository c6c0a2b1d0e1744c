package dev.portfolio.core.lock;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.spi.MaintenanceLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/** What stores share about maintenance locks: who we are, and the refusal a caller reads. */
public final class LockConflicts {
  private static final String HOST = resolveHost();

  private LockConflicts() {}

  /**
   * Returns this machine's host name.
   *
   * @return the host name, or {@code unknown-host}
   */
  public static String host() {
    return HOST;
  }

  /**
   * Returns this process's id.
   *
   * @return the pid
   */
  public static long processId() {
    return ProcessHandle.current().pid();
  }

  /**
   * Builds the refusal of an operation because another one holds the collection's lock.
   *
   * @param collection the collection
   * @param operation the refused operation
   * @param holder the running operation, or null when it could not be read
   * @param session where the running one holds the lock, when {@code holder} is null
   * @return the error, with code {@link ErrorCode#CONFLICT}
   */
  public static NonRetriableException busy(
      String collection, String operation, LockHolder holder, String session) {
    String running =
        holder != null ? holder.describe() : "another maintenance operation (" + session + ")";
    return new NonRetriableException(
        ErrorCode.CONFLICT,
        "Cannot start '"
            + operation
            + "': collection '"
            + collection
            + "' is busy with "
            + running
            + ". Maintenance operations that change a collection do not overlap. Wait for it to"
            + " finish and run again; if its process is gone, the lock went with it.");
  }

  /**
   * Takes several locks one by one, all or none.
   *
   * @param collections the collections
   * @param operation what will run
   * @param one takes one collection's lock
   * @return the locks as one; for no collection, a lock that holds nothing
   */
  public static MaintenanceLock all(
      Collection<String> collections, String operation, Function<String, MaintenanceLock> one) {
    List<MaintenanceLock> held = new ArrayList<>();
    try {
      for (String c : new TreeSet<>(collections)) {
        held.add(one.apply(c));
      }
    } catch (RuntimeException e) {
      held.forEach(MaintenanceLock::close);
      throw e;
    }
    return composite(operation, held);
  }

  /**
   * Joins held locks into one.
   *
   * @param operation what runs
   * @param locks the held locks
   * @return a lock held while every one is, released by closing them all
   */
  public static MaintenanceLock composite(String operation, List<MaintenanceLock> locks) {
    List<MaintenanceLock> copy = List.copyOf(locks);
    LockHolder first =
        copy.isEmpty()
            ? new LockHolder("", operation, Instant.now(), HOST, processId(), "no collection")
            : copy.get(0).holder();
    return new MaintenanceLock() {
      @Override
      public LockHolder holder() {
        return first;
      }

      @Override
      public boolean isHeld() {
        return copy.stream().allMatch(MaintenanceLock::isHeld);
      }

      @Override
      public void close() {
        copy.forEach(MaintenanceLock::close);
      }
    };
  }

  private static String resolveHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | SecurityException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown-host" : env;
    }
  }
}
