package dev.portfolio.maintenance.internal.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Properties;
import java.util.regex.Pattern;

/** Names and constants of the archive format. */
final class ArchiveFormat {
  /** The format this library writes and reads. */
  static final int VERSION = 1;

  /** The manifest's {@code format} value. */
  static final String FORMAT = "portfolio-backup";

  static final String MANIFEST = "manifest.json";

  /** The ZIP comment: this prefix, then the SHA-256 (hex) of every byte before the comment. */
  static final String DIGEST_PREFIX = "portfolio-backup sha256=";

  /** The magic number that starts a vectors entry: "PFV1". */
  static final int VECTORS_MAGIC = 0x50465631;

  /**
   * The deflate level of the JSON lines entries. Measured with {@code scripts/bench-backup.sh 1
   * 2000}, one run each, one after the other: level 6 for every entry gave a 34.5 MB archive at
   * 0.05x raw COPY, level 1 with vectors at level 0 a 38.0 MB archive at 0.09x.
   */
  static final int TEXT_LEVEL = 1;

  /**
   * The deflate level of the vectors entries: float bits barely compress, so they are stored in
   * deflate's uncompressed blocks (still CRC-checked and hashed).
   */
  static final int VECTOR_LEVEL = 0;

  /** Every entry name an archive may hold. */
  static final Pattern ENTRY_NAME =
      Pattern.compile(
          "manifest\\.json|collections/[0-9]{4,6}/(collection\\.json|documents\\.jsonl"
              + "|chunks\\.jsonl|vectors-[0-9]{1,19}\\.bin)");

  private ArchiveFormat() {}

  static String directory(int index) {
    return String.format(java.util.Locale.ROOT, "collections/%04d", index);
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** The version of this library, from the build. */
  static String libraryVersion() {
    Properties p = new Properties();
    try (InputStream in = ArchiveFormat.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
