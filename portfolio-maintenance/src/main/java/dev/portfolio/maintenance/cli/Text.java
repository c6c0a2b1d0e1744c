package dev.portfolio.maintenance.cli;

import dev.portfolio.core.validation.Inputs;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting of numbers, times and user text for human output. */
final class Text {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Text() {}

  static String cell(Object value) {
    if (value instanceof Long || value instanceof Integer) {
      return count(((Number) value).longValue());
    }
    if (value instanceof Double d) {
      return String.format(Locale.ROOT, "%.1f", d);
    }
    if (value instanceof Instant i) {
      return time(i);
    }
    if (value instanceof Enum<?> e) {
      return lower(e);
    }
    return String.valueOf(value);
  }

  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String printable(String s) {
    return Inputs.printable(s);
  }
}
