package dev.portfolio.maintenance.testing;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.spi.VectorStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** A store whose {@code writeVectors} fails after a number of calls, like a lost connection. */
public final class FailingStore {
  private FailingStore() {}

  /**
   * Wraps a store.
   *
   * @param delegate the store
   * @param healthyWrites writeVectors calls that succeed before every later one fails
   * @return the failing store
   */
  public static VectorStore failingWritesAfter(VectorStore delegate, int healthyWrites) {
    AtomicInteger writes = new AtomicInteger();
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("writeVectors") && writes.incrementAndGet() > healthyWrites) {
            throw new RetriableException(
                ErrorCode.STORE_UNAVAILABLE, "connection lost (SQLState 08006)", null);
          }
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
