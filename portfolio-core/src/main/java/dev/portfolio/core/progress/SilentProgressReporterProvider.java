package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.ProgressReporterProvider;
import dev.portfolio.core.spi.ProviderConfig;
import java.util.Map;

/**
 * Provides {@link ProgressReporter#SILENT} under the id {@value #ID}. Priority {@value #PRIORITY},
 * the lowest of the built-in reporters. It takes no options.
 *
 * @since 0.1.0
 */
public final class SilentProgressReporterProvider implements ProgressReporterProvider {
  /** The provider id. */
  public static final String ID = "silent";

  /** The provider priority. */
  public static final int PRIORITY = 0;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public SilentProgressReporterProvider() {}

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
    return "Reports nothing";
  }

  @Override
  public ProgressReporter create(Map<String, String> config) {
    ProviderConfig.of(ID, config).rejectUnknown();
    return ProgressReporter.SILENT;
  }
}
