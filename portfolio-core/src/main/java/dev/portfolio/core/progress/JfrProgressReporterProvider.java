package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.ProgressReporterProvider;
import dev.portfolio.core.spi.ProviderConfig;
import java.util.Map;

/**
 * Provides {@link JfrProgressReporter} (Java Flight Recorder events) under the id {@value #ID}.
 * Priority {@value #PRIORITY}: never chosen unless named. It takes no options.
 *
 * @since 0.1.0
 */
public final class JfrProgressReporterProvider implements ProgressReporterProvider {
  /** The provider id. */
  public static final String ID = "jfr";

  /** The provider priority. */
  public static final int PRIORITY = -10;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public JfrProgressReporterProvider() {}

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
    return "Java Flight Recorder events dev.portfolio.Operation and dev.portfolio.ProgressSample";
  }

  @Override
  public ProgressReporter create(Map<String, String> config) {
    ProviderConfig.of(ID, config).rejectUnknown();
    return new JfrProgressReporter();
  }
}
