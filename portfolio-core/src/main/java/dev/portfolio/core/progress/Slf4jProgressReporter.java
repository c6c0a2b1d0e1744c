package dev.portfolio.core.progress;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.validation.Inputs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs progress through SLF4J, for services whose output goes to log files:
 *
 * <ul>
 *   <li>INFO when an operation starts: {@code reembed docs: started, 10,000 to do};
 *   <li>INFO while it runs, each time another 10% is done or when {@code interval} has passed since
 *       the last line: {@code reembed docs: 45.0% (4,500/10,000) 1,234/s ETA 0:04};
 *   <li>INFO when it succeeds, with the elapsed time, count and rate: {@code reembed docs: done in
 *       0:08, 10,000/10,000 at 1,250/s}; WARN when it fails: {@code reembed docs: FAILED after 0:04
 *       at 4,500/10,000 (45.0%): connection refused}.
 * </ul>
 *
 * <p>The logger is {@value #DEFAULT_LOGGER} unless another name is given, so progress can be routed
 * or silenced on its own. Time is read from {@link ProgressEvent#elapsed()}. One reporter may serve
 * several operations; its methods are synchronized.
 *
 * @since 0.1.0
 */
public final class Slf4jProgressReporter implements ProgressReporter {
  /** The logger name used unless another is given. */
  public static final String DEFAULT_LOGGER = "dev.portfolio.progress";

  /** Time between progress lines when no 10% step triggers one (default: 10 seconds). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final Logger log;
  private final long intervalNanos;

  /** Per-operation throttles; guarded by {@code this}. */
  private final Map<String, LineThrottle> throttles = new HashMap<>();

  /** Creates a reporter on the logger {@value #DEFAULT_LOGGER} with the default interval. */
  public Slf4jProgressReporter() {
    this(DEFAULT_LOGGER, DEFAULT_INTERVAL);
  }

  /**
   * Creates a reporter on a named logger.
   *
   * @param loggerName the logger name, not blank
   * @param interval the longest time between two progress lines while progress is reported,
   *     positive
   * @throws InvalidInputException when an argument is null, blank or not positive
   */
  public Slf4jProgressReporter(String loggerName, Duration interval) {
    this(LoggerFactory.getLogger(Inputs.requireKey("logger", loggerName)), interval);
  }

  /**
   * Creates a reporter on a given logger.
   *
   * @param logger the logger, not null
   * @param interval the longest time between two progress lines while progress is reported,
   *     positive
   * @throws InvalidInputException when an argument is null or not positive
   */
  public Slf4jProgressReporter(Logger logger, Duration interval) {
    this.log = Inputs.requireNonNull("logger", logger);
    Inputs.requireNonNull("interval", interval);
    if (interval.isNegative() || interval.isZero()) {
      throw new InvalidInputException(
          "interval", "interval must be positive (was " + interval + ")");
    }
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Returns the name of the logger this reporter writes to.
   *
   * @return the logger name
   */
  public String loggerName() {
    return log.getName();
  }

  @Override
  public synchronized void started(ProgressEvent event) {
    throttles.put(event.operation(), new LineThrottle(intervalNanos));
    if (log.isInfoEnabled()) {
      log.info(ProgressFormat.startLine(event));
    }
  }

  @Override
  public synchronized void progressed(ProgressEvent event) {
    LineThrottle throttle =
        throttles.computeIfAbsent(event.operation(), op -> new LineThrottle(intervalNanos));
    if (log.isInfoEnabled() && throttle.due(event)) {
      log.info(ProgressFormat.progressLine(event));
    }
  }

  @Override
  public synchronized void finished(ProgressEvent event) {
    throttles.remove(event.operation());
    if (event.outcome() == ProgressEvent.Outcome.FAILED) {
      log.warn(ProgressFormat.finishLine(event));
    } else if (log.isInfoEnabled()) {
      log.info(ProgressFormat.finishLine(event));
    }
  }
}
