package dev.portfolio.core.text;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Content hashes and fingerprints.
 *
 * <p>A document's fingerprint decides whether a sync must re-embed it: two inputs with the same
 * fingerprint are treated as the same content. {@link #normalize} removes differences that do not
 * change meaning (line endings, trailing spaces, Unicode composition) so that, for example, a file
 * checked out with CRLF line endings does not look changed.
 *
 * @since 0.1.0
 */
public final class Fingerprints {
  /** The tag that starts every encoded fingerprint input; changes if the encoding ever changes. */
  static final String FORMAT_TAG = "portfolio-fingerprint-v1";

  private Fingerprints() {}

  /**
   * Returns the SHA-256 of a string's UTF-8 bytes as 64 lower-case hex digits. The text is hashed
   * as is, without {@link #normalize normalisation}.
   *
   * @param text the text, not null
   * @return the hex digest
   * @throws InvalidInputException when {@code text} is null
   */
  public static String sha256Hex(String text) {
    Inputs.requireNonNull("text", text);
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Normalises text for fingerprinting. The steps, in order:
   *
   * <ol>
   *   <li>Unicode normalisation form NFC ({@link Normalizer.Form#NFC}): composed and decomposed
   *       spellings of the same character become one;
   *   <li>line endings: every CRLF ({@code \r\n}) and every lone CR ({@code \r}) becomes LF ({@code
   *       \n}); other separators (U+0085, U+2028, U+2029, form feed) are left as they are;
   *   <li>within each line, every run of spaces (U+0020) and tabs (U+0009) becomes a single space;
   *   <li>at the end of each line, trailing whitespace (every character for which {@link
   *       Character#isWhitespace(int)} is true) is removed;
   *   <li>runs of three or more LFs become exactly two, so at most one blank line separates
   *       paragraphs (lines made blank by the previous step count as blank);
   *   <li>leading and trailing whitespace of the whole text is removed ({@link String#strip()}).
   * </ol>
   *
   * <p>Letter case, punctuation, non-breaking spaces and every other character are kept. The result
   * is stable: normalising it again returns it unchanged. Runs in time linear in the text length.
   *
   * @param text the text, not null
   * @return the normalised text, possibly empty
   * @throws InvalidInputException when {@code text} is null
   */
  public static String normalize(String text) {
    Inputs.requireNonNull("text", text);
    return normalize(text, mayNeedComposition(text));
  }

  private static String normalize(String text, boolean mayNeedComposition) {
    String nfc = mayNeedComposition ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
    String fast = alreadyNormal(nfc);
    return fast != null ? fast : normalizeLines(nfc);
  }

  /** The line steps of {@link #normalize} without the fast path, for tests. */
  static String normalizeSlowly(String text) {
    return normalizeLines(Normalizer.normalize(text, Normalizer.Form.NFC));
  }

  /**
   * Returns the text stripped of leading and trailing whitespace when the line steps would change
   * nothing else (no CR, no tab, no two spaces in a row, no whitespace other than a line break
   * before a line break, no three line breaks in a row), else null. One pass, no copy but the final
   * substring. Paragraphs separated by one blank line, the usual shape of a document, take this
   * path.
   */
  static String alreadyNormal(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && Character.isWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c <= ' ') {
        if (c == '\r' || c == '\t' || (c == ' ' && s.charAt(i + 1) == ' ')) {
          return null;
        }
        if (c == '\n') {
          // A line break may follow a non-whitespace character or a line break (a blank line).
          char before = s.charAt(i - 1);
          if ((before != '\n' && Character.isWhitespace(before))
              || (s.charAt(i + 1) == '\n' && s.charAt(i + 2) == '\n')) {
            return null;
          }
        }
      }
    }
    return s.substring(start, end);
  }

  private static String normalizeLines(String nfc) {
    StringBuilder out = new StringBuilder(nfc.length());
    int newlines = 0; // LFs pending at the end of `out` (not yet written)
    int n = nfc.length();
    int i = 0;
    while (i < n) {
      // One line: [i, lineEnd), terminated by LF, CR, CRLF or the end of the text.
      int lineEnd = i;
      while (lineEnd < n && nfc.charAt(lineEnd) != '\n' && nfc.charAt(lineEnd) != '\r') {
        lineEnd++;
      }
      int contentEnd = lineEnd;
      while (contentEnd > i) {
        int cp = nfc.codePointBefore(contentEnd);
        if (!Character.isWhitespace(cp)) {
          break;
        }
        contentEnd -= Character.charCount(cp);
      }
      if (contentEnd > i) {
        if (out.length() > 0) {
          out.repeat('\n', Math.min(newlines, 2));
        }
        newlines = 0;
        appendCollapsed(out, nfc, i, contentEnd);
      }
      if (lineEnd < n) {
        newlines++;
        lineEnd += nfc.startsWith("\r\n", lineEnd) ? 2 : 1;
      }
      i = lineEnd;
    }
    // Leading whitespace of the first line (not removed by the per-line steps) is stripped here.
    return out.toString().strip();
  }

  /**
   * Text whose every {@code char} is below U+0300 (the first combining mark) is in NFC already: no
   * such character decomposes or combines with another. Skips the normaliser for such text.
   */
  private static boolean mayNeedComposition(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= '\u0300') {
        return true;
      }
    }
    return false;
  }

  private static void appendCollapsed(StringBuilder out, String s, int from, int to) {
    boolean inRun = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        if (!inRun) {
          out.append(' ');
          inRun = true;
        }
      } else {
        out.append(c);
        inRun = false;
      }
    }
  }

  /**
   * Returns the content fingerprint of a document: the SHA-256, as 64 lower-case hex digits, of an
   * unambiguous encoding of {@link #normalize normalize(text)} and the chosen metadata entries.
   *
   * <p>Metadata values are taken exactly as given (not normalised). Keys are sorted (by {@link
   * String#compareTo}) and de-duplicated, so the order of {@code metadataKeys} and of {@code
   * metadata} does not matter. A chosen key absent from {@code metadata} is encoded as missing,
   * which differs from an empty value. Metadata keys that are not chosen do not affect the result.
   *
   * <p>The encoding fed to SHA-256, where {@code str(s)} is the 4-byte big-endian length of the
   * UTF-8 bytes of {@code s} followed by those bytes:
   *
   * <pre>{@code
   * str("portfolio-fingerprint-v1") str(normalize(text)) count
   * then, for each chosen key in sorted order:
   *   str(key) 0x00                  -- the key is missing from metadata
   *   str(key) 0x01 str(value)       -- the key is present
   * }</pre>
   *
   * <p>where {@code count} is the number of distinct chosen keys as 4 big-endian bytes. Every field
   * is length-prefixed, so moving characters between the text, a key and a value always changes the
   * input. Unpaired surrogates, which UTF-8 cannot represent, are encoded as their 3-byte
   * generalised UTF-8 form rather than replaced, so they cannot collide with {@code '?'}.
   *
   * @param text the document text, not null
   * @param metadata the document's metadata, not null; values of chosen keys must not be null
   * @param metadataKeys the keys whose entries take part, not null, no null element; may be empty
   * @return the hex fingerprint
   * @throws InvalidInputException when an argument is null, a chosen key is null or a chosen key
   *     maps to null
   */
  public static String fingerprint(
      String text, Map<String, String> metadata, Collection<String> metadataKeys) {
    Inputs.requireNonNull("text", text);
    Inputs.requireNonNull("metadata", metadata);
    Inputs.requireNonNull("metadataKeys", metadataKeys);
    SortedSet<String> keys = new TreeSet<>();
    int index = 0;
    for (String key : metadataKeys) {
      if (key == null) {
        throw new InvalidInputException(
            "metadataKeys",
            "metadataKeys must not contain null (element " + index + " is null); remove it.");
      }
      keys.add(key);
      index++;
    }
    MessageDigest digest = sha256();
    Encoder enc = new Encoder(digest);
    enc.string(FORMAT_TAG);
    text(enc, text);
    enc.int32(keys.size());
    for (String key : keys) {
      enc.string(key);
      if (!metadata.containsKey(key)) {
        digest.update((byte) 0);
        continue;
      }
      String value = metadata.get(key);
      if (value == null) {
        throw new InvalidInputException(
            "metadata",
            "metadata value of key \""
                + Inputs.printable(key)
                + "\" is null; use an empty string or remove the key from metadataKeys.");
      }
      digest.update((byte) 1);
      enc.string(value);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Encodes {@code normalize(text)}. ASCII text that is normal but for its ends (the usual case) is
   * encoded once and hashed in place, scanned as bytes: no copy, no second encoding.
   */
  private static void text(Encoder enc, String text) {
    byte[] ascii = asciiBytes(text);
    if (ascii != null) {
      int[] range = alreadyNormal(ascii);
      if (range != null) {
        enc.bytes(ascii, range[0], range[1]);
      } else {
        enc.plainString(normalizeLines(text)); // ASCII: NFC already, no surrogate
      }
      return;
    }
    // Text whose every char is below U+0300 has no surrogate either: its UTF-8 is String's own.
    boolean composed = !mayNeedComposition(text);
    String normal = normalize(text, !composed);
    if (composed) {
      enc.plainString(normal);
    } else {
      enc.string(normal);
    }
  }

  /**
   * The UTF-8 bytes of an ASCII text, else null. One byte per char means every char is ASCII or an
   * unpaired surrogate (encoded as {@code '?'}); a {@code '?'} byte where the text has no {@code
   * '?'} tells the two apart.
   */
  private static byte[] asciiBytes(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != text.length()) {
      return null;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '?' && text.charAt(i) != '?') {
        return null;
      }
    }
    return bytes;
  }

  /**
   * As {@link #alreadyNormal(String)} for ASCII bytes: the range {@code [start, end)} of the normal
   * form (the bytes stripped of whitespace at both ends), or null when the line steps would change
   * more.
   */
  static int[] alreadyNormal(byte[] s) {
    int start = 0;
    int end = s.length;
    while (start < end && Character.isWhitespace(s[start])) {
      start++;
    }
    while (end > start && Character.isWhitespace(s[end - 1])) {
      end--;
    }
    for (int i = start; i < end; i++) {
      byte c = s[i];
      if (c <= ' ') {
        if (c == '\r' || c == '\t' || (c == ' ' && s[i + 1] == ' ')) {
          return null;
        }
        if (c == '\n') {
          byte before = s[i - 1];
          if ((before != '\n' && Character.isWhitespace(before))
              || (s[i + 1] == '\n' && s[i + 2] == '\n')) {
            return null;
          }
        }
      }
    }
    return new int[] {start, end};
  }

  /** {@link #fingerprint} through the full normalisation steps, without fast paths, for tests. */
  static String fingerprintSlowly(String text) {
    MessageDigest digest = sha256();
    Encoder enc = new Encoder(digest);
    enc.string(FORMAT_TAG);
    enc.string(normalizeSlowly(text));
    enc.int32(0);
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Writes length-prefixed generalised UTF-8 strings into a digest. */
  private static final class Encoder {
    private final MessageDigest digest;
    private final byte[] lengthBytes = new byte[4];

    Encoder(MessageDigest digest) {
      this.digest = digest;
    }

    void int32(int value) {
      lengthBytes[0] = (byte) (value >>> 24);
      lengthBytes[1] = (byte) (value >>> 16);
      lengthBytes[2] = (byte) (value >>> 8);
      lengthBytes[3] = (byte) value;
      digest.update(lengthBytes);
    }

    void string(String s) {
      byte[] bytes = utf8(s);
      int32(bytes.length);
      digest.update(bytes);
    }

    /** As {@link #string}, for UTF-8 bytes already encoded. */
    void bytes(byte[] utf8, int from, int to) {
      int32(to - from);
      digest.update(utf8, from, to - from);
    }

    /** As {@link #string}, for a string known to hold no surrogate. */
    void plainString(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      int32(bytes.length);
      digest.update(bytes);
    }

    /**
     * UTF-8 that keeps unpaired surrogates (as 3-byte sequences) instead of replacing them with
     * '?', so distinct strings always give distinct bytes. Equal to UTF-8 for well-formed text.
     */
    private static byte[] utf8(String s) {
      if (Inputs.unpairedSurrogate(s) < 0) {
        return s.getBytes(StandardCharsets.UTF_8); // the same bytes for well-formed text
      }
      byte[] out = new byte[s.length() * 3];
      int o = 0;
      int n = s.length();
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          out[o++] = (byte) c;
        } else if (c < 0x800) {
          out[o++] = (byte) (0xC0 | (c >> 6));
          out[o++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          out[o++] = (byte) (0xF0 | (cp >> 18));
          out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[o++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          out[o++] = (byte) (0xE0 | (c >> 12));
          out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          out[o++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      return java.util.Arrays.copyOf(out, o);
    }
  }
}
