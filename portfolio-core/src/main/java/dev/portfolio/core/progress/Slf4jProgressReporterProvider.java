package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.ProgressReporterProvider;
import dev.portfolio.core.spi.ProviderConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Provides {@link Slf4jProgressReporter} under the id {@value #ID}. Priority {@value #PRIORITY},
 * the highest of the built-in reporters: a library reports through the host's logging unless told
 * otherwise.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code logger}: the logger name (default: {@value Slf4jProgressReporter#DEFAULT_LOGGER});
 *   <li>{@code interval}: the longest time between progress lines, such as {@code 30s} or {@code
 *       PT1M} (default: 10s).
 * </ul>
 *
 * @since 0.1.0
 */
public final class Slf4jProgressReporterProvider implements ProgressReporterProvider {
  /** The provider id. */
  public static final String ID = "slf4j";

  /** The provider priority. */
  public static final int PRIORITY = 10;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public Slf4jProgressReporterProvider() {}

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
    return "Progress lines through SLF4J at INFO, failures at WARN";
  }

  @Override
  public ProgressReporter create(Map<String, String> config) {
    ProviderConfig options = ProviderConfig.of(ID, config);
    String logger = options.string("logger", Slf4jProgressReporter.DEFAULT_LOGGER);
    Duration interval = options.duration("interval", Slf4jProgressReporter.DEFAULT_INTERVAL);
    options.rejectUnknown();
    return new Slf4jProgressReporter(logger, interval);
  }
}
