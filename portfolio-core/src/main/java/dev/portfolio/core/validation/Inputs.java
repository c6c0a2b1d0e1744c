package dev.portfolio.core.validation;

import dev.portfolio.core.error.InvalidInputException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Argument checks with messages that name the argument and the fix.
 *
 * <p>Collection names must match {@code ^[a-z0-9][a-z0-9_-]{0,62}$}: lower-case ASCII letters,
 * digits, {@code _} and {@code -}, starting with a letter or digit, at most 63 characters (the
 * PostgreSQL identifier limit). Upper-case letters are rejected rather than folded, so that {@code
 * Docs} and {@code docs} can never name two collections or the same one by accident.
 *
 * @since 0.1.0
 */
public final class Inputs {
  /** The pattern every collection name must match. */
  public static final Pattern COLLECTION_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");

  /** Longest document key, source id or workspace accepted, in characters. */
  public static final int MAX_KEY_LENGTH = 1024;

  /**
   * Longest document key, source id or workspace accepted, in UTF-8 bytes: PostgreSQL's B-tree
   * indexes cannot hold entries much above 2,700 bytes.
   */
  public static final int MAX_KEY_BYTES = 2000;

  /**
   * Longest chunk text accepted, in characters. PostgreSQL's {@code tsvector} of a chunk is limited
   * to 1 MiB of distinct words; ordinary text of 100,000 characters stays far below that, but a
   * text of characters that NFKC normalisation expands (such as U+3316, six katakana) can exceed
   * it, and the PostgreSQL store then reports that document as rejected.
   */
  public static final int MAX_CHUNK_TEXT_LENGTH = 100_000;

  /** Largest vector dimension accepted (pgvector's {@code vector} type limit). */
  public static final int MAX_DIMENSION = 16_000;

  private Inputs() {}

  /**
   * Requires a non-null argument.
   *
   * @param <T> the argument type
   * @param argument the argument name used in the message
   * @param value the value to check
   * @return the value
   * @throws InvalidInputException when the value is null
   */
  public static <T> T requireNonNull(String argument, T value) {
    if (value == null) {
      throw new InvalidInputException(argument, argument + " must not be null");
    }
    return value;
  }

  /**
   * Requires a string that is not null, not blank, at most {@link #MAX_KEY_LENGTH} characters and
   * {@link #MAX_KEY_BYTES} UTF-8 bytes, free of NUL characters and unpaired surrogates.
   *
   * @param argument the argument name used in the message
   * @param value the value to check
   * @return the value, unchanged
   * @throws InvalidInputException when the value is null, blank, too long or contains NUL
   */
  public static String requireKey(String argument, String value) {
    if (value == null) {
      throw new InvalidInputException(argument, argument + " must not be null");
    }
    if (value.isBlank()) {
      throw new InvalidInputException(
          argument, argument + " must not be blank (was \"" + value + "\")");
    }
    if (value.length() > MAX_KEY_LENGTH) {
      throw new InvalidInputException(
          argument,
          argument
              + " is "
              + value.length()
              + " characters long; the limit is "
              + MAX_KEY_LENGTH
              + ". Use a shorter key, for example a hash of the long one.");
    }
    int bytes = utf8Length(value);
    if (bytes > MAX_KEY_BYTES) {
      throw new InvalidInputException(
          argument,
          argument
              + " is "
              + bytes
              + " bytes long in UTF-8; the limit is "
              + MAX_KEY_BYTES
              + ". Use a shorter key, for example a hash of the long one.");
    }
    int nul = value.indexOf('\0');
    if (nul >= 0) {
      throw new InvalidInputException(
          argument,
          argument + " contains a NUL character (U+0000) at index " + nul + "; remove it.");
    }
    int lone = unpairedSurrogate(value);
    if (lone >= 0) {
      throw new InvalidInputException(argument, argument + " " + surrogateProblem(value, lone));
    }
    return value;
  }

