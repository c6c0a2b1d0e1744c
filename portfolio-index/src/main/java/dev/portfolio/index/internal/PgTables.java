package dev.portfolio.index.internal;

import dev.portfolio.core.model.Embedding;
import java.time.OffsetDateTime;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The tables of one installed schema as jOOQ objects, and their columns as typed field constants.
 * Tables are always used under a fixed alias ({@code col}, {@code d}, {@code c}, {@code es}, {@code
 * e}); the field constants are qualified by that alias. jOOQ renders them unqualified where SQL
 * demands it (insert column lists, {@code SET} clauses, {@code ON CONFLICT} targets).
 */
public final class PgTables {
  private static final DataType<OffsetDateTime> TIMESTAMPTZ = SQLDataType.TIMESTAMPWITHTIMEZONE;

  // collections (alias col)
  /** {@code collections.id}. */
  public static final Field<Long> COL_ID = f("col", "id", SQLDataType.BIGINT);

  /** {@code collections.name}. */
  public static final Field<String> COL_NAME = f("col", "name", SQLDataType.CLOB);

  /** {@code collections.distance}. */
  public static final Field<String> COL_DISTANCE = f("col", "distance", SQLDataType.CLOB);

  /** {@code collections.active_set_id}. */
  public static final Field<Long> COL_ACTIVE_SET_ID = f("col", "active_set_id", SQLDataType.BIGINT);

  /** {@code collections.created_at}. */
  public static final Field<OffsetDateTime> COL_CREATED_AT = f("col", "created_at", TIMESTAMPTZ);

  /** {@code collections.updated_at}. */
  public static final Field<OffsetDateTime> COL_UPDATED_AT = f("col", "updated_at", TIMESTAMPTZ);

  // documents (alias d)
  /** {@code documents.id}. */
  public static final Field<Long> D_ID = f("d", "id", SQLDataType.BIGINT);

  /** {@code documents.collection_id}. */
  public static final Field<Long> D_COLLECTION_ID = f("d", "collection_id", SQLDataType.BIGINT);

  /** {@code documents.key}. */
  public static final Field<String> D_KEY = f("d", "key", SQLDataType.CLOB);

  /** {@code documents.source_id}. */
  public static final Field<String> D_SOURCE_ID = f("d", "source_id", SQLDataType.CLOB);

  /** {@code documents.workspace}. */
  public static final Field<String> D_WORKSPACE = f("d", "workspace", SQLDataType.CLOB);

  /** {@code documents.status}. */
  public static final Field<String> D_STATUS = f("d", "status", SQLDataType.CLOB);

  /** {@code documents.fingerprint}. */
  public static final Field<String> D_FINGERPRINT = f("d", "fingerprint", SQLDataType.CLOB);

  /** {@code documents.metadata}. */
  public static final Field<JSONB> D_METADATA = f("d", "metadata", SQLDataType.JSONB);

  /** {@code documents.chunks_digest}. */
  public static final Field<String> D_CHUNKS_DIGEST = f("d", "chunks_digest", SQLDataType.CLOB);

  /** {@code documents.error}. */
  public static final Field<String> D_ERROR = f("d", "error", SQLDataType.CLOB);

  /** {@code documents.attempts}. */
  public static final Field<Integer> D_ATTEMPTS = f("d", "attempts", SQLDataType.INTEGER);

  /** {@code documents.created_at}. */
  public static final Field<OffsetDateTime> D_CREATED_AT = f("d", "created_at", TIMESTAMPTZ);

  /** {@code documents.updated_at}. */
  public static final Field<OffsetDateTime> D_UPDATED_AT = f("d", "updated_at", TIMESTAMPTZ);

  /** {@code documents.deleted_at}. */
  public static final Field<OffsetDateTime> D_DELETED_AT = f("d", "deleted_at", TIMESTAMPTZ);

  // chunks (alias c)
  /** {@code chunks.id}. */
  public static final Field<Long> C_ID = f("c", "id", SQLDataType.BIGINT);

  /** {@code chunks.collection_id}. */
  public static final Field<Long> C_COLLECTION_ID = f("c", "collection_id", SQLDataType.BIGINT);

  /** {@code chunks.document_id}. */
  public static final Field<Long> C_DOCUMENT_ID = f("c", "document_id", SQLDataType.BIGINT);

  /** {@code chunks.ordinal}. */
  public static final Field<Integer> C_ORDINAL = f("c", "ordinal", SQLDataType.INTEGER);

  /** {@code chunks.text}. */
  public static final Field<String> C_TEXT = f("c", "text", SQLDataType.CLOB);

  /** {@code chunks.content_hash}. */
  public static final Field<String> C_CONTENT_HASH = f("c", "content_hash", SQLDataType.CLOB);

  /** {@code chunks.token_count}. */
  public static final Field<Integer> C_TOKEN_COUNT = f("c", "token_count", SQLDataType.INTEGER);

  /** {@code chunks.metadata}. */
  public static final Field<JSONB> C_METADATA = f("c", "metadata", SQLDataType.JSONB);

  /** {@code chunks.text_tsv}. */
  public static final Field<Object> C_TEXT_TSV = f("c", "text_tsv", SQLDataType.OTHER);

  // embedding_sets (alias es)
  /** {@code embedding_sets.id}. */
  public static final Field<Long> ES_ID = f("es", "id", SQLDataType.BIGINT);

  /** {@code embedding_sets.collection_id}. */
  public static final Field<Long> ES_COLLECTION_ID = f("es", "collection_id", SQLDataType.BIGINT);

