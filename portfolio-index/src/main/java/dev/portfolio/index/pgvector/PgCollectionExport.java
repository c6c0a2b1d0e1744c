package dev.portfolio.index.pgvector;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.Document;
import dev.portfolio.index.internal.BinaryCopyReader;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.Json;
import dev.portfolio.index.internal.SqlErrors;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

/**
 * Reads whole collections out of a {@link PgVectorStore} with {@code COPY ... TO STDOUT (FORMAT
 * binary)}, inside one {@code REPEATABLE READ READ ONLY} transaction: everything read through one
 * export is the same point-in-time snapshot, whatever writers do meanwhile. Rows stream through a
 * fixed buffer to the caller's sinks, so memory does not grow with the collection. Backups use it
 * on PostgreSQL instead of paging through the SPI.
 *
 * <pre>{@code
 * try (PgCollectionExport export = PgCollectionExport.open(store)) {
 *   export.documents("docs", d -> ...);   // by document id
 *   export.chunks("docs", c -> ...);      // in document order, then ordinal
 *   export.vectors("docs", setId, (key, ordinal, model, textHash, vector) -> ...);
 * }
 * }</pre>
 *
 * <p>Not thread-safe; holds one connection until closed. Needs only read rights.
 *
 * @since 0.1.0
 */
public final class PgCollectionExport implements AutoCloseable {
  /** Microseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01T00:00:00Z. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private final String schema;
  private final Connection connection;
  private boolean closed;

  /**
   * Receives rows; may throw I/O errors, which stop the export.
   *
   * @param <T> the row type
   */
  @FunctionalInterface
  public interface RowSink<T> {
    /**
     * Takes one row.
     *
     * @param row the row
     * @throws IOException to stop the export
     */
    void accept(T row) throws IOException;
  }

  /** Receives vectors; may throw I/O errors, which stop the export. */
  @FunctionalInterface
  public interface VectorSink {
    /**
     * Takes one vector.
     *
     * @param documentKey the key of its chunk's document
     * @param ordinal its chunk's ordinal
     * @param model the model that computed it, or null when it is the set's model
     * @param textHash the content hash of the text it was computed from
     * @param vector the components, bit-exact
     * @throws IOException to stop the export
     */
    void accept(String documentKey, int ordinal, String model, String textHash, float[] vector)
        throws IOException;
  }

  private PgCollectionExport(String schema, Connection connection) {
    this.schema = schema;
    this.connection = connection;
  }

  /**
   * Opens a snapshot of the store's schema.
   *
   * @param store the store, not null
   * @return the open export; close it
   * @throws NonRetriableException when no connection can be opened
   */
  public static PgCollectionExport open(PgVectorStore store) {
    String schema = Identifiers.quote(store.schema());
    Connection c = null;
    try {
      c = store.dataSource().getConnection();
      c.setAutoCommit(false);
      try (var s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        // The exports sort by document: in memory up to this size instead of on disk.
        s.execute("SET LOCAL work_mem = '64MB'");
      }
      return new PgCollectionExport(schema, c);
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw failure("opening a snapshot for an export", e);
    }
  }

  /**
   * Streams a collection's documents, soft-deleted ones included, in id order.
   *
   * @param collection the collection's name
   * @param sink takes each document
   * @return the number of documents
   * @throws IOException when the sink throws
   * @throws NonRetriableException with {@link ErrorCode#NOT_FOUND} when the collection does not
   *     exist in the snapshot, or when the database fails
   */
  public long documents(String collection, RowSink<Document> sink) throws IOException {
    long id = collectionId(collection);
    String sql =
        "COPY (SELECT id, key, source_id, workspace, status, fingerprint, metadata::text, error,"
            + " attempts, created_at, updated_at, deleted_at FROM "
            + schema
            + ".documents WHERE collection_id = "
            + id
            + " ORDER BY id) TO STDOUT (FORMAT binary)";
    return copy(
        sql,
        r -> {
          long docId = r.readLong(0);
          String key = r.readText();
          String source = r.readText();
          String workspace = r.readText();
          String status = r.readText();
          String fingerprint = r.readText();
          Map<String, String> metadata = Json.parseObject(r.readText());
          String error = r.readText();
          int attempts = r.readInt();
          Instant created = instant(r.readLong(Long.MIN_VALUE));
          Instant updated = instant(r.readLong(Long.MIN_VALUE));
          Instant deleted = instant(r.readLong(Long.MIN_VALUE));
          sink.accept(
              new Document(
                  docId,
                  collection,
                  key,
                  source,
                  workspace,
                  Rows.status(status),
                  fingerprint,
                  metadata,
                  error,
                  attempts,
                  created,
                  updated,
                  deleted));
        });
  }

