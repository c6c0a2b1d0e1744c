package dev.portfolio.core.spi;

import java.util.Map;

/**
 * Creates {@link ProgressReporter}s from configuration. Register implementations in {@code
 * META-INF/services/dev.portfolio.core.spi.ProgressReporterProvider}.
 *
 * @since 0.1.0
 */
public interface ProgressReporterProvider extends NamedProvider {
  /**
   * Creates a reporter.
   *
   * @param config provider options; unknown keys are rejected
   * @return a new reporter
   */
  ProgressReporter create(Map<String, String> config);
}
