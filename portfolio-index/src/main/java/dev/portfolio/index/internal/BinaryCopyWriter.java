package dev.portfolio.index.internal;

import dev.portfolio.core.model.Embedding;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows to {@code COPY ... FROM STDIN (FORMAT binary)} in PostgreSQL's binary copy format:
 * an 11-byte signature, flags and header extension, then per row a 16-bit field count and per field
 * a 32-bit length (-1 for NULL) followed by the value in the type's binary receive format, then a
 * 16-bit -1 trailer. Values are written into a fixed buffer that is flushed to the server whenever
 * it fills, so memory stays constant however many rows are sent.
 *
 * <p>Not thread-safe. Call {@link #finish()} to complete the copy; {@link #close()} without finish
 * cancels it.
 */
public final class BinaryCopyWriter implements AutoCloseable {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int BUFFER_SIZE = 1 << 16;

  private final CopyIn copy;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int position;
  private boolean finished;
  private long bytes;

  private BinaryCopyWriter(CopyIn copy) {
    this.copy = copy;
    System.arraycopy(SIGNATURE, 0, buffer, 0, SIGNATURE.length);
    position = SIGNATURE.length;
    INT.set(buffer, position, 0); // flags
    INT.set(buffer, position + 4, 0); // header extension length
    position += 8;
  }

  /**
   * Starts a binary copy on a connection.
   *
   * @param connection a pgjdbc connection, possibly wrapped by a pool
   * @param copySql the statement, {@code COPY t (cols) FROM STDIN (FORMAT binary)}
   * @return the writer
   * @throws SQLException when the connection is not pgjdbc's or the server rejects the statement
   */
  public static BinaryCopyWriter start(Connection connection, String copySql) throws SQLException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    return new BinaryCopyWriter(pg.getCopyAPI().copyIn(copySql));
  }

  /**
   * Starts a row.
   *
   * @param fieldCount the number of fields the row will have
   * @throws SQLException when flushing to the server fails
   */
  public void startRow(int fieldCount) throws SQLException {
    ensure(2);
    SHORT.set(buffer, position, (short) fieldCount);
    position += 2;
  }

  /**
   * Writes a NULL.
   *
   * @throws SQLException when flushing to the server fails
   */
  public void writeNull() throws SQLException {
    ensure(4);
    INT.set(buffer, position, -1);
    position += 4;
  }

  /**
   * Writes an {@code integer}.
   *
   * @param value the value
   * @throws SQLException when flushing to the server fails
   */
  public void writeInt(int value) throws SQLException {
    ensure(8);
    INT.set(buffer, position, 4);
    INT.set(buffer, position + 4, value);
    position += 8;
  }

  /**
   * Writes a {@code bigint}.
   *
   * @param value the value
   * @throws SQLException when flushing to the server fails
   */
  public void writeLong(long value) throws SQLException {
    ensure(12);
    INT.set(buffer, position, 8);
    LONG.set(buffer, position + 4, value);
    position += 12;
  }

  /**
   * Writes a {@code text} value, or NULL for null.
   *
   * @param value the text; it must not contain NUL characters
   * @throws SQLException when flushing to the server fails
   */
  public void writeText(String value) throws SQLException {
    if (value == null) {
      writeNull();
      return;
    }
    writeBytes(value.getBytes(StandardCharsets.UTF_8), -1);
  }

  /**
   * Writes a {@code jsonb} object of string values.
   *
   * @param values the entries, not null
   * @throws SQLException when flushing to the server fails
   */
  public void writeJsonb(Map<String, String> values) throws SQLException {
    writeBytes(Json.object(values).getBytes(StandardCharsets.UTF_8), 1);
  }

  /**
   * Writes a {@code vector} in pgvector's binary format (int16 dimension, int16 unused, float4
   * components), or NULL for null.
   *
   * @param embedding the embedding, may be null
   * @throws SQLException when flushing to the server fails
   */
  public void writeVector(Embedding embedding) throws SQLException {
    if (embedding == null) {
      writeNull();
      return;
    }
    int dim = embedding.dimension();
    int length = 4 + 4 * dim;
    ensure(4 + Math.min(length, BUFFER_SIZE - 4));
    INT.set(buffer, position, length);
    SHORT.set(buffer, position + 4, (short) dim);
    SHORT.set(buffer, position + 6, (short) 0);
    position += 8;
    int i = 0;
    while (i < dim) {
      // As many components as the buffer holds, without a check per component.
      ensure(4);
      int end = Math.min(dim, i + (BUFFER_SIZE - position) / 4);
      for (; i < end; i++) {
        INT.set(buffer, position, Float.floatToRawIntBits(embedding.get(i)));
        position += 4;
      }
    }
  }

  /**
   * Writes a {@code halfvec} in pgvector's binary format (int16 dimension, int16 unused, float2
   * components), or NULL for null.
   *
   * @param embedding the embedding, may be null
   * @throws SQLException when flushing to the server fails
   */
  public void writeHalfvec(Embedding embedding) throws SQLException {
    if (embedding == null) {
      writeNull();
      return;
    }
    int dim = embedding.dimension();
    ensure(8);
    INT.set(buffer, position, 4 + 2 * dim);
    SHORT.set(buffer, position + 4, (short) dim);
    SHORT.set(buffer, position + 6, (short) 0);
    position += 8;
    for (int i = 0; i < dim; i++) {
      ensure(2);
      SHORT.set(buffer, position, Float.floatToFloat16(embedding.get(i)));
      position += 2;
    }
  }

  /**
   * Writes a {@code tsvector}: the last encoding of the encoder, in {@code tsvectorrecv}'s format,
   * or NULL for null.
   *
   * @param tsvector the encoder after {@link TsVectorEncoder#encode(String)}, may be null
   * @throws IllegalStateException when the encoder holds no encoding (never called, or its last
   *     call failed)
   * @throws SQLException when flushing to the server fails
   */
  public void writeTsVector(TsVectorEncoder tsvector) throws SQLException {
    if (tsvector == null) {
      writeNull();
      return;
    }
    if (tsvector.length() == 0) {
      throw new IllegalStateException(
          "The tsvector encoder holds no value: call encode(text) before writeTsVector");
    }
    writeBytes(tsvector.buffer(), tsvector.length(), -1);
  }

  /**
   * Writes a {@code tsvector} encoded earlier ({@link TsVectorEncoder#toByteArray()}), or NULL for
   * null.
   *
   * @param encoded the binary tsvector, may be null
   * @throws SQLException when flushing to the server fails
   */
  public void writeTsVector(byte[] encoded) throws SQLException {
    if (encoded == null) {
      writeNull();
      return;
    }
    writeBytes(encoded, encoded.length, -1);
  }

  private void writeBytes(byte[] value, int prefix) throws SQLException {
    writeBytes(value, value.length, prefix);
  }

  /** Writes a field of {@code value[0, length)}, after a one-byte prefix unless it is -1. */
  private void writeBytes(byte[] value, int length, int prefix) throws SQLException {
    ensure(5);
    INT.set(buffer, position, length + (prefix >= 0 ? 1 : 0));
    position += 4;
    if (prefix >= 0) {
      buffer[position++] = (byte) prefix;
    }
    int offset = 0;
    while (offset < length) {
      if (position == BUFFER_SIZE) {
        flush();
      }
      int n = Math.min(length - offset, BUFFER_SIZE - position);
      System.arraycopy(value, offset, buffer, position, n);
      position += n;
      offset += n;
    }
  }

  private void ensure(int n) throws SQLException {
    if (position + n > BUFFER_SIZE) {
      flush();
    }
  }

  private void flush() throws SQLException {
    if (position > 0) {
      copy.writeToCopy(buffer, 0, position);
      bytes += position;
      position = 0;
    }
  }

  /**
   * Writes the trailer and completes the copy.
   *
   * @return the number of rows the server stored
   * @throws SQLException when the server rejects a row or the connection fails
   */
  public long finish() throws SQLException {
    ensure(2);
    SHORT.set(buffer, position, (short) -1);
    position += 2;
    flush();
    finished = true;
    return copy.endCopy();
  }

  /**
   * Returns the bytes sent so far.
   *
   * @return the byte count
   */
  public long bytesSent() {
    return bytes + position;
  }

  /** Cancels the copy unless {@link #finish()} completed it. */
  @Override
  public void close() throws SQLException {
    if (!finished && copy.isActive()) {
      copy.cancelCopy();
    }
  }
}
