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
 * while held. Not reentrant: the same thread asking twice is refused too. A lock may also be held
 * shared ({@link #acquireShared}): any number of shared holders at once (the work units of one
 * job), while an exclusive request is refused, and the other way round. Thread-safe.
 *
 * @since 0.1.0
 */
public final class InProcessLocks {
  private static final Map<Object, InProcessLocks> BY_STORE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Map<String, LockHolder> held = new ConcurrentHashMap<>();
  private final Map<String, Map<Held, LockHolder>> shared = new HashMap<>();
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
    synchronized (shared) {
      Map<Held, LockHolder> sharers = shared.get(collection);
      if (sharers != null && !sharers.isEmpty()) {
        throw LockConflicts.busy(collection, operation, sharers.values().iterator().next(), null);
      }
      LockHolder existing = held.putIfAbsent(collection, mine);
      if (existing != null) {
        throw LockConflicts.busy(collection, operation, existing, null);
      }
    }
    return new Held(mine, false);
  }

  /**
   * Takes a collection's lock shared: granted while no exclusive holder has it, whatever the number
   * of shared holders.
   *
   * @param collection the collection
   * @param operation what runs, e.g. {@code reembed job 7 of docs}
   * @return the held lock
   * @throws dev.portfolio.core.error.NonRetriableException CONFLICT naming the exclusive holder
   * @since 0.1.0
   */
  public MaintenanceLock acquireShared(String collection, String operation) {
    Inputs.requireKey("operation", operation);
    LockHolder mine =
        new LockHolder(
            collection,
            operation,
            clock.instant(),
            LockConflicts.host(),
            LockConflicts.processId(),
            "in-process, shared, thread " + Thread.currentThread().getName());
    synchronized (shared) {
      LockHolder existing = held.get(collection);
      if (existing != null) {
        throw LockConflicts.busy(collection, operation, existing, null);
      }
      Held h = new Held(mine, true);
      shared.computeIfAbsent(collection, k -> new java.util.LinkedHashMap<>()).put(h, mine);
      return h;
    }
  }

  /**
   * Returns who holds a collection's lock.
   *
   * @param collection the collection
   * @return the holder, or empty
   */
  public Optional<LockHolder> holder(String collection) {
    synchronized (shared) {
      LockHolder h = held.get(collection);
      if (h == null) {
        Map<Held, LockHolder> sharers = shared.get(collection);
        if (sharers != null && !sharers.isEmpty()) {
          h = sharers.values().iterator().next();
        }
      }
      return Optional.ofNullable(h);
    }
  }

  /**
   * Returns every holder, for tests and diagnostics.
   *
   * @return the holders by collection, a copy
   */
  public Map<String, LockHolder> holders() {
    synchronized (shared) {
      Map<String, LockHolder> all = new HashMap<>();
      shared.forEach(
          (c, sharers) -> sharers.values().stream().findFirst().ifPresent(h -> all.put(c, h)));
      all.putAll(held);
      return all;
    }
  }

  private final class Held implements MaintenanceLock {
    private final LockHolder holder;
    private final boolean isShared;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Held(LockHolder holder, boolean isShared) {
      this.holder = holder;
      this.isShared = isShared;
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
      if (!open.compareAndSet(true, false)) {
        return;
      }
      synchronized (shared) {
        if (isShared) {
          Map<Held, LockHolder> sharers = shared.get(holder.collection());
          if (sharers != null) {
            sharers.remove(this);
            if (sharers.isEmpty()) {
              shared.remove(holder.collection());
            }
          }
        } else {
          held.remove(holder.collection(), holder);
        }
      }
    }
  }
}
