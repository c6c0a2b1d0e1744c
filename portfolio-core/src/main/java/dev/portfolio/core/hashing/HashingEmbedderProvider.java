package dev.portfolio.core.hashing;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.ProviderConfig;
import dev.portfolio.core.validation.Inputs;
import java.util.Map;

/**
 * Creates {@link HashingEmbedder}s; id {@value #ID}. Options:
 *
 * <ul>
 *   <li>{@code dimension}: the vector dimension, from 1 to 16000 (default: 384).
 * </ul>
 *
 * <p>Unknown options are rejected. Its priority is {@value #PRIORITY}, so discovery picks any real
 * embedder on the classpath over it unless configuration names {@code hashing}.
 *
 * @since 0.1.0
 */
public final class HashingEmbedderProvider implements EmbedderProvider {
  /** The provider id: {@value}. */
  public static final String ID = HashingEmbedder.PROVIDER_ID;

  /** The discovery priority: {@value}, below the default 0 of real embedders. */
  public static final int PRIORITY = -100;

  /** The option naming the dimension: {@value}. */
  public static final String DIMENSION = "dimension";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public HashingEmbedderProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public String description() {
    return "hashing: deterministic lexical feature hashing, offline (tests and demos; not semantic)";
  }

  /**
   * Creates a hashing embedder.
   *
   * @param config the options; see the class documentation
   * @return a new embedder
   * @throws dev.portfolio.core.error.InvalidInputException for a malformed, out-of-range or unknown
   *     option
   */
  @Override
  public Embedder create(Map<String, String> config) {
    ProviderConfig options = ProviderConfig.of(ID, config);
    int dimension =
        options.integer(DIMENSION, HashingEmbedder.DEFAULT_DIMENSION, 1, Inputs.MAX_DIMENSION);
    options.rejectUnknown();
    return new HashingEmbedder(dimension);
  }
}