  /**
   * Streams a collection's chunks without their vectors, ordered by document id, then ordinal: the
   * order of {@link #documents} and of {@link #vectors}.
   *
   * @param collection the collection's name
   * @param sink takes each chunk
   * @return the number of chunks
   * @throws IOException when the sink throws
   * @throws NonRetriableException as {@link #documents}
   */
  public long chunks(String collection, RowSink<Chunk> sink) throws IOException {
    long id = collectionId(collection);
    String sql =
        "COPY (SELECT c.id, d.key, c.ordinal, c.text, c.content_hash, c.token_count,"
            + " c.metadata::text FROM "
            + schema
            + ".chunks c JOIN "
            + schema
            + ".documents d ON d.id = c.document_id WHERE c.collection_id = "
            + id
            + " ORDER BY c.document_id, c.ordinal) TO STDOUT (FORMAT binary)";
    return copy(
        sql,
        r -> {
          long chunkId = r.readLong(0);
          String key = r.readText();
          int ordinal = r.readInt();
          String text = r.readText();
          String hash = r.readText();
          int tokens = r.readInt();
          Map<String, String> metadata = Json.parseObject(r.readText());
          sink.accept(
              new Chunk(
                  chunkId,
                  collection,
                  key,
                  ordinal,
                  text,
                  hash,
                  tokens,
                  null,
                  null,
                  null,
                  metadata));
        });
  }

  /**
   * Streams the vectors of one embedding set, in the order of {@link #chunks}.
   *
   * @param collection the collection's name
   * @param setId the set, one of the collection's
   * @param sink takes each vector
   * @return the number of vectors
   * @throws IOException when the sink throws
   * @throws NonRetriableException as {@link #documents}
   */
  public long vectors(String collection, long setId, VectorSink sink) throws IOException {
    long id = collectionId(collection);
    String sql =
        "COPY (SELECT d.key, c.ordinal, e.model, e.content_hash, e.embedding FROM "
            + schema
            + ".embeddings e JOIN "
            + schema
            + ".chunks c ON c.id = e.chunk_id JOIN "
            + schema
            + ".documents d ON d.id = c.document_id WHERE e.set_id = "
            + setId
            + " AND e.collection_id = "
            + id
            + " ORDER BY c.document_id, c.ordinal) TO STDOUT (FORMAT binary)";
    return copy(
        sql,
        r -> {
          String key = r.readText();
          int ordinal = r.readInt();
          String model = r.readText();
          String hash = r.readText();
          float[] vector = r.readVector();
          sink.accept(key, ordinal, model, hash, vector);
        });
  }

  private interface RowReader {
    void read(BinaryCopyReader r) throws IOException;
  }

  private long copy(String sql, RowReader rows) throws IOException {
    try (PGCopyInputStream in = new PGCopyInputStream(connection.unwrap(PGConnection.class), sql)) {
      BinaryCopyReader reader = new BinaryCopyReader(in);
      while (reader.nextRow()) {
        rows.read(reader);
      }
      // Drain to the end of the copy so the connection is ready for the next statement.
      while (in.read() >= 0) {
        // nothing after the trailer is expected
      }
      return reader.rows();
    } catch (SQLException e) {
      throw failure("COPY of rows", e);
    } catch (IOException e) {
      if (e.getCause() instanceof SQLException cause) {
        throw failure("COPY of rows", cause);
      }
      throw e;
    }
  }

  private long collectionId(String collection) {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT id FROM " + schema + ".collections WHERE name = ?")) {
      s.setString(1, collection);
      try (ResultSet rs = s.executeQuery()) {
        OptionalLong id = rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        return id.orElseThrow(
            () ->
                new NonRetriableException(
                    ErrorCode.NOT_FOUND,
                    "Collection '" + collection + "' does not exist; nothing was exported."));
      }
    } catch (SQLException e) {
      throw failure("finding collection '" + collection + "'", e);
    }
  }

  private static Instant instant(long pgMicros) {
    if (pgMicros == Long.MIN_VALUE) {
      return null;
    }
    long micros = pgMicros + PG_EPOCH_MICROS;
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static PortfolioException failure(String what, SQLException e) {
    return SqlErrors.translate("Exporting (" + what + ")", e);
  }

  /** Ends the read-only transaction and returns the connection. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      try {
        connection.rollback();
      } finally {
        connection.setAutoCommit(true);
        connection.close();
      }
    } catch (SQLException e) {
      // a read-only snapshot has nothing to lose; the pool discards a broken connection
    }
  }
}
