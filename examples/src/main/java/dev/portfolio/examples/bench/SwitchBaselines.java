package dev.portfolio.examples.bench;

import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.text.Fingerprints;
import dev.portfolio.core.text.KeywordTokenizer;
import dev.portfolio.index.internal.BinaryCopyWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The two baselines a model switch's write phase is compared with, each in its own table of the
 * benchmark's schema:
 *
 * <ul>
 *   <li>bare COPY: the new vectors, {@code (id bigint PRIMARY KEY, embedding vector(N))}, in one
 *       {@code COPY ... (FORMAT binary)}, the physical limit of writing them;
 *   <li>the v1 in-place update: a table shaped like schema version 1's {@code chunks} (two vector
 *       slots per row, generated {@code tsvector} with its GIN index, the partial "missing"
 *       indexes, and the live HNSW index of the active slot), whose idle slot receives the new
 *       vectors in batches, each COPYed into a temporary staging table and applied with {@code
 *       UPDATE ... FROM}, as version 1 re-embedded.
 * </ul>
 */
final class SwitchBaselines {
  private static final String V1_TABLE = "bench_v1_chunks";
  private static final String RAW_TABLE = "bench_raw_vectors";
  private static final String STAGE = "bench_v1_stage";

  /**
   * The v1 in-place update.
   *
   * @param rows rows updated
   * @param seconds time of the updates
   * @param hnswSeconds time the HNSW index of the loaded table took to build (not part of the rate)
   */
  record V1Result(int rows, double seconds, double hnswSeconds) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  private final DataSource pool;
  private final String schema;
  private final int indexMemoryMb;

  SwitchBaselines(DataSource pool, String schema, int indexMemoryMb) {
    this.pool = pool;
    this.schema = schema;
    this.indexMemoryMb = indexMemoryMb;
  }

