package dev.portfolio.core.spi;

import dev.portfolio.core.model.LockHolder;

/**
 * A held maintenance lock of one collection ({@link VectorStore#lockForMaintenance}). Closing it
 * releases the lock; closing it again does nothing.
 *
 * @since 0.1.0
 */
public interface MaintenanceLock extends AutoCloseable {
  /**
   * Returns what the lock was taken for.
   *
   * @return the holder: this operation
   */
  LockHolder holder();

  /**
   * Tells whether the lock is still held. On PostgreSQL the lock lives in a database session: when
   * that session ends (the server terminated it, the network dropped), the lock is gone and another
   * operation may start. Long operations check this between batches and stop.
   *
   * @return true while held
   */
  boolean isHeld();

  /** Releases the lock. */
  @Override
  void close();
}
