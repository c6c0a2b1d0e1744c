package dev.portfolio.core.spi;

import java.util.Map;

/**
 * Creates {@link Embedder}s from configuration. Register implementations in {@code
 * META-INF/services/dev.portfolio.core.spi.EmbedderProvider}.
 *
 * @since 0.1.0
 */
public interface EmbedderProvider extends NamedProvider {
  /**
   * Creates an embedder.
   *
   * @param config provider options (the key {@code provider}, if present, is the selector and is
   *     ignored); unknown keys are rejected with a message listing the known ones
   * @return a new embedder
   * @throws dev.portfolio.core.error.InvalidInputException for a missing, malformed or unknown
   *     option
   */
  Embedder create(Map<String, String> config);
}