  /**
   * COPYs every vector into a fresh table with only a primary key, in one transaction.
   *
   * @param vectors the vectors, by chunk number
   * @return seconds
   */
  double rawCopy(Embedding[] vectors) throws SQLException {
    int dimension = vectors[0].dimension();
    execute(
        "CREATE TABLE "
            + schema
            + "."
            + RAW_TABLE
            + " (id bigint PRIMARY KEY, embedding vector("
            + dimension
            + "))");
    String copy =
        "COPY " + schema + "." + RAW_TABLE + " (id, embedding) FROM STDIN (FORMAT binary)";
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      try (BinaryCopyWriter w = BinaryCopyWriter.start(c, copy)) {
        for (int n = 0; n < vectors.length; n++) {
          w.startRow(2);
          w.writeLong(n + 1L);
          w.writeVector(vectors[n]);
        }
        w.finish();
      }
      c.commit();
      return (System.nanoTime() - start) / 1e9;
    } finally {
      execute("DROP TABLE IF EXISTS " + schema + "." + RAW_TABLE);
    }
  }

  /**
   * Loads a v1-shaped chunks table with the corpus and its first model's vectors in slot a, builds
   * slot a's HNSW index, then writes the next model's vectors into slot b of the first {@code rows}
   * chunks.
   *
   * @param corpus the corpus (texts)
   * @param first the vectors in slot a, by chunk number
   * @param firstModel the model name of slot a
   * @param next the vectors for slot b, by chunk number
   * @param nextModel the model name of slot b
   * @param rows how many chunks to update (the first ones by id)
   * @param batch rows per staging COPY and UPDATE transaction
   * @return the timing
   */
  V1Result v1Update(
      SwitchCorpus corpus,
      Embedding[] first,
      String firstModel,
      Embedding[] next,
      String nextModel,
      int rows,
      int batch)
      throws SQLException {
    return v1(corpus, first, firstModel, next, nextModel, rows, batch, "b");
  }

  /**
   * Loads a v1-shaped chunks table like {@link #v1Update}, builds slot a's HNSW index, then
   * overwrites slot a itself, the live indexed column, with the next model's vectors (same
   * dimension) in the first {@code rows} chunks: the naive model switch, {@code UPDATE} in place.
   *
   * @param corpus the corpus (texts)
   * @param first the vectors in slot a, by chunk number
   * @param firstModel the model name of slot a
   * @param next the vectors that replace them, by chunk number, of the same dimension
   * @param nextModel the model name of the next vectors
   * @param rows how many chunks to update (the first ones by id)
   * @param batch rows per staging COPY and UPDATE transaction
   * @return the timing
   */
  V1Result v1InPlaceUpdate(
      SwitchCorpus corpus,
      Embedding[] first,
      String firstModel,
      Embedding[] next,
      String nextModel,
      int rows,
      int batch)
      throws SQLException {
    return v1(corpus, first, firstModel, next, nextModel, rows, batch, "a");
  }

  private V1Result v1(
      SwitchCorpus corpus,
      Embedding[] first,
      String firstModel,
      Embedding[] next,
      String nextModel,
      int rows,
      int batch,
      String slot)
      throws SQLException {
    String table = schema + "." + V1_TABLE;
    createV1Table(table);
    try {
      loadV1(corpus, first, firstModel, table);
      double hnsw = buildV1Index(table, first[0].dimension());
      execute("ANALYZE " + table);
      double seconds = updateSlot(table, slot, next, nextModel, rows, batch, corpus);
      return new V1Result(rows, seconds, hnsw);
    } finally {
      execute("DROP TABLE IF EXISTS " + table);
    }
  }

  private void createV1Table(String table) throws SQLException {
    // Schema version 1's chunks table (V1__base.sql) without the foreign key to documents,
    // which an UPDATE of the vector columns does not check.
    execute(
        "CREATE TABLE "
            + table
            + " (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
            + " collection_id bigint NOT NULL, document_id bigint NOT NULL,"
            + " ordinal integer NOT NULL, text text NOT NULL, content_hash text NOT NULL,"
            + " token_count integer NOT NULL DEFAULT 0,"
            + " metadata jsonb NOT NULL DEFAULT '{}'::jsonb,"
            + " embedding_a vector, model_a text, text_hash_a text,"
            + " embedding_b vector, model_b text, text_hash_b text,"
            + " search_text text NOT NULL DEFAULT '',"
            + " text_tsv tsvector GENERATED ALWAYS AS"
            + " (pg_catalog.to_tsvector('simple'::regconfig, search_text)) STORED,"
            + " CONSTRAINT bench_v1_document_ordinal_key UNIQUE (document_id, ordinal),"
            + " CONSTRAINT bench_v1_ordinal_check CHECK (ordinal >= 0))");
    execute("CREATE INDEX bench_v1_collection_idx ON " + table + " (collection_id, id)");
    execute(
        "CREATE INDEX bench_v1_missing_a_idx ON "
            + table
            + " (collection_id, id) WHERE embedding_a IS NULL");
    execute(
        "CREATE INDEX bench_v1_missing_b_idx ON "
            + table
            + " (collection_id, id) WHERE embedding_b IS NULL");
    execute("CREATE INDEX bench_v1_text_tsv_idx ON " + table + " USING gin (text_tsv)");
  }

  private void loadV1(SwitchCorpus corpus, Embedding[] first, String firstModel, String table)
      throws SQLException {
    String copy =
        "COPY "
            + table
            + " (id, collection_id, document_id, ordinal, text, content_hash, token_count,"
            + " metadata, embedding_a, model_a, text_hash_a, search_text) FROM STDIN (FORMAT binary)";
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (BinaryCopyWriter w = BinaryCopyWriter.start(c, copy)) {
        for (int n = 0; n < first.length; n++) {
          String text = corpus.text(n);
          String hash = Fingerprints.sha256Hex(text);
          w.startRow(12);
          w.writeLong(n + 1L);
          w.writeLong(1);
          w.writeLong(n / SwitchCorpus.CHUNKS_PER_DOCUMENT + 1L);
          w.writeInt(n % SwitchCorpus.CHUNKS_PER_DOCUMENT);
          w.writeText(text);
          w.writeText(hash);
          w.writeInt(110);
          w.writeJsonb(Map.of());
          w.writeVector(first[n]);
          w.writeText(firstModel);
          w.writeText(hash);
          w.writeText(KeywordTokenizer.searchText(text));
        }
        w.finish();
      }
      c.commit();
    }
  }

  /** Slot a's index as version 1 built it: partial, on the cast expression. Returns seconds. */
  private double buildV1Index(String table, int dimension) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '" + indexMemoryMb + "MB'");
      long start = System.nanoTime();
      s.execute(
          "CREATE INDEX bench_v1_ann ON "
              + table
              + " USING hnsw ((embedding_a::vector("
              + dimension
              + ")) vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
              + " WHERE collection_id = 1");
      double seconds = (System.nanoTime() - start) / 1e9;
      s.execute("RESET maintenance_work_mem");
      return seconds;
    }
  }

  /**
   * Version 1's re-embedding write into a slot ("a" or "b"): staging COPY, then one UPDATE ... FROM
   * per batch.
   */
  private double updateSlot(
      String table,
      String slot,
      Embedding[] next,
      String nextModel,
      int rows,
      int batch,
      SwitchCorpus corpus)
      throws SQLException {
    String[] hashes = new String[rows];
    for (int n = 0; n < rows; n++) {
      hashes[n] = Fingerprints.sha256Hex(corpus.text(n));
    }
    String copy =
        "COPY pg_temp."
            + STAGE
            + " (chunk_id, embedding, model, text_hash) FROM STDIN (FORMAT binary)";
    String update =
        "UPDATE "
            + table
            + " c SET embedding_"
            + slot
            + " = s.embedding, model_"
            + slot
            + " = s.model, text_hash_"
            + slot
            + " = s.text_hash"
            + " FROM pg_temp."
            + STAGE
            + " s WHERE c.id = s.chunk_id";
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS "
              + STAGE
              + " (chunk_id bigint, embedding vector, model text, text_hash text)"
              + " ON COMMIT DELETE ROWS");
      c.setAutoCommit(false);
      long start = System.nanoTime();
      for (int from = 0; from < rows; from += batch) {
        int to = Math.min(rows, from + batch);
        try (BinaryCopyWriter w = BinaryCopyWriter.start(c, copy)) {
          for (int n = from; n < to; n++) {
            w.startRow(4);
            w.writeLong(n + 1L);
            w.writeVector(next[n]);
            w.writeText(nextModel);
            w.writeText(hashes[n]);
          }
          w.finish();
        }
        int updated = s.executeUpdate(update);
        if (updated != to - from) {
          throw new IllegalStateException("v1 update wrote " + updated + " of " + (to - from));
        }
        c.commit();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      c.setAutoCommit(true);
      s.execute("DROP TABLE IF EXISTS pg_temp." + STAGE);
      return seconds;
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