  /**
   * Like {@link #requireKey} but accepts null.
   *
   * @param argument the argument name used in the message
   * @param value the value to check, may be null
   * @return the value, unchanged
   * @throws InvalidInputException when the value is non-null and invalid
   */
  public static String optionalKey(String argument, String value) {
    return value == null ? null : requireKey(argument, value);
  }

  /**
   * Requires a valid collection name (see the class documentation for the rule).
   *
   * @param name the collection name
   * @return the name, unchanged
   * @throws InvalidInputException when the name is null or does not match {@link #COLLECTION_NAME}
   */
  public static String collectionName(String name) {
    if (name == null) {
      throw new InvalidInputException("collection", "collection must not be null");
    }
    if (COLLECTION_NAME.matcher(name).matches()) {
      return name;
    }
    String hint;
    if (name.isEmpty()) {
      hint = "it is empty";
    } else if (name.length() > 63) {
      hint = "it is " + name.length() + " characters long (at most 63)";
    } else if (COLLECTION_NAME.matcher(name.toLowerCase(java.util.Locale.ROOT)).matches()) {
      // Suggest the lower-case form only when it is valid (so it is also safe to echo).
      hint =
          "it contains upper-case letters; use \"" + name.toLowerCase(java.util.Locale.ROOT) + "\"";
    } else {
      hint = "it must start with a-z or 0-9 and contain only a-z, 0-9, '_' and '-'";
    }
    throw new InvalidInputException(
        "collection",
        "Invalid collection name \""
            + printable(name)
            + "\": "
            + hint
            + ". Names must match "
            + COLLECTION_NAME.pattern()
            + ".");
  }

