package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Parameters or a checkpoint of a job: an immutable map of strings (stored as a JSON object), with
 * typed getters whose errors name the parameter. Lists are stored under numbered keys ({@code
 * sourceId.1}, {@code sourceId.2}, ...), so a command line can pass them as {@code key=value}
 * pairs.
 *
 * @since 0.1.0
 */
public final class JobParams {
  private static final JobParams EMPTY = new JobParams(Map.of());

  private final Map<String, String> values;

  private JobParams(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Returns the empty parameters.
   *
   * @return no parameters
   */
  public static JobParams empty() {
    return EMPTY;
  }

  /**
   * Copies a map.
   *
   * @param values the parameters; neither keys nor values may be null
   * @return the parameters, in the map's iteration order
   * @throws InvalidInputException for a null or blank key or a null value
   */
  public static JobParams of(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k == null || k.isBlank()) {
            throw new InvalidInputException("params", "A job parameter needs a name (was blank)");
          }
          if (v == null) {
            throw new InvalidInputException(
                "params", "Job parameter '" + k + "' has no value: leave it out instead");
          }
          copy.put(k, v);
        });
    return copy.isEmpty() ? EMPTY : new JobParams(Collections.unmodifiableMap(copy));
  }

  /**
   * Returns a copy with one more parameter (or another value for it).
   *
   * @param key the name
   * @param value the value, not null
   * @return the new parameters
   */
  public JobParams with(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.put(key, value);
    return of(copy);
  }

  /**
   * Returns a copy with a list stored under numbered keys {@code key.1}, {@code key.2}, ...
   *
   * @param key the list's name
   * @param list the values, in order
   * @return the new parameters
   */
  public JobParams withList(String key, List<String> list) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.keySet().removeIf(k -> k.startsWith(key + ".") && isIndex(k.substring(key.length() + 1)));
    for (int i = 0; i < list.size(); i++) {
      copy.put(key + "." + (i + 1), list.get(i));
    }
    return of(copy);
  }

  /**
   * Returns the parameters as a map.
   *
   * @return an unmodifiable map
   */
  public Map<String, String> asMap() {
    return values;
  }

  /**
   * Tells whether there are none.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Returns a parameter.
   *
   * @param key the name
   * @return its value, or empty
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * Returns a parameter that must be there.
   *
   * @param key the name
   * @return its value
   * @throws InvalidInputException when it is missing
   */
  public String require(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new InvalidInputException(
          key, "Job parameter '" + key + "' is required; the job has " + values.keySet());
    }
    return v;
  }

  /**
   * Returns a parameter or a default.
   *
   * @param key the name
   * @param fallback returned when it is missing
   * @return the value
   */
  public String string(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /**
   * Returns a whole-number parameter or a default.
   *
   * @param key the name
   * @param fallback returned when it is missing
   * @return the value
   * @throws InvalidInputException when it is not a whole number
   */
  public long longValue(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          key, "Job parameter '" + key + "' must be a whole number (was '" + v + "')");
    }
  }

  /**
   * Returns an int parameter or a default.
   *
   * @param key the name
   * @param fallback returned when it is missing
   * @return the value
   * @throws InvalidInputException when it is not an int
   */
  public int intValue(String key, int fallback) {
    long v = longValue(key, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new InvalidInputException(
          key, "Job parameter '" + key + "' is out of range for an int (was " + v + ")");
    }
    return (int) v;
  }

  /**
   * Returns a boolean parameter or a default.
   *
   * @param key the name
   * @param fallback returned when it is missing
   * @return the value
   * @throws InvalidInputException when it is neither {@code true} nor {@code false}
   */
  public boolean bool(String key, boolean fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v.strip().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.strip().equalsIgnoreCase("false")) {
      return false;
    }
    throw new InvalidInputException(
        key, "Job parameter '" + key + "' must be true or false (was '" + v + "')");
  }

  /**
   * Returns a list stored with {@link #withList}.
   *
   * @param key the list's name
   * @return the values in order; empty when there are none
   */
  public List<String> list(String key) {
    List<String> out = new ArrayList<>();
    for (int i = 1; values.containsKey(key + "." + i); i++) {
      out.add(values.get(key + "." + i));
    }
    return out;
  }

  /**
   * Returns the parameters whose names start with a prefix, with the prefix removed: {@code
   * embedder.provider=openai} under {@code embedder.} is {@code provider=openai}.
   *
   * @param prefix the prefix, e.g. {@code embedder.}
   * @return the matching parameters
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && k.length() > prefix.length()) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobParams p && p.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
