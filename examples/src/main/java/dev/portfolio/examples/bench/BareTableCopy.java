package dev.portfolio.examples.bench;

import dev.portfolio.core.model.ChunkInput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The denominator of every throughput ratio: the benchmark's rows sent with {@code COPY ... FROM
 * STDIN (FORMAT binary)} in one transaction into a bare table of the shape LangChain4j's pgvector
 * store uses, {@code (id uuid PRIMARY KEY, embedding vector(384), text text, metadata jsonb)}, with
 * nothing else on it. No library sits between the rows and the wire: the encoder is the few lines
 * below, written for this benchmark on pgjdbc's {@link CopyIn}.
 */
final class BareTableCopy {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  private final String table;

  BareTableCopy(String schema, String name) {
    this.table = schema + "." + name;
  }

  /** Creates the table, copies every row of the corpus into it and returns the seconds taken. */
  double load(DataSource pool, SyntheticCorpus corpus) throws SQLException {
    return load(pool, corpus, corpus.rows());
  }

  /** As {@link #load(DataSource, SyntheticCorpus)}, for the first {@code rows} rows. */
  double load(DataSource pool, SyntheticCorpus corpus, int rows) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute(
            "CREATE TABLE "
                + table
                + " (id uuid PRIMARY KEY, embedding vector("
                + SyntheticCorpus.DIMENSION
                + "), text text, metadata jsonb)");
      }
      c.setAutoCommit(false);
      long start = System.nanoTime();
      CopyIn copy =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY " + table + " (id, embedding, text, metadata) FROM STDIN (FORMAT binary)");
      try {
        Encoder out = new Encoder(copy);
        for (int row = 0; row < rows; row++) {
          ChunkInput chunk = corpus.chunk(row);
          out.row(
              corpus.rowIds()[row],
              chunk.embedding().toArray(),
              chunk.text(),
              SyntheticCorpus.metadataJson(row));
        }
        out.finish();
        long stored = copy.endCopy();
        if (stored != rows) {
          throw new IllegalStateException("COPY stored " + stored + " rows of " + rows);
        }
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
      c.commit();
      c.setAutoCommit(true);
      return (System.nanoTime() - start) / 1e9;
    }
  }

  void drop(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  /**
   * PostgreSQL's binary COPY format into a 64 KiB buffer: a header, then per row a 16-bit field
   * count and per field a 32-bit length and the type's binary receive form (uuid: 16 bytes; vector:
   * int16 dimension, int16 zero, float4s; text: UTF-8; jsonb: version byte 1 and the JSON text),
   * then a -1 trailer.
   */
  private static final class Encoder {
    private final CopyIn copy;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

    Encoder(CopyIn copy) {
      this.copy = copy;
      buffer.put(SIGNATURE).putInt(0).putInt(0);
    }

    void row(UUID id, float[] vector, String text, String json) throws SQLException {
      byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
      byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
      int size = 2 + 20 + 8 + 4 * vector.length + 4 + textBytes.length + 5 + jsonBytes.length;
      if (size > buffer.capacity()) {
        throw new IllegalArgumentException("row of " + size + " bytes does not fit the buffer");
      }
      if (size > buffer.remaining()) {
        flush();
      }
      buffer.putShort((short) 4);
      buffer.putInt(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
      buffer.putInt(4 + 4 * vector.length).putShort((short) vector.length).putShort((short) 0);
      for (float f : vector) {
        buffer.putFloat(f);
      }
      buffer.putInt(textBytes.length).put(textBytes);
      buffer.putInt(1 + jsonBytes.length).put((byte) 1).put(jsonBytes);
    }

    void finish() throws SQLException {
      if (buffer.remaining() < 2) {
        flush();
      }
      buffer.putShort((short) -1);
      flush();
    }

    private void flush() throws SQLException {
      copy.writeToCopy(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
  }
}
