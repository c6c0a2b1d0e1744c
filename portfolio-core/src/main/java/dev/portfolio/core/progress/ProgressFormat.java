package dev.portfolio.core.progress;

import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.validation.Inputs;
import java.time.Duration;
import java.util.Locale;

/**
 * Renders progress numbers and the plain-text lines shared by the console (when not a terminal) and
 * the SLF4J reporter. Numbers use {@link Locale#ROOT}, so output is the same on every machine:
 * {@code 10,000}, {@code 45.0%}, {@code 1,234/s}, {@code 1:02:03}.
 */
final class ProgressFormat {
  private ProgressFormat() {}

  /** Formats a count with thousands separators: {@code 4,500}. */
  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /**
   * Formats a rate: one decimal below 100 units/s ({@code 2.5/s}), none above ({@code 1,234/s}).
   */
  static String rate(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      return "0.0/s";
    }
    return perSecond < 100
        ? String.format(Locale.ROOT, "%.1f/s", perSecond)
        : String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }

  /** Formats a percentage with one decimal: {@code 45.0%}. */
  static String percent(double value) {
    return String.format(Locale.ROOT, "%.1f%%", value);
  }

  /**
   * Formats a duration, rounded down to the second: {@code 0:04}, {@code 12:30}, {@code 1:02:03}
   * (hours are not capped).
   */
  static String duration(Duration d) {
    long seconds = Math.max(0, d.getSeconds());
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%d:%02d", m, s);
  }

  /**
   * The longest operation name or message a plain line carries, after escaping: {@value}
   * characters, then {@code "..."}. Long enough for a whole result summary.
   */
  static final int MAX_TEXT = 400;

  /** Makes user text safe for one output line: control characters escaped, length bounded. */
  static String text(String value) {
    return Inputs.printable(value, MAX_TEXT);
  }

  /**
   * Shortens text to at most {@code max} characters: cut, without splitting a surrogate pair or
   * leaving a trailing space, and ending with {@code "..."} when something was cut.
   */
  static String shorten(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    if (max <= 3) {
      return "...".substring(0, Math.max(0, max));
    }
    int cut = max - 3;
    if (Character.isHighSurrogate(value.charAt(cut - 1))) {
      cut--;
    }
    return value.substring(0, cut).stripTrailing() + "...";
  }

  /** The line announcing a start: {@code reembed docs: started, 10,000 to do}. */
  static String startLine(ProgressEvent e) {
    StringBuilder sb = new StringBuilder(text(e.operation())).append(": started");
    sb.append(e.total() < 0 ? ", total unknown" : ", " + count(e.total()) + " to do");
    return withMessage(sb, e.message(), "  ");
  }

  /**
   * A progress line: {@code reembed docs: 45.0% (4,500/10,000) 1,234/s ETA 0:04 message}, or with
   * an unknown total {@code reembed docs: 4,500 done 1,234/s elapsed 0:04 message}.
   */
  static String progressLine(ProgressEvent e) {
    StringBuilder sb = new StringBuilder(text(e.operation())).append(": ");
    if (e.total() < 0) {
      sb.append(count(e.current())).append(" done  ").append(rate(e.ratePerSecond()));
      sb.append("  elapsed ").append(duration(e.elapsed()));
    } else {
      sb.append(percent(e.percentage().orElse(0.0)));
      sb.append(" (").append(count(e.current())).append('/').append(count(e.total())).append(')');
      sb.append("  ").append(rate(e.ratePerSecond())).append("  ").append(eta(e));
    }
    return withMessage(sb, e.message(), "  ");
  }

  /**
   * The final line: {@code reembed docs: done in 0:08, 10,000/10,000 at 1,250/s message}, or {@code
   * reembed docs: FAILED after 0:04 at 4,500/10,000 (45.0%): message}. With nothing counted the
   * counts and rate are left out ({@code diagnostics: done in 0:00 message}); with a total of 0 it
   * says {@code done in 0:00, nothing to do}.
   */
  static String finishLine(ProgressEvent e) {
    StringBuilder sb = new StringBuilder(text(e.operation())).append(": ");
    if (e.outcome() == ProgressEvent.Outcome.FAILED) {
      sb.append("FAILED after ").append(duration(e.elapsed())).append(" at ").append(counts(e));
      e.percentage().ifPresent(p -> sb.append(" (").append(percent(p)).append(')'));
      return withMessage(sb, e.message(), ": ");
    }
    sb.append("done in ").append(duration(e.elapsed()));
    if (e.total() == 0) {
      sb.append(", nothing to do");
    } else if (e.total() > 0 || e.current() > 0) {
      sb.append(", ").append(counts(e)).append(" at ").append(rate(e.ratePerSecond()));
    }
    return withMessage(sb, e.message(), "  ");
  }

  /** {@code ETA 0:04}, or {@code ETA --:--} while the rate is unknown. */
  static String eta(ProgressEvent e) {
    return "ETA " + e.eta().map(ProgressFormat::duration).orElse("--:--");
  }

  /** {@code 4,500/10,000}, or {@code 4,500} when the total is unknown. */
  static String counts(ProgressEvent e) {
    return e.total() < 0 ? count(e.current()) : count(e.current()) + "/" + count(e.total());
  }

  private static String withMessage(StringBuilder sb, String message, String separator) {
    if (!message.isEmpty()) {
      sb.append(separator).append(text(message));
    }
    return sb.toString();
  }
}
