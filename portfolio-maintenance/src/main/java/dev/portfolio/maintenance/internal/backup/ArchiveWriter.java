package dev.portfolio.maintenance.internal.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an archive: entries in sequence, each counted and hashed as it streams, then the manifest,
 * then the checksum of the whole file in the ZIP comment. The file appears under its name only when
 * complete (written beside it, then moved).
 */
final class ArchiveWriter implements AutoCloseable {
  private static final String PLACEHOLDER = "0".repeat(64);

  private final Path target;
  private final Path partial;
  private final ZipOutputStream zip;
  private final TailDigest digest;
  private final ArrayNode entries;
  private final boolean background;
  private boolean finished;

  ArchiveWriter(Path target, ObjectMapper json) throws IOException {
    this(target, json, false);
  }

  /**
   * Starts an archive.
   *
   * @param target where it goes (written beside it first)
   * @param json the mapper of the manifest
   * @param background whether each entry is compressed and written by a second thread while the
   *     caller produces the next bytes
   */
  ArchiveWriter(Path target, ObjectMapper json, boolean background) throws IOException {
    this.background = background;
    this.target = target;
    this.partial = target.resolveSibling(target.getFileName() + ".partial");
    this.digest =
        new TailDigest(
            new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16),
            ArchiveFormat.DIGEST_PREFIX.length() + PLACEHOLDER.length());
    this.zip = new ZipOutputStream(digest);
    this.zip.setComment(ArchiveFormat.DIGEST_PREFIX + PLACEHOLDER);
    this.entries = json.createArrayNode();
  }

  /**
   * Opens the next entry; closing the stream ends it. Not thread-safe; one entry at a time.
   *
   * @param name the entry name
   * @return the entry's stream
   */
  OutputStream entry(String name) throws IOException {
    return entry(name, ArchiveFormat.TEXT_LEVEL);
  }

  /**
   * Opens the next entry, deflated at a level of its own; closing the stream ends it.
   *
   * @param name the entry name
   * @param level the {@link java.util.zip.Deflater} level (0: no compression, 9: the smallest)
   * @return the entry's stream
   */
  OutputStream entry(String name, int level) throws IOException {
    zip.setLevel(level);
    zip.putNextEntry(new ZipEntry(name));
    MessageDigest sha = sha256();
    OutputStream sink = background ? new BackgroundWriter(zip, name) : zip;
    return new FilterOutputStream(sink) {
      private long size;
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        sink.write(b);
        sha.update((byte) b);
        size++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        sink.write(b, off, len);
        sha.update(b, off, len);
        size += len;
      }

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          if (sink != zip) {
            sink.close();
          }
          zip.closeEntry();
          ObjectNode e = entries.addObject();
          e.put("name", name);
          e.put("size", size);
          e.put("sha256", ArchiveFormat.hex(sha.digest()));
        }
      }
    };
  }

  /** Copies a file into a new entry. */
  void copy(String name, Path file, int level) throws IOException {
    try (OutputStream out = entry(name, level);
        InputStream in = Files.newInputStream(file)) {
      in.transferTo(out);
    }
  }

  /** The entries written so far, for the manifest. */
  ArrayNode entries() {
    return entries;
  }

  /**
   * Writes the manifest, closes the archive, seals it with its checksum and moves it into place.
   *
   * @param manifest the manifest (its {@code entries} are filled in here)
   * @return the SHA-256 of the whole file
   */
  String finish(ObjectMapper json, ObjectNode manifest) throws IOException {
    manifest.set("entries", entries.deepCopy());
    zip.setLevel(ArchiveFormat.TEXT_LEVEL);
    zip.putNextEntry(new ZipEntry(ArchiveFormat.MANIFEST));
    zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    zip.closeEntry();
    zip.close();
    // The digests were computed as the bytes streamed: no second read of the file.
    byte[] comment =
        (ArchiveFormat.DIGEST_PREFIX + PLACEHOLDER).getBytes(StandardCharsets.US_ASCII);
    if (!digest.tailEquals(comment)) {
      throw new IOException("the archive does not end with its checksum comment");
    }
    MessageDigest whole = digest.prefixDigest();
    String hex = ArchiveFormat.hex(digest.prefixDigest().digest());
    try (RandomAccessFile raf = new RandomAccessFile(partial.toFile(), "rw")) {
      raf.seek(digest.bytes() - PLACEHOLDER.length());
      raf.write(hex.getBytes(StandardCharsets.US_ASCII));
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    finished = true;
    whole.update((ArchiveFormat.DIGEST_PREFIX + hex).getBytes(StandardCharsets.US_ASCII));
    return ArchiveFormat.hex(whole.digest());
  }

  /**
   * Passes bytes through and hashes all of them but the last {@code tail} (the ZIP comment that
   * will carry the checksum), which it holds back until more bytes push them out.
   */
  private static final class TailDigest extends FilterOutputStream {
    private final MessageDigest sha = sha256();
    private final byte[] tail;
    private int filled;
    private long bytes;

    TailDigest(OutputStream out, int tail) {
      super(out);
      this.tail = new byte[tail];
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes += len;
      int toHash = filled + len - tail.length;
      if (toHash <= 0) {
        System.arraycopy(b, off, tail, filled, len);
        filled += len;
        return;
      }
      int fromTail = Math.min(toHash, filled);
      sha.update(tail, 0, fromTail);
      int fromNew = toHash - fromTail;
      sha.update(b, off, fromNew);
      int kept = filled - fromTail;
      System.arraycopy(tail, fromTail, tail, 0, kept);
      System.arraycopy(b, off + fromNew, tail, kept, len - fromNew);
      filled = tail.length;
    }

    boolean tailEquals(byte[] expected) {
      return filled == tail.length && java.util.Arrays.equals(tail, expected);
    }

    /** A copy of the digest of every byte but the tail. */
    MessageDigest prefixDigest() throws IOException {
      try {
        return (MessageDigest) sha.clone();
      } catch (CloneNotSupportedException e) {
        throw new IOException("this JVM's SHA-256 cannot be cloned", e);
      }
    }

    long bytes() {
      return bytes;
    }
  }

  /** The SHA-256 of a file's first {@code length} bytes. */
  static byte[] prefixDigest(Path file, long length) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("file ends before byte " + length);
        }
        sha.update(buffer, 0, n);
        left -= n;
      }
    }
    return sha.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Deletes the partial file unless the archive was finished. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      try {
        zip.close();
      } catch (IOException | RuntimeException e) {
        // the partial file is deleted below anyway
      }
      Files.deleteIfExists(partial);
    }
  }
}
