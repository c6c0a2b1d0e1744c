package dev.portfolio.core.lock;

import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.validation.Inputs;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Maintenance locks within one JVM: one holder per collection name, refused (never waited for)
 * while held. Not reentrant: the same thread asking twice is refused too. Thread-safe.
 *
 * @since 0.1.0
 */
public final class InProcessLocks {
  private static final Map<Object, InProcessLocks> BY_STORE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Map<String, LockHolder> held = new ConcurrentHashMap<>();
  private final Clock clock;

  /** Creates an empty lock table that timestamps with the system clock. */
  public InProcessLocks() {
    this(Clock.systemUTC());
  }

  /**
   * Creates an empty lock table.
   *
   * @param clock the clock for {@link LockHolder#since()}
   */
  public InProcessLocks(Clock clock) {
    this.clock = Inputs.requireNonNull("clock", clock);
  }

  /**
   * Returns the lock table of a store object, created on first use and forgotten with the store:
   * what {@link dev.portfolio.core.spi.VectorStore#lockForMaintenance}'s default uses.
   *
   * @param store the store
   * @return its lock table
   */
  public static InProcessLocks of(Object store) {
    synchronized (BY_STORE) {
      return BY_STORE.computeIfAbsent(store, s -> new InProcessLocks());
    }
  }

  /**
   * Takes a collection's lock.
   *
   * @param collection the collection
   * @param operation what runs
   * @return the held lock
   * @throws dev.portfolio.core.error.NonRetriableException CONFLICT naming the holder when held
   */
  public MaintenanceLock acquire(String collection, String operation) {
    Inputs.requireKey("operation", operation);
    LockHolder mine =
        new LockHolder(
            collection,
            operation,
            clock.instant(),
            LockConflicts.host(),
            LockConflicts.processId(),
            "in-process, thread " + Thread.currentThread().getName());
    LockHolder existing = held.putIfAbsent(collection, mine);
    if (existing != null) {
      throw LockConflicts.busy(collection, operation, existing, null);
    }
    return new Held(mine);
  }

  /**
   * Returns who holds a collection's lock.
   *
   * @param collection the collection
   * @return the holder, or empty
   */
  public Optional<LockHolder> holder(String collection) {
    return Optional.ofNullable(held.get(collection));
  }

  /**
   * Returns every holder, for tests and diagnostics.
   *
   * @return the holders by collection, a copy
   */
  public Map<String, LockHolder> holders() {
    return new HashMap<>(held);
  }

  private final class Held implements MaintenanceLock {
    private final LockHolder holder;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Held(LockHolder holder) {
      this.holder = holder;
    }

    @Override
    public LockHolder holder() {
      return holder;
    }

    @Override
    public boolean isHeld() {
      return open.get();
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        held.remove(holder.collection(), holder);
      }
    }
  }
}
