package dev.portfolio.core.lock;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.LockHolder;
import java.net.InetAddress;
import java.net.UnknownHostException;

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

  private static String resolveHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | SecurityException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown-host" : env;
    }
  }
}
