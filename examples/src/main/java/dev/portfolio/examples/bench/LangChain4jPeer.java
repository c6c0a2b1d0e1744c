package dev.portfolio.examples.bench;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The peer library: LangChain4j's {@link PgVectorEmbeddingStore} on the benchmark's pool, with its
 * defaults (its own table, created by the store after dropping it; no index) and the same rows as
 * the other sides: ids are the corpus's row UUIDs, texts and vectors are the chunks', metadata
 * holds the document key, ordinal and corpus.
 */
final class LangChain4jPeer {
  private final DataSource pool;
  private final String table;
  private final PgVectorEmbeddingStore store;

  /** Builds the store, which drops and creates its table. */
  LangChain4jPeer(DataSource pool, String schema, String name) {
    this.pool = pool;
    this.table = schema + "." + name;
    this.store =
        PgVectorEmbeddingStore.datasourceBuilder()
            .datasource(pool)
            .table(table)
            .dimension(SyntheticCorpus.DIMENSION)
            .useIndex(false)
            .createTable(true)
            .dropTableFirst(true)
            .build();
  }

  /**
   * Calls {@code addAll(ids, embeddings, segments)} once with every chunk of the documents (the
   * corpus's documents or their updated versions) and returns the seconds the call took; building
   * its arguments is not timed.
   */
  double addAll(List<DocumentInput> documents, SyntheticCorpus corpus) {
    int capacity = documents.size() * SyntheticCorpus.CHUNKS_PER_DOCUMENT;
    List<String> ids = new ArrayList<>(capacity);
    List<dev.langchain4j.data.embedding.Embedding> embeddings = new ArrayList<>(capacity);
    List<TextSegment> segments = new ArrayList<>(capacity);
    for (int d = 0; d < documents.size(); d++) {
      for (ChunkInput chunk : documents.get(d).chunks()) {
        int row = d * SyntheticCorpus.CHUNKS_PER_DOCUMENT + chunk.ordinal();
        ids.add(corpus.rowIds()[row].toString());
        embeddings.add(toLangChain4j(chunk.embedding()));
        segments.add(
            TextSegment.from(
                chunk.text(),
                Metadata.from(
                    Map.of(
                        "corpus",
                        "bench",
                        "document",
                        "doc-" + d,
                        "ordinal",
                        String.valueOf(chunk.ordinal())))));
      }
    }
    long start = System.nanoTime();
    store.addAll(ids, embeddings, segments);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Builds the HNSW index Portfolio builds ({@code vector_cosine_ops}, m=16, ef_construction=64,
   * the same {@code maintenance_work_mem}) on the store's table; the store itself only offers
   * IVFFlat. Returns the seconds taken.
   */
  double createHnswIndex(int maintenanceWorkMemMb) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '" + maintenanceWorkMemMb + "MB'");
      s.execute("SET statement_timeout = 0");
      long start = System.nanoTime();
      s.execute(
          "CREATE INDEX ON "
              + table
              + " USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)");
      double seconds = (System.nanoTime() - start) / 1e9;
      s.execute("RESET maintenance_work_mem");
      s.execute("RESET statement_timeout");
      return seconds;
    }
  }

  /** Runs {@code search} for the 10 nearest chunks; returns their row numbers, best first. */
  int[] search(Embedding query) {
    List<EmbeddingMatch<TextSegment>> matches =
        store
            .search(
                EmbeddingSearchRequest.builder()
                    .queryEmbedding(toLangChain4j(query))
                    .maxResults(10)
                    .build())
            .matches();
    int[] rows = new int[matches.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = SyntheticCorpus.rowOf(UUID.fromString(matches.get(i).embeddingId()));
    }
    return rows;
  }

  String table() {
    return table;
  }

  private static dev.langchain4j.data.embedding.Embedding toLangChain4j(Embedding e) {
    return new dev.langchain4j.data.embedding.Embedding(e.toArray());
  }
}
