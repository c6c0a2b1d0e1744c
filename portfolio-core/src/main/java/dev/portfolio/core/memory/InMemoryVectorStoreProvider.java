package dev.portfolio.core.memory;

import dev.portfolio.core.spi.ProviderConfig;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.spi.VectorStoreProvider;
import java.util.Map;

/**
 * Provides the {@link InMemoryVectorStore} under the id {@value #ID} with priority 0, so any
 * durable store on the classpath wins when no provider is named. It takes no options.
 *
 * @since 0.1.0
 */
public final class InMemoryVectorStoreProvider implements VectorStoreProvider {
  /** The provider id. */
  public static final String ID = "memory";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public InMemoryVectorStoreProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public String description() {
    return "in-memory store (exact search, keyword search, not durable)";
  }

  /**
   * Creates an empty in-memory store.
   *
   * @param config options; only {@code provider} is accepted
   * @return a new, empty store
   * @throws dev.portfolio.core.error.InvalidInputException for any other option
   */
  @Override
  public VectorStore create(Map<String, String> config) {
    ProviderConfig.of(ID, config).rejectUnknown();
    return new InMemoryVectorStore();
  }
}
