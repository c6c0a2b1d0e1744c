package dev.portfolio.core.progress;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.validation.Inputs;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Shows progress on a console.
 *
 * <p>On a terminal it draws one line that redraws in place with {@code '\r'}, at most every {@link
 * #REDRAW_INTERVAL} (the final state is always drawn), fitted to the terminal width: the figures
 * are kept whole, a long operation name is shortened with {@code "..."}, and the message gets the
 * room that is left:
 *
 * <pre>
 * [#########...........]  45.0%  4,500/10,000  1,234/s  ETA 0:04  reembed docs  page 45
 * </pre>
 *
 * <p>With an unknown total it shows a spinner, the count, the rate and the elapsed time instead:
 * {@code / 4,500 1,234/s elapsed 0:04 reembed docs} (the count and rate once something was
 * counted). When the operation ends, the bar is left in its final state and a summary line follows.
 *
 * <p>When the output is not a terminal (a log file, a CI console), it writes plain lines instead:
 * one when the operation starts, one each time another 10% is done or when {@code interval} has
 * passed since the last line, and one when it ends:
 *
 * <pre>
 * reembed docs: started, 10,000 to do
 * reembed docs: 10.0% (1,000/10,000)  1,250/s  ETA 0:07
 * reembed docs: done in 0:08, 10,000/10,000 at 1,250/s
 * </pre>
 *
 * <p>Time is read from {@link ProgressEvent#elapsed()}, so output depends only on the events. One
 * reporter may serve several operations; its methods are synchronized.
 *
 * @since 0.1.0
 */
public final class ConsoleProgressReporter implements ProgressReporter {
  /** Time between plain progress lines when nothing else triggers one (default: 10 seconds). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /** Shortest time between two redraws of the bar on a terminal: 100 ms. */
  public static final Duration REDRAW_INTERVAL = Duration.ofMillis(100);

  /** Line width used when the {@code COLUMNS} environment variable is absent or invalid. */
  public static final int DEFAULT_WIDTH = 100;

  /** Narrowest accepted line width. */
  public static final int MIN_WIDTH = 20;

  /** Widest accepted line width. */
  public static final int MAX_WIDTH = 1000;

  static final int BAR_WIDTH = 20;

  /** The fewest characters of an operation's name or message worth showing after the figures. */
  static final int MIN_NAME = 8;

  private static final String SPINNER = "|/-\\";

  private final PrintStream out;
  private final boolean terminal;
  private final long intervalNanos;
  private final int width;

  /** Per-operation state; guarded by {@code this}. */
  private final Map<String, State> states = new HashMap<>();

  /** Characters of the bar now on the terminal line (0 when the line is empty); guarded. */
  private int drawnLength;

  /** The operation whose bar is on the terminal line, or null; guarded. */
  private String drawnOperation;

  /**
   * Creates a reporter on {@link System#err} that draws a bar when {@link #detectTerminal()} says
   * it is a terminal, writes plain lines every {@link #DEFAULT_INTERVAL} otherwise, and fits lines
   * to {@link #terminalWidth()}.
   */
  public ConsoleProgressReporter() {
    this(System.err, detectTerminal(), DEFAULT_INTERVAL, terminalWidth());
  }

  /**
   * Creates a reporter with the default interval and width.
   *
   * @param out where to write, not null
   * @param terminal true to draw a bar that redraws in place, false for plain lines
   */
  public ConsoleProgressReporter(PrintStream out, boolean terminal) {
    this(out, terminal, DEFAULT_INTERVAL, terminalWidth());
  }

  /**
   * Creates a reporter.
   *
   * @param out where to write, not null
   * @param terminal true to draw a bar that redraws in place, false for plain lines
   * @param interval the longest time between two plain lines while progress is reported (plain mode
   *     only), positive
   * @param width the line width on a terminal, from {@link #MIN_WIDTH} to {@link #MAX_WIDTH}; lines
   *     are cut to {@code width - 1} characters so the cursor never wraps
   * @throws InvalidInputException when an argument is null or out of range
   */
  public ConsoleProgressReporter(PrintStream out, boolean terminal, Duration interval, int width) {
    this.out = Inputs.requireNonNull("out", out);
    this.terminal = terminal;
    Inputs.requireNonNull("interval", interval);
    if (interval.isNegative() || interval.isZero()) {
      throw new InvalidInputException(
          "interval", "interval must be positive (was " + interval + ")");
    }
    this.intervalNanos = interval.toNanos();
    this.width = Inputs.between("width", width, MIN_WIDTH, MAX_WIDTH);
  }

  /**
   * Tells whether this JVM writes to an interactive terminal: {@link System#console()} is not null
   * and, on JDK 22 and later (where a console exists even when output is redirected), {@code
   * Console.isTerminal()} is true. A {@code TERM} of {@code dumb} counts as no terminal.
   *
   * @return true when a redrawing bar will display correctly
   */
  public static boolean detectTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (NoSuchMethodException e) {
      // JDK 21: System.console() is non-null only when attached to a terminal.
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns the terminal width from the {@code COLUMNS} environment variable.
   *
   * @return its value clamped to {@link #MIN_WIDTH}..{@link #MAX_WIDTH}, or {@link #DEFAULT_WIDTH}
   *     when it is absent or not a number
   */
  public static int terminalWidth() {
    return widthFrom(System.getenv("COLUMNS"));
  }

  static int widthFrom(String columns) {
    if (columns == null || columns.isBlank()) {
      return DEFAULT_WIDTH;
    }
    try {
      return Math.clamp(Long.parseLong(columns.trim()), MIN_WIDTH, MAX_WIDTH);
    } catch (NumberFormatException e) {
      return DEFAULT_WIDTH;
    }
  }

  /**
   * Tells whether this reporter draws a redrawing bar.
   *
   * @return true in terminal mode, false in plain-line mode
   */
  public boolean isTerminal() {
    return terminal;
  }

  @Override
  public synchronized void started(ProgressEvent event) {
    State state = new State(intervalNanos);
    states.put(event.operation(), state);
    if (terminal) {
      draw(event, state);
    } else {
      line(ProgressFormat.startLine(event));
    }
  }

  @Override
  public synchronized void progressed(ProgressEvent event) {
    State state = states.computeIfAbsent(event.operation(), op -> new State(intervalNanos));
    if (terminal) {
      long now = event.elapsed().toNanos();
      if (!state.drawn || now - state.lastDrawNanos >= REDRAW_INTERVAL.toNanos()) {
        draw(event, state);
      }
    } else if (event.total() != 0 && state.throttle.due(event)) {
      // With nothing to do, the start and end lines say it all.
      line(ProgressFormat.progressLine(event));
    }
  }

  @Override
  public synchronized void finished(ProgressEvent event) {
    State state = states.remove(event.operation());
    if (terminal) {
      draw(event, state == null ? new State(intervalNanos) : state);
      out.print(System.lineSeparator());
      drawnLength = 0;
      drawnOperation = null;
    }
    line(ProgressFormat.finishLine(event));
  }

  private void draw(ProgressEvent event, State state) {
    String text = barLine(event, state);
    StringBuilder sb = new StringBuilder(text.length() + 8);
    if (drawnOperation != null && !drawnOperation.equals(event.operation())) {
      sb.append(System.lineSeparator());
      drawnLength = 0;
    }
    sb.append('\r').append(text);
    sb.append(" ".repeat(Math.max(0, drawnLength - text.length())));
    out.print(sb);
    out.flush();
    drawnLength = text.length();
    drawnOperation = event.operation();
    state.drawn = true;
    state.lastDrawNanos = event.elapsed().toNanos();
    state.frame++;
  }

  /** Writes a whole line, first ending a bar left on the terminal line. */
  private void line(String text) {
    if (drawnLength > 0) {
      out.print(System.lineSeparator());
      drawnLength = 0;
      drawnOperation = null;
    }
    out.print(text + System.lineSeparator());
    out.flush();
  }

  private String barLine(ProgressEvent e, State state) {
    StringBuilder sb = new StringBuilder(width + 16);
    String status =
        e.outcome() == null
            ? null
            : e.outcome() == ProgressEvent.Outcome.SUCCEEDED ? "done" : "FAILED";
    if (e.total() < 0) {
      sb.append(status == null ? SPINNER.charAt(state.frame % SPINNER.length()) : '*');
      if (e.current() > 0) {
        sb.append("  ").append(ProgressFormat.count(e.current()));
        sb.append("  ").append(ProgressFormat.rate(e.ratePerSecond()));
      }
      sb.append("  elapsed ").append(ProgressFormat.duration(e.elapsed()));
      if (status != null) {
        sb.append("  ").append(status);
      }
    } else {
      double pct = e.percentage().orElse(0.0);
      int filled = (int) Math.max(0, Math.min(BAR_WIDTH, Math.floor(pct * BAR_WIDTH / 100.0)));
      sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']');
      sb.append(String.format(java.util.Locale.ROOT, " %5.1f%%", pct));
      sb.append("  ").append(ProgressFormat.counts(e));
      sb.append("  ").append(ProgressFormat.rate(e.ratePerSecond()));
      sb.append("  ").append(status == null ? ProgressFormat.eta(e) : status);
    }
    return fit(sb.toString(), ProgressFormat.text(e.operation()), ProgressFormat.text(e.message()));
  }

  /**
   * Fits a bar line into {@code width - 1} characters so the cursor never wraps. The figures come
   * first and are kept whole; then the operation's name, shortened with {@code "..."} when it is
   * too long; then the message, in what room is left. When not even the figures fit, the line is
   * cut.
   */
  private String fit(String figures, String operation, String message) {
    int max = width - 1;
    int room = max - figures.length() - 2;
    if (room < MIN_NAME) {
      String line = figures + "  " + operation;
      if (line.length() <= max) {
        return line;
      }
      int cut = Character.isHighSurrogate(line.charAt(max - 1)) ? max - 1 : max;
      return line.substring(0, cut);
    }
    StringBuilder sb = new StringBuilder(max).append(figures).append("  ");
    if (operation.length() >= room) {
      return sb.append(ProgressFormat.shorten(operation, room)).toString();
    }
    sb.append(operation);
    int left = room - operation.length() - 2;
    if (!message.isEmpty() && left >= MIN_NAME) {
      sb.append("  ").append(ProgressFormat.shorten(message, left));
    }
    return sb.toString();
  }

  /** Drawing and throttling state of one operation. */
  private static final class State {
    final LineThrottle throttle;
    boolean drawn;
    long lastDrawNanos;
    int frame;

    State(long intervalNanos) {
      this.throttle = new LineThrottle(intervalNanos);
    }
  }
}
