package dev.portfolio.core.spi;

import dev.portfolio.core.error.InvalidInputException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a provider's options from a string map with clear errors: a malformed value names the key
 * and the expected form, and {@link #rejectUnknown} names any key no option claimed, with the known
 * ones. Secrets are never echoed in messages.
 *
 * @since 0.1.0
 */
public final class ProviderConfig {
  /** The key that selects a provider; always allowed. */
  public static final String PROVIDER_KEY = "provider";

  /**
   * The option every embedder accepts through {@link dev.portfolio.core.discovery.Providers}: the
   * price of 1,000 tokens (a decimal >= 0, default 0 for none), surfaced as {@link
   * EmbedderInfo#pricePer1kTokens()} for cost estimates and budgets.
   */
  public static final String PRICE_PER_1K_TOKENS = "pricePer1kTokens";

  private final String owner;
  private final Map<String, String> values;
  private final Set<String> known = new TreeSet<>();

  private ProviderConfig(String owner, Map<String, String> values) {
    this.owner = owner;
    this.values = Map.copyOf(values);
    known.add(PROVIDER_KEY);
  }

  /**
   * Wraps a configuration map.
   *
   * @param owner the provider id used in messages, for example {@code "openai"}
   * @param values the options, not null
   * @return the reader
   */
  public static ProviderConfig of(String owner, Map<String, String> values) {
    if (values == null) {
      throw new InvalidInputException("config", owner + " configuration must not be null");
    }
    return new ProviderConfig(owner, values);
  }

  /**
   * Reads an optional string.
   *
   * @param key the option key
   * @return the value, or empty when absent or blank
   */
  public Optional<String> string(String key) {
    known.add(key);
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * Reads a string with a default.
   *
   * @param key the option key
   * @param defaultValue the value when absent
   * @return the value
   */
  public String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  /**
   * Reads a required string.
   *
   * @param key the option key
   * @return the value
   * @throws InvalidInputException when absent or blank
   */
  public String require(String key) {
    return string(key)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    key, owner + " option '" + key + "' is required but was not set"));
  }

  /**
   * Reads an int within bounds.
   *
   * @param key the option key
   * @param defaultValue the value when absent
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return the value
   * @throws InvalidInputException when not an integer or out of range
   */
  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> raw = string(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          key, owner + " option '" + key + "' must be an integer (was \"" + raw.get() + "\")");
    }
    if (value < min || value > max) {
      throw new InvalidInputException(
          key,
          owner
              + " option '"
              + key
              + "' must be between "
              + min
              + " and "
              + max
              + " (was "
              + value
              + ")");
    }
    return value;
  }

  /**
   * Reads a decimal number within bounds.
   *
   * @param key the option key
   * @param defaultValue the value when absent
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return the value
   * @throws InvalidInputException when not a finite number or out of range
   */
  public double decimal(String key, double defaultValue, double min, double max) {
    Optional<String> raw = string(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    double value;
    try {
      value = Double.parseDouble(raw.get());
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!Double.isFinite(value)) {
      throw new InvalidInputException(
          key,
          owner
              + " option '"
              + key
              + "' must be a number such as 0.02 (was \""
              + raw.get()
              + "\")");
    }
    if (value < min || value > max) {
      throw new InvalidInputException(
          key,
          owner
              + " option '"
              + key
              + "' must be between "
              + min
              + " and "
              + max
              + " (was "
              + raw.get()
              + ")");
    }
    return value;
  }

  /**
   * Reads a boolean ({@code true} or {@code false}, case-insensitive).
   *
   * @param key the option key
   * @param defaultValue the value when absent
   * @return the value
   * @throws InvalidInputException when neither true nor false
   */
  public boolean bool(String key, boolean defaultValue) {
    Optional<String> raw = string(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidInputException(
              key,
              owner + " option '" + key + "' must be true or false (was \"" + raw.get() + "\")");
    };
  }

  /**
   * Reads a duration: ISO-8601 ({@code PT30S}) or a number with a unit ({@code 500ms}, {@code 30s},
   * {@code 2m}).
   *
   * @param key the option key
   * @param defaultValue the value when absent
   * @return the value, positive
   * @throws InvalidInputException when malformed or not positive
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> raw = string(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String s = raw.get().toLowerCase(java.util.Locale.ROOT);
    Duration d;
    try {
      if (s.startsWith("pt") || s.startsWith("p")) {
        d = Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
      } else if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      } else if (s.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      } else if (s.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      } else if (s.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1).trim()));
      } else {
        d = Duration.ofMillis(Long.parseLong(s));
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new InvalidInputException(
          key,
          owner
              + " option '"
              + key
              + "' must be a duration such as 500ms, 30s, 2m, 1h or PT30S (was \""
              + raw.get()
              + "\")");
    }
    if (d.isNegative() || d.isZero()) {
      throw new InvalidInputException(
          key, owner + " option '" + key + "' must be positive (was \"" + raw.get() + "\")");
    }
    return d;
  }

  /**
   * Rejects keys that no read claimed. Call after reading every option.
   *
   * @throws InvalidInputException naming the unknown keys and listing the known ones
   */
  public void rejectUnknown() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new InvalidInputException(
          unknown.iterator().next(),
          "Unknown "
              + owner
              + " option"
              + (unknown.size() > 1 ? "s " : " ")
              + unknown
              + ". Known options: "
              + known
              + ".");
    }
  }
}
