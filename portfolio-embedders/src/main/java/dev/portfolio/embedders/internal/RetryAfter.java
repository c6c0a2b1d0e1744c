package dev.portfolio.embedders.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a service asked the client to wait: {@code retry-after-ms} (milliseconds, sent by
 * OpenAI), else {@code Retry-After} as delta-seconds or an HTTP date.
 */
final class RetryAfter {
  private RetryAfter() {}

  static Optional<Duration> parse(HttpHeaders headers) {
    return parse(
        headers.firstValue("retry-after-ms").orElse(null),
        headers.firstValue("Retry-After").orElse(null),
        Instant.now());
  }

  static Optional<Duration> parse(String millis, String retryAfter, Instant now) {
    if (millis != null) {
      try {
        double ms = Double.parseDouble(millis.trim());
        if (ms >= 0 && Double.isFinite(ms)) {
          return Optional.of(Duration.ofMillis((long) Math.ceil(ms)));
        }
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    if (retryAfter == null || retryAfter.isBlank()) {
      return Optional.empty();
    }
    String v = retryAfter.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds >= 0 && Double.isFinite(seconds)
          ? Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)))
          : Optional.empty();
    } catch (NumberFormatException e) {
      // an HTTP date
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
