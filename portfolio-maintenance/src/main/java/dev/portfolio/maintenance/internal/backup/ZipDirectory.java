package dev.portfolio.maintenance.internal.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The central directory of a ZIP file, read by hand: {@link java.util.zip.ZipFile} hides what a
 * hostile archive can carry (duplicated names, symbolic links, encrypted entries), and the
 * archive's own checksum sits in the end-of-directory comment. ZIP64 is understood.
 */
final class ZipDirectory {
  private static final int EOCD = 0x06054b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_EOCD = 0x06064b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int UNIX = 3;
  private static final int S_IFMT = 0170000;
  private static final int S_IFLNK = 0120000;

  /**
   * One entry as the central directory describes it.
   *
   * @param name the entry name
   * @param compressedSize the stored size
   * @param size the uncompressed size
   * @param method the compression method (0 stored, 8 deflated)
   * @param encrypted whether the entry is encrypted
   * @param symlink whether the entry is a Unix symbolic link
   */
  record Entry(
      String name,
      long compressedSize,
      long size,
      int method,
      boolean encrypted,
      boolean symlink) {}

  private final List<Entry> entries;
  private final String comment;
  private final long commentOffset;

  private ZipDirectory(List<Entry> entries, String comment, long commentOffset) {
    this.entries = entries;
    this.comment = comment;
    this.commentOffset = commentOffset;
  }

  List<Entry> entries() {
    return entries;
  }

  /** The archive comment, decoded as UTF-8. */
  String comment() {
    return comment;
  }

  /** Where the comment starts: every byte before it is covered by the archive's checksum. */
  long commentOffset() {
    return commentOffset;
  }

  /**
   * Reads the central directory.
   *
   * @param file the archive
   * @param maxEntries the most entries accepted
   * @return the directory
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming what is malformed
   */
  static ZipDirectory read(Path file, int maxEntries) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 22) {
        throw new IllegalArgumentException("the file is too short to be a ZIP archive");
      }
      int tail = (int) Math.min(size, 22 + 65_535);
      ByteBuffer end = read(ch, size - tail, tail);
      int eocd = -1;
      for (int i = tail - 22; i >= 0; i--) {
        if (end.getInt(i) == EOCD && i + 22 + (end.getShort(i + 20) & 0xffff) == tail) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) {
        throw new IllegalArgumentException(
            "no end-of-central-directory record: the file is not a ZIP archive or is truncated");
      }
      int commentLength = end.getShort(eocd + 20) & 0xffff;
      byte[] commentBytes = new byte[commentLength];
      end.get(eocd + 22, commentBytes);
      long count = end.getShort(eocd + 10) & 0xffff;
      long cdSize = end.getInt(eocd + 12) & 0xffffffffL;
      long cdOffset = end.getInt(eocd + 16) & 0xffffffffL;
      long eocdPosition = size - tail + eocd;
      if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
        if (eocdPosition < 20) {
          throw new IllegalArgumentException("ZIP64 locator missing");
        }
        ByteBuffer locator = read(ch, eocdPosition - 20, 20);
        if (locator.getInt(0) != ZIP64_LOCATOR) {
          throw new IllegalArgumentException("ZIP64 locator missing");
        }
        long z64 = locator.getLong(8);
        if (z64 < 0 || z64 > size - 56) {
          throw new IllegalArgumentException("ZIP64 end record outside the file");
        }
        ByteBuffer rec = read(ch, z64, 56);
        if (rec.getInt(0) != ZIP64_EOCD) {
          throw new IllegalArgumentException("ZIP64 end record damaged");
        }
        count = rec.getLong(32);
        cdSize = rec.getLong(40);
        cdOffset = rec.getLong(48);
      }
      if (count > maxEntries) {
        throw new IllegalArgumentException(
            "the archive has " + count + " entries; at most " + maxEntries + " are accepted");
      }
      if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > eocdPosition || cdSize > 64L << 20) {
        throw new IllegalArgumentException("the central directory lies outside the file");
      }
      ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
      List<Entry> entries = new ArrayList<>();
      Set<String> names = new HashSet<>();
      int p = 0;
      for (long k = 0; k < count; k++) {
        if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL) {
          throw new IllegalArgumentException("central directory entry " + (k + 1) + " is damaged");
        }
        int madeBy = (cd.getShort(p + 4) & 0xffff) >>> 8;
        int flags = cd.getShort(p + 8) & 0xffff;
        int method = cd.getShort(p + 10) & 0xffff;
        long compressed = cd.getInt(p + 20) & 0xffffffffL;
        long uncompressed = cd.getInt(p + 24) & 0xffffffffL;
        int nameLength = cd.getShort(p + 28) & 0xffff;
        int extraLength = cd.getShort(p + 30) & 0xffff;
        int entryCommentLength = cd.getShort(p + 32) & 0xffff;
        int external = cd.getInt(p + 38);
        int next = p + 46 + nameLength + extraLength + entryCommentLength;
        if (next > cd.limit()) {
          throw new IllegalArgumentException("central directory entry " + (k + 1) + " is damaged");
        }
        byte[] nameBytes = new byte[nameLength];
        cd.get(p + 46, nameBytes);
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        if (compressed == 0xffffffffL || uncompressed == 0xffffffffL) {
          long[] sizes = zip64Sizes(cd, p + 46 + nameLength, extraLength, uncompressed, compressed);
          uncompressed = sizes[0];
          compressed = sizes[1];
        }
        if (!names.add(name)) {
          throw new IllegalArgumentException("entry name '" + name + "' appears twice");
        }
        boolean symlink = madeBy == UNIX && ((external >>> 16) & S_IFMT) == S_IFLNK;
        entries.add(new Entry(name, compressed, uncompressed, method, (flags & 1) != 0, symlink));
        p = next;
      }
      return new ZipDirectory(
          List.copyOf(entries),
          new String(commentBytes, StandardCharsets.UTF_8),
          eocdPosition + 22);
    }
  }

  private static long[] zip64Sizes(
      ByteBuffer cd, int extraStart, int extraLength, long uncompressed, long compressed) {
    int q = extraStart;
    int end = extraStart + extraLength;
    while (q + 4 <= end) {
      int id = cd.getShort(q) & 0xffff;
      int len = cd.getShort(q + 2) & 0xffff;
      if (id == 1) {
        int r = q + 4;
        long u = uncompressed;
        long c = compressed;
        if (u == 0xffffffffL && r + 8 <= q + 4 + len) {
          u = cd.getLong(r);
          r += 8;
        }
        if (c == 0xffffffffL && r + 8 <= q + 4 + len) {
          c = cd.getLong(r);
        }
        return new long[] {u, c};
      }
      q += 4 + len;
    }
    throw new IllegalArgumentException("ZIP64 sizes missing in the central directory");
  }

  private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new IllegalArgumentException("the file ends early");
      }
    }
    return b.flip().order(ByteOrder.LITTLE_ENDIAN);
  }
}
