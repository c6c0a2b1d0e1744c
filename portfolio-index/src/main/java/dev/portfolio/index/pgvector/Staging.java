package dev.portfolio.index.pgvector;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import dev.portfolio.core.model.Embedding;
import dev.portfolio.index.internal.VectorBinding;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Session-local staging tables that bulk writes COPY into before set-based SQL moves the rows into
 * the real tables. They are temporary (no WAL, invisible to other sessions) and emptied at every
 * commit; a pooled connection creates them once.
 */
final class Staging {
  static final String DOCUMENTS = "portfolio_stage_documents";
  static final String CHUNKS = "portfolio_stage_chunks";
  static final String EMBEDDINGS = "portfolio_stage_embeddings";

  static final String CREATE_SQL =
      "CREATE TEMP TABLE IF NOT EXISTS "
          + DOCUMENTS
          + " (doc_no integer, key text, source_id text, workspace text, status text,"
          + " fingerprint text, metadata jsonb, chunks_digest text) ON COMMIT DELETE ROWS;\n"
          + "CREATE TEMP TABLE IF NOT EXISTS "
          + CHUNKS
          + " (collection_id bigint, document_id bigint, ordinal integer, text text,"
          + " content_hash text, token_count integer, metadata jsonb, embedding vector,"
          + " model text, text_hash text) ON COMMIT DELETE ROWS;\n"
          + "CREATE TEMP TABLE IF NOT EXISTS "
          + EMBEDDINGS
          + " (chunk_id bigint, embedding vector, model text, text_hash text)"
          + " ON COMMIT DELETE ROWS";

  static final String COPY_DOCUMENTS =
      "COPY pg_temp."
          + DOCUMENTS
          + " (doc_no, key, source_id, workspace, status, fingerprint, metadata, chunks_digest)"
          + " FROM STDIN (FORMAT binary)";
  static final int DOCUMENT_FIELDS = 8;

  static final String COPY_CHUNKS =
      "COPY pg_temp."
          + CHUNKS
          + " (collection_id, document_id, ordinal, text, content_hash, token_count, metadata,"
          + " embedding, model, text_hash) FROM STDIN (FORMAT binary)";
  static final int CHUNK_FIELDS = 10;

  static final String COPY_EMBEDDINGS =
      "COPY pg_temp."
          + EMBEDDINGS
          + " (chunk_id, embedding, model, text_hash) FROM STDIN (FORMAT binary)";
  static final int EMBEDDING_FIELDS = 4;

  static final Table<Record> STAGE_DOCUMENTS = DSL.table(name("pg_temp", DOCUMENTS)).as("s");
  static final Field<Integer> S_DOC_NO = field(name("s", "doc_no"), SQLDataType.INTEGER);
  static final Field<String> S_KEY = field(name("s", "key"), SQLDataType.CLOB);
  static final Field<String> S_SOURCE_ID = field(name("s", "source_id"), SQLDataType.CLOB);
  static final Field<String> S_WORKSPACE = field(name("s", "workspace"), SQLDataType.CLOB);
  static final Field<String> S_STATUS = field(name("s", "status"), SQLDataType.CLOB);
  static final Field<String> S_FINGERPRINT = field(name("s", "fingerprint"), SQLDataType.CLOB);
  static final Field<JSONB> S_METADATA = field(name("s", "metadata"), SQLDataType.JSONB);
  static final Field<String> S_DIGEST = field(name("s", "chunks_digest"), SQLDataType.CLOB);

  static final Table<Record> STAGE_CHUNKS = DSL.table(name("pg_temp", CHUNKS)).as("sc");
  static final Field<Long> SC_COLLECTION_ID =
      field(name("sc", "collection_id"), SQLDataType.BIGINT);
  static final Field<Long> SC_DOCUMENT_ID = field(name("sc", "document_id"), SQLDataType.BIGINT);
  static final Field<Integer> SC_ORDINAL = field(name("sc", "ordinal"), SQLDataType.INTEGER);
  static final Field<String> SC_TEXT = field(name("sc", "text"), SQLDataType.CLOB);
  static final Field<String> SC_CONTENT_HASH = field(name("sc", "content_hash"), SQLDataType.CLOB);
  static final Field<Integer> SC_TOKEN_COUNT =
      field(name("sc", "token_count"), SQLDataType.INTEGER);
  static final Field<JSONB> SC_METADATA = field(name("sc", "metadata"), SQLDataType.JSONB);
  static final Field<Embedding> SC_EMBEDDING = field(name("sc", "embedding"), VectorBinding.VECTOR);
  static final Field<String> SC_MODEL = field(name("sc", "model"), SQLDataType.CLOB);
  static final Field<String> SC_TEXT_HASH = field(name("sc", "text_hash"), SQLDataType.CLOB);

  static final Table<Record> STAGE_EMBEDDINGS = DSL.table(name("pg_temp", EMBEDDINGS)).as("se");
  static final Field<Long> SE_CHUNK_ID = field(name("se", "chunk_id"), SQLDataType.BIGINT);
  static final Field<Embedding> SE_EMBEDDING = field(name("se", "embedding"), VectorBinding.VECTOR);
  static final Field<String> SE_MODEL = field(name("se", "model"), SQLDataType.CLOB);
  static final Field<String> SE_TEXT_HASH = field(name("se", "text_hash"), SQLDataType.CLOB);

  private Staging() {}

  static void ensure(Tx tx) throws SQLException {
    try (Statement s = tx.connection().createStatement()) {
      s.execute(CREATE_SQL);
    }
  }
}
