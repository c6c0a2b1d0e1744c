package dev.portfolio.maintenance.testing;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.spi.VectorStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Stores that misbehave on purpose: failing writes, or a hook that runs before a call. */
public final class FailingStore {
  private FailingStore() {}

  /**
   * Wraps a store whose {@code writeVectors} fails after a number of calls, like a lost connection.
   *
   * @param delegate the store
   * @param healthyWrites writeVectors calls that succeed before every later one fails
   * @return the failing store
   */
  public static VectorStore failingWritesAfter(VectorStore delegate, int healthyWrites) {
    AtomicInteger writes = new AtomicInteger();
    return wrap(
        delegate,
        method -> {
          if (method.equals("writeVectors") && writes.incrementAndGet() > healthyWrites) {
            throw new RetriableException(
                ErrorCode.STORE_UNAVAILABLE, "connection lost (SQLState 08006)", null);
          }
        });
  }

  /**
   * Wraps a store that runs an action once, right before the first call of a method.
   *
   * @param delegate the store
   * @param method the method name
   * @param action the action
   * @return the store
   */
  public static VectorStore beforeFirst(VectorStore delegate, String method, Runnable action) {
    AtomicBoolean done = new AtomicBoolean();
    return wrap(
        delegate,
        name -> {
          if (name.equals(method) && !done.getAndSet(true)) {
            action.run();
          }
        });
  }

  private static VectorStore wrap(VectorStore delegate, java.util.function.Consumer<String> hook) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          hook.accept(method.getName());
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (VectorStore)
        Proxy.newProxyInstance(
            VectorStore.class.getClassLoader(), new Class<?>[] {VectorStore.class}, handler);
  }
}
