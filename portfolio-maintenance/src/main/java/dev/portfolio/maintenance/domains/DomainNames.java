package dev.portfolio.maintenance.domains;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * Turns a free-text title (a source's title, a source id) into a fragment of a collection name that
 * keeps to the store's rule ({@link Inputs#COLLECTION_NAME}: lower-case ASCII letters, digits,
 * {@code _} and {@code -}, at most {@value #MAX_LENGTH} characters):
 *
 * <ol>
 *   <li>the title is decomposed (Unicode NFKD) and its combining marks dropped, so accents go
 *       ({@code "Café Crème"} becomes {@code cafe_creme}) and compatibility forms fold (full-width
 *       {@code "ＡＢＣ"} becomes {@code abc}, the ligature {@code "ﬁ"} becomes {@code fi});
 *   <li>letters are lower-cased (locale-independent);
 *   <li>every run of characters other than {@code a-z} and {@code 0-9} (spaces, punctuation, {@code
 *       -}, {@code _}, emoji, letters of other scripts) becomes one {@code _}, and {@code _} is
 *       trimmed from both ends. Nothing is transliterated;
 *   <li>when letters or digits of another script were dropped ({@code "東京 Office"}), the fragment
 *       gets {@code _} and a short hash of the whole title ({@code office_3b1f0c2a}), so that
 *       {@code "大阪 Office"} does not collide with it; when nothing is left ({@code "東京"}, {@code
 *       "📚"}), the fragment is the hash alone;
 *   <li>a fragment longer than its room is cut and gets {@code _} and the hash, so that two long
 *       titles with the same beginning stay distinct.
 * </ol>
 *
 * <p>The hash is the first {@value #HASH_LENGTH} hex digits of the SHA-256 of the title in Unicode
 * NFC and UTF-8: stable across runs, machines and versions. Two titles that still give the same
 * name are a collision, which {@link DomainPlan} reports before anything is created.
 *
 * @since 0.1.0
 */
public final class DomainNames {
  /** The longest collection name the stores accept ({@link Inputs#COLLECTION_NAME}): {@value}. */
  public static final int MAX_LENGTH = 63;

  /** The number of hex digits of the hash appended to shortened or lossy fragments: {@value}. */
  public static final int HASH_LENGTH = 8;

  private DomainNames() {}

  /**
   * Sanitises a title into a name fragment of at most {@value #MAX_LENGTH} characters.
   *
   * @param title the title, not blank
   * @return the fragment: non-empty, only {@code a-z}, {@code 0-9} and {@code _}, starting and
   *     ending with a letter or digit
   * @throws InvalidInputException when the title is null or blank
   */
  public static String sanitize(String title) {
    return sanitize(title, MAX_LENGTH);
  }

  /**
   * Sanitises a title into a name fragment of at most {@code maxLength} characters.
   *
   * @param title the title, not blank
   * @param maxLength the room for the fragment, at least {@value #HASH_LENGTH}
   * @return the fragment: non-empty, only {@code a-z}, {@code 0-9} and {@code _}, starting and
   *     ending with a letter or digit
   * @throws InvalidInputException when the title is null or blank, or the room too small
   */
  public static String sanitize(String title, int maxLength) {
    Inputs.requireKey("title", title);
    if (maxLength < HASH_LENGTH) {
      throw new InvalidInputException(
          "maxLength", "maxLength must be at least " + HASH_LENGTH + " (was " + maxLength + ")");
    }
    Folded folded = fold(title);
    String base = folded.text();
    if (base.isEmpty()) {
      return hash(title);
    }
    if (!folded.lossy() && base.length() <= maxLength) {
      return base;
    }
    int keep = maxLength - HASH_LENGTH - 1;
    String prefix = keep <= 0 ? "" : trimEnd(base.substring(0, Math.min(keep, base.length())));
    return prefix.isEmpty() ? hash(title) : prefix + "_" + hash(title);
  }

  /**
   * Returns the hash used to keep shortened or lossy fragments distinct.
   *
   * @param title the title, not null
   * @return {@value #HASH_LENGTH} lower-case hex digits
   */
  public static String hash(String title) {
    Inputs.requireNonNull("title", title);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  Normalizer.normalize(title, Normalizer.Form.NFC)
                      .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The folded text, and whether letters or digits that no name can hold were dropped. */
  private record Folded(String text, boolean lossy) {}

  private static Folded fold(String title) {
    String decomposed = Normalizer.normalize(title, Normalizer.Form.NFKD);
    StringBuilder sb = new StringBuilder(decomposed.length());
    boolean lossy = false;
    boolean separator = false;
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (type == Character.NON_SPACING_MARK
          || type == Character.ENCLOSING_MARK
          || type == Character.COMBINING_SPACING_MARK) {
        continue;
      }
      int lower = Character.toLowerCase(cp);
      if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
        if (separator && !sb.isEmpty()) {
          sb.append('_');
        }
        separator = false;
        sb.append((char) lower);
      } else {
        lossy |= Character.isLetterOrDigit(cp);
        separator = true;
      }
    }
    return new Folded(sb.toString(), lossy);
  }

  private static String trimEnd(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '_') {
      end--;
    }
    return s.substring(0, end);
  }
}