  /**
   * Requires a vector dimension between 1 and {@link #MAX_DIMENSION}.
   *
   * @param argument the argument name used in the message
   * @param dimension the value to check
   * @return the dimension
   * @throws InvalidInputException when out of range
   */
  public static int dimension(String argument, int dimension) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new InvalidInputException(
          argument,
          argument + " must be between 1 and " + MAX_DIMENSION + " (was " + dimension + ")");
    }
    return dimension;
  }

  /**
   * Requires an int within bounds, naming the field as configuration checks do.
   *
   * @param argument the argument name, for example {@code "reembed.batchSize"}
   * @param value the value to check
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return the value
   * @throws InvalidInputException when out of range
   */
  public static int between(String argument, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidInputException(
          argument, argument + " must be between " + min + " and " + max + " (was " + value + ")");
    }
    return value;
  }

  /**
   * Explains why a chunk text cannot be stored, or returns empty when it can. Used by stores to
   * reject one row of a batch without failing the others.
   *
   * @param text the chunk text, may be null
   * @return the reason the text is invalid, or empty
   */
  public static Optional<String> chunkTextProblem(String text) {
    if (text == null) {
      return Optional.of("text is null");
    }
    if (text.isBlank()) {
      return Optional.of("text is empty or blank");
    }
    if (text.length() > MAX_CHUNK_TEXT_LENGTH) {
      return Optional.of(
          "text is "
              + text.length()
              + " characters long; the limit is "
              + MAX_CHUNK_TEXT_LENGTH
              + ". Chunk the document into smaller pieces.");
    }
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      return Optional.of(
          "text contains a NUL character (U+0000) at index "
              + nul
              + "; PostgreSQL cannot store it. Remove it before ingesting.");
    }
    int lone = unpairedSurrogate(text);
    if (lone >= 0) {
      return Optional.of("text " + surrogateProblem(text, lone));
    }
    return Optional.empty();
  }

  /**
   * Explains why a metadata map cannot be stored, or returns empty when it can.
   *
   * @param metadata the metadata, may be null (treated as empty)
   * @return the reason the map is invalid, or empty
   */
  public static Optional<String> metadataProblem(Map<String, String> metadata) {
    if (metadata == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        return Optional.of("metadata has an empty key");
      }
      if (e.getValue() == null) {
        return Optional.of("metadata key \"" + printable(e.getKey()) + "\" has a null value");
      }
      if (e.getKey().indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0) {
        return Optional.of(
            "metadata key \""
                + printable(e.getKey())
                + "\" contains a NUL character (U+0000); remove it");
      }
      if (unpairedSurrogate(e.getKey()) >= 0 || unpairedSurrogate(e.getValue()) >= 0) {
        return Optional.of(
            "metadata key \""
                + printable(e.getKey())
                + "\" contains an unpaired UTF-16 surrogate; fix the text's encoding");
      }
    }
    return Optional.empty();
  }

  /**
   * Requires a collection with at least one element and no null element.
   *
   * @param <C> the collection type
   * @param argument the argument name used in the message
   * @param values the collection to check
   * @return the collection
   * @throws InvalidInputException when null, empty or containing null
   */
  public static <C extends Collection<?>> C requireNonEmpty(String argument, C values) {
    if (values == null) {
      throw new InvalidInputException(argument, argument + " must not be null");
    }
    if (values.isEmpty()) {
      throw new InvalidInputException(argument, argument + " must not be empty");
    }
    int i = 0;
    for (Object v : values) {
      if (v == null) {
        throw new InvalidInputException(
            argument, argument + " must not contain null (element " + i + " is null)");
      }
      i++;
    }
    return values;
  }

  /**
   * Requires a non-null list without null elements; an empty list is accepted.
   *
   * @param <L> the list type
   * @param argument the argument name used in the message
   * @param values the list to check
   * @return the list
   * @throws InvalidInputException when the list is null or contains null (naming the index)
   */
  public static <L extends java.util.List<?>> L requireNoNullElements(String argument, L values) {
    if (values == null) {
      throw new InvalidInputException(argument, argument + " must not be null");
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new InvalidInputException(
            argument, argument + " must not contain null (element " + i + " is null)");
      }
    }
    return values;
  }

  /**
   * Renders a user-supplied string for an error message: control characters are escaped and long
   * values are shortened, so a hostile value cannot forge log lines.
   *
   * @param value the value, may be null
   * @return a printable, bounded rendering
   */
  public static String printable(String value) {
    return printable(value, 80);
  }

  /**
   * Renders a user-supplied string for one line of output: control characters are escaped, and
   * values longer than {@code maxLength} characters (after escaping) are cut there and end with
   * {@code "..."}.
   *
   * @param value the value, may be null
   * @param maxLength the longest rendering kept before the {@code "..."}, at least 1
   * @return a printable, bounded rendering
   * @since 0.1.0
   */
  public static String printable(String value, int maxLength) {
    if (value == null) {
      return "null";
    }
    int max = Math.max(1, maxLength);
    StringBuilder sb = new StringBuilder(Math.min(value.length(), max) + 8);
    int i = 0;
    for (; i < value.length() && sb.length() < max; i++) {
      char c = value.charAt(i);
      if (needsEscape(c)) {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (i < value.length()) {
      if (Character.isHighSurrogate(sb.charAt(sb.length() - 1))) {
        sb.setLength(sb.length() - 1); // never half a pair
      }
      sb.append("...");
    }
    return sb.toString();
  }

  /**
   * Finds a UTF-16 surrogate that is not part of a pair. Such text cannot be encoded as UTF-8:
   * drivers silently turn it into {@code '?'}, so stores reject it instead.
   *
   * @param value the text, not null
   * @return the index of the first unpaired surrogate, or -1
   */
  public static int unpairedSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static String surrogateProblem(String value, int index) {
    return String.format(
        java.util.Locale.ROOT,
        "contains an unpaired UTF-16 surrogate U+%04X at index %d, which UTF-8 (and PostgreSQL)"
            + " cannot represent; fix the text's encoding before ingesting.",
        (int) value.charAt(index),
        index);
  }

  private static int utf8Length(String value) {
    int bytes = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides. */
  private static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