  /** {@code embedding_sets.model}. */
  public static final Field<String> ES_MODEL = f("es", "model", SQLDataType.CLOB);

  /** {@code embedding_sets.dimension}. */
  public static final Field<Integer> ES_DIMENSION = f("es", "dimension", SQLDataType.INTEGER);

  /** {@code embedding_sets.state}. */
  public static final Field<String> ES_STATE = f("es", "state", SQLDataType.CLOB);

  /** {@code embedding_sets.created_at}. */
  public static final Field<OffsetDateTime> ES_CREATED_AT = f("es", "created_at", TIMESTAMPTZ);

  /** {@code embedding_sets.activated_at}. */
  public static final Field<OffsetDateTime> ES_ACTIVATED_AT = f("es", "activated_at", TIMESTAMPTZ);

  /** {@code embedding_sets.retired_at}. */
  public static final Field<OffsetDateTime> ES_RETIRED_AT = f("es", "retired_at", TIMESTAMPTZ);

  // embeddings (alias e), partitioned by set_id
  /** {@code embeddings.set_id}. */
  public static final Field<Long> E_SET_ID = f("e", "set_id", SQLDataType.BIGINT);

  /** {@code embeddings.chunk_id}. */
  public static final Field<Long> E_CHUNK_ID = f("e", "chunk_id", SQLDataType.BIGINT);

  /** {@code embeddings.collection_id}. */
  public static final Field<Long> E_COLLECTION_ID = f("e", "collection_id", SQLDataType.BIGINT);

  /** {@code embeddings.content_hash}: the hash of the text the vector was computed from. */
  public static final Field<String> E_CONTENT_HASH = f("e", "content_hash", SQLDataType.CLOB);

  /** {@code embeddings.model}: NULL when it is the set's model. */
  public static final Field<String> E_MODEL = f("e", "model", SQLDataType.CLOB);

  /** {@code embeddings.embedding}. */
  public static final Field<Embedding> E_EMBEDDING = f("e", "embedding", VectorBinding.VECTOR);

  // operation_log (unaliased)
  /** {@code operation_log.id}. */
  public static final Field<Long> LOG_ID = f(null, "id", SQLDataType.BIGINT);

  /** {@code operation_log.operation}. */
  public static final Field<String> LOG_OPERATION = f(null, "operation", SQLDataType.CLOB);

  /** {@code operation_log.collection}. */
  public static final Field<String> LOG_COLLECTION = f(null, "collection", SQLDataType.CLOB);

  /** {@code operation_log.started_at}. */
  public static final Field<OffsetDateTime> LOG_STARTED_AT = f(null, "started_at", TIMESTAMPTZ);

  /** {@code operation_log.duration_ms}. */
  public static final Field<Double> LOG_DURATION_MS = f(null, "duration_ms", SQLDataType.DOUBLE);

  /** {@code operation_log.rows}. */
  public static final Field<Long> LOG_ROWS = f(null, "rows", SQLDataType.BIGINT);

  /** {@code operation_log.success}. */
  public static final Field<Boolean> LOG_SUCCESS = f(null, "success", SQLDataType.BOOLEAN);

  /** {@code operation_log.error}. */
  public static final Field<String> LOG_ERROR = f(null, "error", SQLDataType.CLOB);

  /** {@code operation_log.sql_state}. */
  public static final Field<String> LOG_SQL_STATE = f(null, "sql_state", SQLDataType.CLOB);

  // schema_version (unaliased)
  /** {@code schema_version.version}. */
  public static final Field<Integer> VERSION = f(null, "version", SQLDataType.INTEGER);

  private final String schema;

  /** {@code collections AS col}. */
  public final Table<Record> collections;

  /** {@code documents AS d}. */
  public final Table<Record> documents;

  /** {@code chunks AS c}. */
  public final Table<Record> chunks;

  /** {@code embedding_sets AS es}. */
  public final Table<Record> embeddingSets;

  /** {@code embeddings AS e} (the partitioned parent). */
  public final Table<Record> embeddings;

  /** {@code operation_log}. */
  public final Table<Record> operationLog;

  /** {@code schema_version}. */
  public final Table<Record> schemaVersion;

  /**
   * Creates the tables of a schema.
   *
   * @param schema a validated schema name
   */
  public PgTables(String schema) {
    this.schema = Identifiers.schemaName("schema", schema);
    this.collections = table("collections").as("col");
    this.documents = table("documents").as("d");
    this.chunks = table("chunks").as("c");
    this.embeddingSets = table("embedding_sets").as("es");
    this.embeddings = table("embeddings").as("e");
    this.operationLog = table("operation_log");
    this.schemaVersion = table("schema_version");
  }

  /**
   * Returns the schema name.
   *
   * @return the validated, unquoted name
   */
  public String schema() {
    return schema;
  }

  /**
   * Returns a table or index of this schema by name, unaliased.
   *
   * @param name the object name
   * @return the table
   */
  public Table<Record> table(String name) {
    return DSL.table(DSL.name(schema, name));
  }

  /**
   * Returns the qualified name of an object of this schema.
   *
   * @param name the object name
   * @return the qualified name
   */
  public Name name(String name) {
    return DSL.name(schema, name);
  }

  private static <T> Field<T> f(String table, String column, DataType<T> type) {
    return table == null
        ? DSL.field(DSL.name(column), type)
        : DSL.field(DSL.name(table, column), type);
  }
}
