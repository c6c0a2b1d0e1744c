package dev.portfolio.core.spi;

/**
 * A factory found by {@link java.util.ServiceLoader}: it has an id that configuration names it by
 * and a priority that breaks ties when nothing names one.
 *
 * @since 0.1.0
 */
public interface NamedProvider {
  /**
   * Returns the id configuration uses to select this provider, for example {@code "onnx"}.
   *
   * @return a stable, lower-case id
   */
  String id();

  /**
   * Returns the priority used when no provider is named: the highest wins (default: 0).
   *
   * @return the priority
   */
  default int priority() {
    return 0;
  }

  /**
   * Returns a one-line description for listings and messages (default: the id).
   *
   * @return the description
   */
  default String description() {
    return id();
  }
}
