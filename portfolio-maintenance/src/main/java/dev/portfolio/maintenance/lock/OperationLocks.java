package dev.portfolio.maintenance.lock;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.spi.VectorStore;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs maintenance operations under their collections' locks: acquired without waiting before the
 * operation starts, released when it ends however it ends. Thread-safe.
 *
 * @since 0.1.0
 */
public final class OperationLocks {
  private final VectorStore store;

  /**
   * Creates the helper.
   *
   * @param store the store whose locks are taken
   */
  public OperationLocks(VectorStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Runs an operation while holding one collection's lock.
   *
   * @param <T> the result type
   * @param collection the collection
   * @param operation what runs, shown to callers refused meanwhile
   * @param work the operation
   * @return its result
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT, before {@code work} runs, when
   *     another operation holds the lock (the message names it)
   */
  public <T> T run(String collection, String operation, Supplier<T> work) {
    MaintenanceLock lock = store.lockForMaintenance(collection, operation);
    try {
      return work.get();
    } finally {
      lock.close();
    }
  }

  /**
   * Takes the locks of several collections, all or none: when one is held by another operation,
   * those taken so far are released and the refusal is thrown.
   *
   * @param collections the collections
   * @param operation what runs
   * @return the held locks; close with {@link Held#close()}
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT naming the running operation
   */
  public Held acquireAll(Collection<String> collections, String operation) {
    return new Held(store.lockForMaintenance(collections, operation));
  }

  /**
   * Locks held together.
   *
   * @since 0.1.0
   */
  public static final class Held implements AutoCloseable {
    private final MaintenanceLock lock;

    private Held(MaintenanceLock lock) {
      this.lock = lock;
    }

    /**
     * Fails when a lock was lost (its database session ended), so that the operation stops before
     * it overlaps with one that took the lock since.
     *
     * @param progress what was done so far, for the message
     * @throws RetriableException STORE_UNAVAILABLE when a lock is no longer held
     */
    public void requireHeld(String progress) {
      if (!lock.isHeld()) {
        throw new RetriableException(
            ErrorCode.STORE_UNAVAILABLE,
            "'"
                + lock.holder().operation()
                + "' lost its maintenance lock (its database session ended) and stopped so as not"
                + " to overlap with another operation; "
                + progress
                + ". Run it again: it continues with what is left.",
            null);
      }
    }

    /** Releases every lock. */
    @Override
    public void close() {
      lock.close();
    }
  }
}
