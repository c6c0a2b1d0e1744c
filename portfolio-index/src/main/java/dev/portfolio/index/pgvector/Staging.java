package dev.portfolio.index.pgvector;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The session-local staging table that the upsert COPYs documents into before set-based SQL moves
 * them into the documents table. It is temporary (no WAL, invisible to other sessions) and emptied
 * at every commit; a pooled connection creates it once.
 */
final class Staging {
  static final String DOCUMENTS = "portfolio_stage_documents";

  static final String CREATE_SQL =
      "CREATE TEMP TABLE IF NOT EXISTS "
          + DOCUMENTS
          + " (doc_no integer, key text, source_id text, workspace text, status text,"
          + " fingerprint text, metadata jsonb, chunks_digest text) ON COMMIT DELETE ROWS";

  static final String COPY_DOCUMENTS =
      "COPY pg_temp."
          + DOCUMENTS
          + " (doc_no, key, source_id, workspace, status, fingerprint, metadata, chunks_digest)"
          + " FROM STDIN (FORMAT binary)";
  static final int DOCUMENT_FIELDS = 8;

  static final Table<Record> STAGE_DOCUMENTS = DSL.table(name("pg_temp", DOCUMENTS)).as("s");
  static final Field<Integer> S_DOC_NO = field(name("s", "doc_no"), SQLDataType.INTEGER);
  static final Field<String> S_KEY = field(name("s", "key"), SQLDataType.CLOB);
  static final Field<String> S_SOURCE_ID = field(name("s", "source_id"), SQLDataType.CLOB);
  static final Field<String> S_WORKSPACE = field(name("s", "workspace"), SQLDataType.CLOB);
  static final Field<String> S_STATUS = field(name("s", "status"), SQLDataType.CLOB);
  static final Field<String> S_FINGERPRINT = field(name("s", "fingerprint"), SQLDataType.CLOB);
  static final Field<JSONB> S_METADATA = field(name("s", "metadata"), SQLDataType.JSONB);
  static final Field<String> S_DIGEST = field(name("s", "chunks_digest"), SQLDataType.CLOB);

  private Staging() {}

  static void ensure(Tx tx) throws SQLException {
    try (Statement s = tx.connection().createStatement()) {
      s.execute(CREATE_SQL);
    }
  }
}
