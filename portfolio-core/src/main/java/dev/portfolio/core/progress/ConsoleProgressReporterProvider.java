package dev.portfolio.core.progress;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.ProgressReporterProvider;
import dev.portfolio.core.spi.ProviderConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Provides {@link ConsoleProgressReporter} under the id {@value #ID}, writing to {@link
 * System#err}. Priority {@value #PRIORITY}: below {@code slf4j}, so a library never writes to the
 * console unless asked to; the {@code portfolio} command line names it explicitly.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code terminal}: {@code true} (redrawing bar), {@code false} (plain lines) or {@code auto}
 *       (default: {@code auto}, see {@link ConsoleProgressReporter#detectTerminal()});
 *   <li>{@code interval}: the longest time between plain lines, such as {@code 30s} or {@code PT1M}
 *       (default: 10s);
 *   <li>{@code width}: the line width on a terminal, 20 to 1000 (default: the {@code COLUMNS}
 *       environment variable, else 100).
 * </ul>
 *
 * @since 0.1.0
 */
public final class ConsoleProgressReporterProvider implements ProgressReporterProvider {
  /** The provider id. */
  public static final String ID = "console";

  /** The provider priority. */
  public static final int PRIORITY = 5;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public ConsoleProgressReporterProvider() {}

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
    return "Progress bar on a terminal, plain lines otherwise (stderr)";
  }

  @Override
  public ProgressReporter create(Map<String, String> config) {
    ProviderConfig options = ProviderConfig.of(ID, config);
    String terminalOption = options.string("terminal", "auto");
    boolean terminal =
        switch (terminalOption.toLowerCase(Locale.ROOT)) {
          case "auto" -> ConsoleProgressReporter.detectTerminal();
          case "true" -> true;
          case "false" -> false;
          default ->
              throw new InvalidInputException(
                  "terminal",
                  ID
                      + " option 'terminal' must be true, false or auto (was \""
                      + ProgressFormat.text(terminalOption)
                      + "\")");
        };
    Duration interval = options.duration("interval", ConsoleProgressReporter.DEFAULT_INTERVAL);
    int width =
        options.integer(
            "width",
            ConsoleProgressReporter.terminalWidth(),
            ConsoleProgressReporter.MIN_WIDTH,
            ConsoleProgressReporter.MAX_WIDTH);
    options.rejectUnknown();
    return new ConsoleProgressReporter(System.err, terminal, interval, width);
  }
}
