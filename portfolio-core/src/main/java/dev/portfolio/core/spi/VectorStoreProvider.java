package dev.portfolio.core.spi;

import java.util.Map;

/**
 * Creates {@link VectorStore}s from configuration. Register implementations in {@code
 * META-INF/services/dev.portfolio.core.spi.VectorStoreProvider}.
 *
 * @since 0.1.0
 */
public interface VectorStoreProvider extends NamedProvider {
  /**
   * Creates a store.
   *
   * @param config provider options (the key {@code provider}, if present, is the selector and is
   *     ignored); unknown keys are rejected with a message listing the known ones
   * @return a new store
   * @throws dev.portfolio.core.error.InvalidInputException for a missing, malformed or unknown
   *     option
   */
  VectorStore create(Map<String, String> config);
}
