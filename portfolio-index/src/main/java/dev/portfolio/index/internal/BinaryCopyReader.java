package dev.portfolio.index.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the output of {@code COPY ... TO STDOUT (FORMAT binary)} as it streams: the 11-byte
 * signature, flags and header extension, then per row a 16-bit field count and per field a 32-bit
 * length (-1 for NULL) and the value in the type's binary send format, then the 16-bit -1 trailer.
 * Reads through a fixed buffer, so memory stays constant however many rows come.
 *
 * <p>Not thread-safe. Fields are read in order: call {@link #nextRow()}, then one read method per
 * field.
 */
public final class BinaryCopyReader {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final InputStream in;
  private byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private int fieldsLeft;
  private long rows;

  /**
   * Starts reading; checks the header.
   *
   * @param in the copy's output, e.g. pgjdbc's {@code PGCopyInputStream}
   * @throws IOException when the stream fails or does not start with the binary copy header
   */
  public BinaryCopyReader(InputStream in) throws IOException {
    this.in = in;
    require(SIGNATURE.length + 8);
    if (!Arrays.equals(buffer, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
      throw new IOException("the COPY output does not start with the binary copy signature");
    }
    position = SIGNATURE.length + 4;
    int extension = (int) INT.get(buffer, position);
    position += 4;
    require(extension);
    position += extension;
  }

  /**
   * Moves to the next row.
   *
   * @return false at the trailer (no more rows)
   * @throws IOException when the stream fails or ends early
   */
  public boolean nextRow() throws IOException {
    if (fieldsLeft != 0) {
      throw new IllegalStateException(fieldsLeft + " fields of the previous row were not read");
    }
    require(2);
    short count = (short) SHORT.get(buffer, position);
    position += 2;
    if (count == -1) {
      return false;
    }
    fieldsLeft = count;
    rows++;
    return true;
  }

  /**
   * Returns the rows read so far.
   *
   * @return the count
   */
  public long rows() {
    return rows;
  }

  /**
   * Reads a {@code text} (or {@code varchar}, or any type sent as UTF-8 text) field.
   *
   * @return the value, or null for NULL
   * @throws IOException when the stream fails
   */
  public String readText() throws IOException {
    int length = fieldLength();
    if (length < 0) {
      return null;
    }
    require(length);
    String s = new String(buffer, position, length, StandardCharsets.UTF_8);
    position += length;
    return s;
  }

  /**
   * Reads an {@code integer} field.
   *
   * @return the value
   * @throws IOException when the stream fails or the field is NULL or not 4 bytes
   */
  public int readInt() throws IOException {
    expect(4);
    int v = (int) INT.get(buffer, position);
    position += 4;
    return v;
  }

  /**
   * Reads a {@code bigint} or {@code timestamptz} (microseconds since 2000-01-01) field.
   *
   * @return the value, or {@code nullValue} for NULL
   * @param nullValue what a NULL reads as
   * @throws IOException when the stream fails or the field is not 8 bytes
   */
  public long readLong(long nullValue) throws IOException {
    int length = fieldLength();
    if (length < 0) {
      return nullValue;
    }
    if (length != 8) {
      throw new IOException("a field of 8 bytes was expected, not " + length);
    }
    require(8);
    long v = (long) LONG.get(buffer, position);
    position += 8;
    return v;
  }

  /**
   * Reads a pgvector {@code vector} field (int16 dimension, int16 unused, float4 components).
   *
   * @return the components, or null for NULL
   * @throws IOException when the stream fails or the field is malformed
   */
  public float[] readVector() throws IOException {
    int length = fieldLength();
    if (length < 0) {
      return null;
    }
    require(length);
    int dimension = (short) SHORT.get(buffer, position) & 0xffff;
    if (length != 4 + 4 * dimension) {
      throw new IOException(
          "a vector of " + dimension + " dimensions cannot take " + length + " bytes");
    }
    float[] v = new float[dimension];
    int p = position + 4;
    for (int i = 0; i < dimension; i++) {
      v[i] = Float.intBitsToFloat((int) INT.get(buffer, p));
      p += 4;
    }
    position += length;
    return v;
  }

  private void expect(int size) throws IOException {
    int length = fieldLength();
    if (length != size) {
      throw new IOException("a field of " + size + " bytes was expected, not " + length);
    }
    require(size);
  }

  private int fieldLength() throws IOException {
    if (fieldsLeft-- <= 0) {
      throw new IllegalStateException("the row has no more fields");
    }
    require(4);
    int length = (int) INT.get(buffer, position);
    position += 4;
    return length;
  }

  /** Makes {@code n} bytes available from {@code position}. */
  private void require(int n) throws IOException {
    if (limit - position >= n) {
      return;
    }
    if (n > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(n, buffer.length * 2));
    }
    System.arraycopy(buffer, position, buffer, 0, limit - position);
    limit -= position;
    position = 0;
    while (limit < n) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        throw new EOFException("the COPY output ends inside a row");
      }
      limit += read;
    }
  }
}
