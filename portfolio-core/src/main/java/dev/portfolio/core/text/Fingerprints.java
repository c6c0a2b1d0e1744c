package dev.portfolio.core.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content hashes and fingerprints.
 *
 * @since 0.1.0
 */
public final class Fingerprints {
  private Fingerprints() {}

  /**
   * Returns the SHA-256 of a string's UTF-8 bytes as 64 lower-case hex digits.
   *
   * @param text the text, not null
   * @return the hex digest
   */
  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
