package dev.portfolio.maintenance.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as operators write it: a whole number with a unit, {@code 45s}, {@code 90m},
 * {@code 12h}, {@code 30d}, {@code 2w}, or ISO-8601 ({@code PT1H30M}, {@code P30D}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(s|m|min|h|d|w)");

  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m", "min" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
    }
    if (v.startsWith("p")) {
      try {
        return Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw new TypeConversionException(
        "'"
            + Text.printable(value)
            + "' is not a duration; write a number and a unit (45s, 90m, 12h, 30d, 2w) or ISO-8601"
            + " (P30D)");
  }
}
