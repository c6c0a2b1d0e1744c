package dev.portfolio.index.pgvector;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.internal.BinaryCopyWriter;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.SqlErrors;
import dev.portfolio.index.internal.TsVectorEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk-loads a new, empty collection of a {@link PgVectorStore} with {@code COPY ... FROM STDIN
 * (FORMAT binary)}: every document, then every chunk, then the active set's vectors, on one
 * connection (a second one draws ids). The ids of the chunks that get a vector wait in a temporary
 * file (8 bytes each) until the vectors come. Ids come from the tables' sequences in blocks;
 * keyword vectors are built here and sent in binary, as upserts do. An ANN index on the active set
 * is dropped before the load and built after it (building after a bulk load is much faster than
 * loading into an index). Restores load their staging collection with it.
 *
 * <p>Not atomic: each COPY commits on its own. Load a collection nobody reads yet (a staging
 * collection) and drop it when the load fails. Memory holds one id (8 bytes) per document. Not
 * thread-safe.
 *
 * <pre>{@code
 * try (PgCollectionLoad load = PgCollectionLoad.open(store, "restore-1a2b")) {
 *   load.document("a", "source", null, DocumentStatus.READY, null, Map.of(), null);
 *   load.startChunks();
 *   load.chunk(0, 0, "text", hash, 12, Map.of(), true);
 *   load.startVectors();
 *   load.vector(vector, null, hash);
 *   load.finish();
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class PgCollectionLoad implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgCollectionLoad.class);
  private static final int ID_BLOCK = 10_000;
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private final PgVectorStore store;
  private final String collection;
  private final String schema;
  private final long collectionId;
  private final EmbeddingSet active;
  private final Connection ids;
  private final Connection copyConnection;
  private final List<Connection> open = new ArrayList<>();
  private final String nextIds;
  private final TsVectorEncoder encoder = new TsVectorEncoder();
  private final boolean rebuildIndex;
  private long[] documentIds = new long[1024];
  private int documents;
  private long[] idBlock = new long[0];
  private int idNext;
  private String idTable;
  private BinaryCopyWriter documentCopy;
  private BinaryCopyWriter chunkCopy;
  private BinaryCopyWriter vectorCopy;
  private long chunks;
  private long vectors;
  private Path vectorIds;
  private DataOutputStream vectorIdsOut;
  private DataInputStream vectorIdsIn;
  private long expectedVectors;
  private boolean finished;

  private PgCollectionLoad(PgVectorStore store, String collection) throws SQLException {
    this.store = store;
    this.collection = collection;
    this.schema = Identifiers.quote(store.schema());
    this.active = store.activeSet(collection);
    this.nextIds =
        "SELECT array_agg(nextval(pg_get_serial_sequence(?, 'id'))) FROM generate_series(1, ?)";
    this.ids = connect();
    try (PreparedStatement s =
        ids.prepareStatement("SELECT id FROM " + schema + ".collections WHERE name = ?")) {
      s.setString(1, collection);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new NonRetriableException(
              ErrorCode.NOT_FOUND, "Collection '" + collection + "' does not exist.");
        }
        this.collectionId = rs.getLong(1);
      }
    }
    try (PreparedStatement s =
        ids.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM " + schema + ".documents WHERE collection_id = ?)")) {
      s.setLong(1, collectionId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          throw new NonRetriableException(
              ErrorCode.ALREADY_EXISTS,
              "Collection '" + collection + "' is not empty; a bulk load needs an empty one.");
        }
      }
    }
    this.rebuildIndex = dropAnnIndexes();
    this.copyConnection = connect();
    this.documentCopy =
        BinaryCopyWriter.start(
            copyConnection,
            "COPY "
                + schema
                + ".documents (id, collection_id, key, source_id, workspace, status, fingerprint,"
                + " metadata, error, deleted_at) FROM STDIN (FORMAT binary)");
  }

  /**
   * Starts loading an empty collection.
   *
   * @param store the store
   * @param collection the collection, which must exist and hold no document
   * @return the load; close it
   * @throws PortfolioException when the collection is missing or not empty, or the database fails
   */
  public static PgCollectionLoad open(PgVectorStore store, String collection) {
    Inputs.collectionName(collection);
    try {
      return new PgCollectionLoad(store, collection);
    } catch (SQLException e) {
      throw SqlErrors.translate("Starting a bulk load of collection '" + collection + "'", e);
    }
  }

  private Connection connect() throws SQLException {
    Connection c = store.dataSource().getConnection();
    open.add(c);
    c.setAutoCommit(true);
    return c;
  }

  /** Drops the ANN indexes of the active set's partition; true when there was one. */
  private boolean dropAnnIndexes() throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement s =
        ids.prepareStatement(
            "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?"
                + " AND indexdef ILIKE '% USING hnsw %'")) {
      s.setString(1, store.schema());
      s.setString(2, "embeddings_" + active.id());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    try (Statement s = ids.createStatement()) {
      for (String name : names) {
        // A name from the catalog: quoted with its quotes doubled, whatever it holds.
        s.execute("DROP INDEX " + schema + ".\"" + name.replace("\"", "\"\"") + "\"");
      }
    }
    return !names.isEmpty();
  }

  private long nextId(String table) throws SQLException {
    if (!table.equals(idTable) || idNext == idBlock.length) {
      try (PreparedStatement s = ids.prepareStatement(nextIds)) {
        s.setString(1, schema + "." + table);
        s.setInt(2, ID_BLOCK);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          Array a = rs.getArray(1);
          Object[] values = (Object[]) a.getArray();
          idBlock = new long[values.length];
          for (int i = 0; i < values.length; i++) {
            idBlock[i] = ((Number) values[i]).longValue();
          }
          Arrays.sort(idBlock);
        }
      }
      idTable = table;
      idNext = 0;
    }
    return idBlock[idNext++];
  }

  /**
   * Adds a document; every document comes before {@link #startChunks()}.
   *
   * @param key the key
   * @param sourceId the source id
   * @param workspace the workspace, or null
   * @param status the status; {@link DocumentStatus#DELETED} is soft-deleted now
   * @param fingerprint the fingerprint, or null
   * @param metadata the metadata
   * @param error the last error, or null
   * @return its index, for {@link #chunk}
   * @throws PortfolioException when the database fails (a duplicated key, for example)
   */
  public int document(
      String key,
      String sourceId,
      String workspace,
      DocumentStatus status,
      String fingerprint,
      Map<String, String> metadata,
      String error) {
    if (documentCopy == null) {
      throw new IllegalStateException("documents come before startChunks()");
    }
    try {
      long id = nextId("documents");
      if (documents == documentIds.length) {
        documentIds = Arrays.copyOf(documentIds, documents * 2);
      }
      documentIds[documents] = id;
      BinaryCopyWriter w = documentCopy;
      w.startRow(10);
      w.writeLong(id);
      w.writeLong(collectionId);
      w.writeText(key);
      w.writeText(sourceId);
      w.writeText(workspace);
      w.writeText(Rows.statusName(status));
      w.writeText(fingerprint);
      w.writeJsonb(metadata);
      w.writeText(error);
      if (status == DocumentStatus.DELETED) {
        Instant now = Instant.now();
        w.writeLong(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - PG_EPOCH_MICROS);
      } else {
        w.writeNull();
      }
      return documents++;
    } catch (SQLException e) {
      throw failure("writing documents", e);
    }
  }

  /**
   * Ends the documents and starts the chunks and vectors.
   *
   * @throws PortfolioException when the database refuses a document
   */
  public void startChunks() {
    try {
      documentCopy.finish();
      documentCopy.close();
      documentCopy = null;
      vectorIds = Files.createTempFile("portfolio-load-", ".ids");
      vectorIdsOut =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(vectorIds), 1 << 16));
      chunkCopy =
          BinaryCopyWriter.start(
              copyConnection,
              "COPY "
                  + schema
                  + ".chunks (id, collection_id, document_id, ordinal, text, content_hash,"
                  + " token_count, metadata, text_tsv) FROM STDIN (FORMAT binary)");
    } catch (SQLException e) {
      throw failure("writing documents", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds a chunk.
   *
   * @param document the index {@link #document} returned for its document
   * @param ordinal the ordinal
   * @param text the text
   * @param contentHash the content hash of the text
   * @param tokenCount the token count
   * @param metadata the metadata
   * @param hasVector whether {@link #vector} will be called for it after {@link #startVectors()}
   * @throws PortfolioException when the text cannot be indexed or the database fails
   */
  public void chunk(
      int document,
      int ordinal,
      String text,
      String contentHash,
      int tokenCount,
      Map<String, String> metadata,
      boolean hasVector) {
    if (chunkCopy == null) {
      throw new IllegalStateException("call startChunks() first");
    }
    if (document < 0 || document >= documents) {
      throw new IllegalArgumentException("no document " + document);
    }
    try {
      encoder.encode(text);
      long id = nextId("chunks");
      BinaryCopyWriter w = chunkCopy;
      w.startRow(9);
      w.writeLong(id);
      w.writeLong(collectionId);
      w.writeLong(documentIds[document]);
      w.writeInt(ordinal);
      w.writeText(text);
      w.writeText(contentHash);
      w.writeInt(tokenCount);
      w.writeJsonb(metadata);
      w.writeTsVector(encoder);
      if (hasVector) {
        vectorIdsOut.writeLong(id);
        expectedVectors++;
      }
      chunks++;
    } catch (SQLException e) {
      throw failure("writing chunks", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Ends the chunks and starts the vectors.
   *
   * @throws PortfolioException when the database refuses a chunk
   */
  public void startVectors() {
    if (chunkCopy == null) {
      startChunks();
    }
    try {
      chunkCopy.finish();
      chunkCopy.close();
      chunkCopy = null;
      vectorIdsOut.close();
      vectorIdsIn =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(vectorIds), 1 << 16));
      vectorCopy = BinaryCopyWriter.start(copyConnection, VectorWriter.copySql(store.schema()));
    } catch (SQLException e) {
      throw failure("writing chunks", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds the active set's vector of the next chunk that was added with {@code hasVector}.
   *
   * @param vector the components, of the set's dimension
   * @param model the model that computed it, or null for the set's
   * @param textHash the content hash of the text it was computed from
   * @throws PortfolioException when the database fails
   */
  public void vector(float[] vector, String model, String textHash) {
    if (vectorCopy == null) {
      throw new IllegalStateException("call startVectors() first");
    }
    if (vectors == expectedVectors) {
      throw new IllegalStateException("more vectors than chunks added with hasVector");
    }
    if (vector.length != active.dimension()) {
      throw new IllegalArgumentException(
          "a vector of "
              + vector.length
              + " dimensions does not fit set "
              + active.id()
              + " of "
              + active.dimension());
    }
    try {
      long chunkId = vectorIdsIn.readLong();
      BinaryCopyWriter w = vectorCopy;
      w.startRow(6);
      w.writeLong(active.id());
      w.writeLong(chunkId);
      w.writeLong(collectionId);
      w.writeText(textHash == null ? "" : textHash);
      w.writeText(model == null || model.isEmpty() || model.equals(active.model()) ? null : model);
      w.writeVector(dev.portfolio.core.model.Embedding.of(vector));
      vectors++;
    } catch (SQLException e) {
      throw failure("writing vectors", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Ends the load: completes the copies, merges the keyword index's pending list, and builds the
   * ANN index again when the collection had one.
   *
   * @return documents, chunks and vectors written
   * @throws PortfolioException when the database refuses a row
   */
  public long[] finish() {
    try {
      if (vectorCopy == null) {
        startVectors();
      }
      if (vectors != expectedVectors) {
        throw new IllegalStateException(
            expectedVectors + " chunks were added with hasVector, but " + vectors + " vectors");
      }
      vectorCopy.finish();
      finished = true;
      try (Statement s = ids.createStatement()) {
        s.execute("SELECT " + schema + ".merge_keyword_pending_list()");
      } catch (SQLException e) {
        LOG.debug("Merging the keyword index's pending list failed: {}", e.getMessage());
      }
    } catch (SQLException e) {
      throw failure("finishing the load", e);
    }
    long[] counts = {documents, chunks, vectors};
    close();
    if (rebuildIndex) {
      store.createAnnIndex(collection);
    }
    return counts;
  }

  private static PortfolioException failure(String what, SQLException e) {
    return SqlErrors.translate("Bulk load (" + what + ")", e);
  }

  /** Cancels unfinished copies and returns the connections. */
  @Override
  public void close() {
    for (BinaryCopyWriter w : new BinaryCopyWriter[] {documentCopy, chunkCopy, vectorCopy}) {
      if (w != null && !finished) {
        try {
          w.close();
        } catch (SQLException e) {
          LOG.debug("Cancelling a copy failed: {}", e.getMessage());
        }
      }
    }
    for (Connection c : open) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("Closing a connection failed: {}", e.getMessage());
      }
    }
    open.clear();
    try {
      if (vectorIdsOut != null) {
        vectorIdsOut.close();
      }
      if (vectorIdsIn != null) {
        vectorIdsIn.close();
      }
      if (vectorIds != null) {
        Files.deleteIfExists(vectorIds);
      }
    } catch (IOException e) {
      LOG.debug("Deleting the load's temporary file failed: {}", e.getMessage());
    }
  }
}
