package dev.portfolio.maintenance.backup;

/**
 * Size limits that verification and restore enforce before trusting an archive, against
 * decompression bombs and manifests that lie. An entry may not inflate beyond the size its manifest
 * declares, nor beyond these limits.
 *
 * @param maxEntries the most entries an archive may have
 * @param maxEntryBytes the largest uncompressed entry
 * @param maxTotalBytes the largest uncompressed total
 * @param maxRatio the largest ratio of an entry's uncompressed to compressed size (DEFLATE cannot
 *     exceed about 1,032)
 * @since 0.1.0
 */
public record ArchiveLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio) {
  /** Checks that every limit is positive. */
  public ArchiveLimits {
    if (maxEntries < 2 || maxEntryBytes < 1 || maxTotalBytes < 1 || maxRatio < 1) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "limits", "archive limits must be positive (maxEntries at least 2)");
    }
  }

  /**
   * The defaults: 100,000 entries, 64 GiB per entry, 256 GiB in all, ratio 1,100.
   *
   * @return the defaults
   */
  public static ArchiveLimits defaults() {
    return new ArchiveLimits(100_000, 64L << 30, 256L << 30, 1_100);
  }
}
