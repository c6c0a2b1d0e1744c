package dev.portfolio.index.pgvector;

import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.ChunkAudit;
import dev.portfolio.core.inspect.ChunkAuditQuery;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.inspect.Redaction;
import dev.portfolio.core.inspect.RelationKind;
import dev.portfolio.core.inspect.RelationStats;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.inspect.VectorCheck;
import dev.portfolio.core.inspect.VectorScanPage;
import dev.portfolio.core.inspect.VectorScanQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.PgTables;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Read-only views for diagnostics, statistics and verification: a snapshot of every collection in
 * two statements (counts, then the catalog's sizes and statistics), keyset pages of a set's vectors
 * examined on the server, and write latencies from the operation log. Nothing here writes.
 */
final class Inspection {
  /** The write operations whose latency the operation log provides. */
  static final List<String> LOGGED_WRITES = List.of("upsert", "update_embeddings", "write_vectors");

  private final Db db;
  private final PgTables t;
  private final Map<String, String> settings;

  Inspection(Db db, Map<String, String> settings) {
    this.db = db;
    this.t = db.tables();
    this.settings = Map.copyOf(settings);
  }

  // ------------------------------------------------------------------------------ snapshot

  /**
   * Counts per collection and set in one statement: documents by status, sources, live chunks, and
   * per set the live chunks' vectors, stale ones and those of a foreign model; bytes of the stored
   * values. Documents are read once (a materialised CTE), chunks and vectors once each.
   */
  private static final String COUNTS =
      "WITH docs AS MATERIALIZED ("
          + " SELECT d.id, d.collection_id, d.status, d.source_id,"
          + " pg_column_size(d.key) + pg_column_size(d.source_id) + pg_column_size(d.metadata)"
          + " + coalesce(pg_column_size(d.fingerprint), 0) + coalesce(pg_column_size(d.error), 0)"
          + " AS bytes"
          + " FROM {0} d WHERE {5}::text IS NULL OR d.workspace = {5}::text),"
          + " by_status AS ("
          + " SELECT collection_id, jsonb_object_agg(status, n)::text AS statuses,"
          + " sum(bytes) AS bytes FROM ("
          + " SELECT collection_id, status, count(*) AS n, sum(bytes) AS bytes FROM docs"
          + " GROUP BY collection_id, status) x GROUP BY collection_id),"
          + " src AS (SELECT collection_id, count(DISTINCT source_id) AS n FROM docs"
          + " WHERE status <> 'deleted' GROUP BY collection_id),"
          + " ch AS (SELECT c.collection_id, count(*) AS n,"
          + " sum(pg_column_size(c.text) + pg_column_size(c.text_tsv) + pg_column_size(c.metadata)"
          + " + pg_column_size(c.content_hash)) AS bytes"
          + " FROM {1} c JOIN docs ON docs.id = c.document_id"
          + " WHERE docs.status <> 'deleted' GROUP BY c.collection_id),"
          + " vec AS (SELECT e.set_id, count(*) AS n,"
          + " count(*) FILTER (WHERE e.content_hash <> c.content_hash) AS stale,"
          + " count(e.model) AS foreign_model,"
          + " sum(pg_column_size(e.embedding) + pg_column_size(e.content_hash)"
          + " + coalesce(pg_column_size(e.model), 0)) AS bytes"
          + " FROM {2} e JOIN {1} c ON c.id = e.chunk_id JOIN docs ON docs.id = c.document_id"
          + " WHERE docs.status <> 'deleted' GROUP BY e.set_id)"
          + " SELECT col.name, col.distance, es.id, es.model, es.dimension, es.state,"
          + " es.created_at, es.activated_at, es.retired_at, bs.statuses,"
          + " coalesce(bs.bytes, 0)::bigint, coalesce(src.n, 0)::bigint, coalesce(ch.n, 0)::bigint,"
          + " coalesce(ch.bytes, 0)::bigint, coalesce(vec.n, 0)::bigint,"
          + " coalesce(vec.stale, 0)::bigint, coalesce(vec.foreign_model, 0)::bigint,"
          + " coalesce(vec.bytes, 0)::bigint"
          + " FROM {3} col JOIN {4} es ON es.collection_id = col.id"
          + " LEFT JOIN by_status bs ON bs.collection_id = col.id"
          + " LEFT JOIN src ON src.collection_id = col.id"
          + " LEFT JOIN ch ON ch.collection_id = col.id"
          + " LEFT JOIN vec ON vec.set_id = es.id"
          + " ORDER BY col.name COLLATE \"C\", es.id";

  /**
   * Every table and index of the schema with its size, validity and what the statistics collector
   * knows, plus the pgvector version, in one statement.
   */
  private static final String RELATIONS =
      "SELECT c.relname, c.relkind::text, coalesce(it.relname, par.relname),"
          + " CASE WHEN c.relkind IN ('i', 'I') THEN pg_relation_size(c.oid)"
          + " ELSE pg_table_size(c.oid) END,"
          + " i.indisvalid, s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze,"
          + " greatest(s.last_analyze, s.last_autoanalyze),"
          + " CASE WHEN io.relid IS NOT NULL THEN coalesce(io.heap_blks_hit, 0)"
          + " + coalesce(io.toast_blks_hit, 0) ELSE ii.idx_blks_hit END,"
          + " CASE WHEN io.relid IS NOT NULL THEN coalesce(io.heap_blks_read, 0)"
          + " + coalesce(io.toast_blks_read, 0) ELSE ii.idx_blks_read END,"
          + " (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'vector')"
          + " FROM pg_catalog.pg_class c"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
          + " LEFT JOIN pg_catalog.pg_class it ON it.oid = i.indrelid"
          + " LEFT JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = c.oid"
          + " AND c.relkind IN ('r', 'p')"
          + " LEFT JOIN pg_catalog.pg_class par ON par.oid = inh.inhparent"
          + " LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = c.oid"
          + " LEFT JOIN pg_catalog.pg_statio_user_tables io ON io.relid = c.oid"
          + " LEFT JOIN pg_catalog.pg_statio_user_indexes ii ON ii.indexrelid = c.oid"
          + " WHERE n.nspname = {0} AND c.relkind IN ('r', 'p', 'i', 'I')"
          + " ORDER BY c.relname COLLATE \"C\"";

  StoreSnapshot snapshot(String workspace) {
    return db.read(
        "Reading a snapshot of schema '" + t.schema() + "'",
        tx -> {
          Instant now = Instant.now();
          List<Record> counts =
              tx.dsl()
                  .resultQuery(
                      COUNTS,
                      t.table("documents"),
                      t.table("chunks"),
                      t.table("embeddings"),
                      t.table("collections"),
                      t.table("embedding_sets"),
                      DSL.val(workspace, SQLDataType.CLOB))
                  .fetch();
          List<Record> relationRows =
              tx.dsl().resultQuery(RELATIONS, DSL.val(t.schema(), SQLDataType.CLOB)).fetch();
          List<RelationStats> relations = new ArrayList<>();
          String vectorVersion = null;
          for (Record r : relationRows) {
            relations.add(relation(r));
            vectorVersion = r.get(11, String.class);
          }
          Map<String, RelationStats> byName = new LinkedHashMap<>();
          relations.forEach(rel -> byName.put(rel.name(), rel));
          return new StoreSnapshot(
              now,
              workspace,
              collections(counts, byName),
              relations,
              configuration(tx, vectorVersion));
        });
  }

  private static RelationStats relation(Record r) {
    String relkind = r.get(1, String.class);
    RelationKind kind =
        switch (relkind) {
          case "i", "I" -> RelationKind.INDEX;
          case "p" -> RelationKind.PARTITIONED_TABLE;
          default -> RelationKind.TABLE;
        };
    OffsetDateTime analyzed = r.get(8, OffsetDateTime.class);
    return new RelationStats(
        r.get(0, String.class),
        kind,
        r.get(2, String.class),
        r.get(3, Long.class),
        r.get(4, Boolean.class),
        optional(r.get(5, Long.class)),
        optional(r.get(6, Long.class)),
        optional(r.get(7, Long.class)),
        analyzed == null ? null : analyzed.toInstant(),
        optional(r.get(9, Long.class)),
        optional(r.get(10, Long.class)));
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  private static List<CollectionSnapshot> collections(
      List<Record> rows, Map<String, RelationStats> relations) {
    List<CollectionSnapshot> out = new ArrayList<>();
    int i = 0;
    while (i < rows.size()) {
      Record first = rows.get(i);
      String name = first.get(0, String.class);
      List<SetSnapshot> sets = new ArrayList<>();
      long vectorBytes = 0;
      while (i < rows.size() && rows.get(i).get(0, String.class).equals(name)) {
        Record r = rows.get(i++);
        EmbeddingSet set =
            new EmbeddingSet(
                r.get(2, Long.class),
                name,
                r.get(3, String.class),
                r.get(4, Integer.class),
                SetState.valueOf(r.get(5, String.class).toUpperCase(Locale.ROOT)),
                r.get(6, OffsetDateTime.class).toInstant(),
                instant(r.get(7, OffsetDateTime.class)),
                instant(r.get(8, OffsetDateTime.class)));
        vectorBytes += r.get(17, Long.class);
        sets.add(
            new SetSnapshot(
                set,
                r.get(14, Long.class),
                r.get(15, Long.class),
                r.get(16, Long.class),
                annIndex(set, relations),
                setBytes(set.id(), relations)));
      }
      out.add(
          new CollectionSnapshot(
              name,
              CollectionRow.distance(first.get(1, String.class)),
              statuses(first.get(9, String.class)),
              first.get(12, Long.class),
              first.get(11, Long.class),
              OptionalLong.of(first.get(10, Long.class) + first.get(13, Long.class) + vectorBytes),
              sets));
    }
    return out;
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  /** Parses {@code {"ready": 3, "failed": 1}}, the only JSON this class reads. */
  private static Map<DocumentStatus, Long> statuses(String json) {
    Map<DocumentStatus, Long> out = new EnumMap<>(DocumentStatus.class);
    for (DocumentStatus s : DocumentStatus.values()) {
      out.put(s, 0L);
    }
    if (json == null) {
      return out;
    }
    String body = json.trim();
    body = body.substring(1, body.length() - 1).trim();
    if (body.isEmpty()) {
      return out;
    }
    for (String entry : body.split(",")) {
      String[] kv = entry.split(":");
      String status = kv[0].trim().replace("\"", "");
      out.put(Rows.status(status), Long.parseLong(kv[1].trim()));
    }
    return out;
  }

  private static AnnIndexState annIndex(EmbeddingSet set, Map<String, RelationStats> relations) {
    if (!AnnIndexSql.indexable(set.dimension())) {
      return AnnIndexState.NOT_APPLICABLE;
    }
    RelationStats index = relations.get(AnnIndexSql.indexName(set.id()));
    if (index == null) {
      return AnnIndexState.MISSING;
    }
    return Boolean.TRUE.equals(index.valid()) ? AnnIndexState.VALID : AnnIndexState.INVALID;
  }

  /** The set's partition with its TOAST and every index on it. */
  private static OptionalLong setBytes(long setId, Map<String, RelationStats> relations) {
    String partition = AnnIndexSql.partitionName(setId);
    RelationStats table = relations.get(partition);
    if (table == null) {
      return OptionalLong.empty();
    }
    long bytes = table.bytes();
    for (RelationStats r : relations.values()) {
      if (r.kind() == RelationKind.INDEX && partition.equals(r.table())) {
        bytes += r.bytes();
      }
    }
    return OptionalLong.of(bytes);
  }

  private Map<String, String> configuration(Tx tx, String vectorVersion) throws SQLException {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("store", "pgvector");
    config.put("schema", t.schema());
    DatabaseMetaData meta = tx.connection().getMetaData();
    config.put("url", meta.getURL());
    config.put("user", meta.getUserName());
    config.put("server", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
    config.put("pgvector", vectorVersion == null ? "not installed" : vectorVersion);
    config.putAll(settings);
    return Redaction.redact(config);
  }

  // ------------------------------------------------------------------------------ vectors

  /**
   * One keyset page of a set's partition, each vector examined on the server: its dimension,
   * whether a component is NaN or infinite (through {@code real[]}, which pgvector does not check
   * on the way out), whether all are zero, its model, and whether its chunk exists and has the text
   * it was computed from. Rows are small: the vectors themselves never leave the server.
   */
  private static final String SCAN =
      "WITH page AS (SELECT e.chunk_id, e.embedding, e.model, e.content_hash FROM {0} e"
          + " WHERE e.set_id = {1} AND e.chunk_id > {2} AND {3}"
          + " ORDER BY e.chunk_id LIMIT {4})"
          + " SELECT p.chunk_id, vector_dims(p.embedding), x.non_finite, x.zero, p.model,"
          + " c.id IS NULL, c.id IS NOT NULL AND c.content_hash <> p.content_hash"
          + " FROM page p LEFT JOIN {5} c ON c.id = p.chunk_id"
          + " CROSS JOIN LATERAL (SELECT"
          + " coalesce(bool_or(v = 'NaN'::real OR v = 'Infinity'::real OR v = '-Infinity'::real),"
          + " false) AS non_finite, coalesce(bool_and(v = 0), true) AS zero"
          + " FROM unnest(p.embedding::real[]) AS v) x"
          + " ORDER BY p.chunk_id";

  VectorScanPage scan(VectorScanQuery query, Catalog catalog) {
    return db.read(
        "Examining the vectors of collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, query.collection());
          EmbeddingSet set = catalog.requireSet(tx, coll, query.setId());
          org.jooq.Condition sampled =
              query.sampleRate() >= 1
                  ? DSL.trueCondition()
                  : DSL.condition(
                      "((e.chunk_id % {0}) * 1103515245 + 12345) % {0} < {1}",
                      DSL.inline(VectorScanQuery.SAMPLE_MODULUS),
                      DSL.val(VectorScanQuery.sampleThreshold(query.sampleRate())));
          List<Record> rows =
              tx.dsl()
                  .resultQuery(
                      SCAN,
                      t.table("embeddings"),
                      DSL.inline(set.id()),
                      DSL.val(query.afterChunkId()),
                      sampled,
                      DSL.val(query.limit()),
                      t.table("chunks"))
                  .fetch();
          List<VectorCheck> suspects = new ArrayList<>();
          long last = 0;
          for (Record r : rows) {
            long chunkId = r.get(0, Long.class);
            last = chunkId;
            int dims = r.get(1, Integer.class);
            String stored = r.get(4, String.class);
            String model = stored == null ? set.model() : stored;
            VectorCheck check =
                new VectorCheck(
                    chunkId,
                    dims,
                    dims != set.dimension(),
                    r.get(2, Boolean.class),
                    r.get(3, Boolean.class),
                    model,
                    !model.equals(set.model()),
                    r.get(6, Boolean.class),
                    r.get(5, Boolean.class));
            if (check.hasProblem()) {
              suspects.add(check);
            }
          }
          return new VectorScanPage(
              suspects,
              rows.size(),
              rows.size() == query.limit() ? OptionalLong.of(last) : OptionalLong.empty());
        });
  }

  // ------------------------------------------------------------------------------ chunk audit

  /**
   * One pass over the sampled chunks of a collection's live documents: the SHA-256 of each text
   * against its stored hash, an empty {@code tsvector} although the text has letters or digits, and
   * the token count against a limit; the first ids of each kind come back as arrays.
   */
  private static final String AUDIT =
      "WITH c AS (SELECT ch.id, ch.token_count,"
          + " encode(pg_catalog.sha256(convert_to(ch.text, 'UTF8')), 'hex') <> ch.content_hash"
          + " AS bad_hash,"
          + " ch.text_tsv = ''::tsvector AND ch.text ~ '[[:alnum:]]' AS no_words"
          + " FROM {0} ch JOIN {1} d ON d.id = ch.document_id"
          + " WHERE ch.collection_id = {2} AND d.collection_id = {2} AND d.status <> 'deleted'"
          + " AND {3})"
          + " SELECT count(*),"
          + " count(*) FILTER (WHERE bad_hash),"
          + " (array_agg(id ORDER BY id) FILTER (WHERE bad_hash))[1:{4}],"
          + " count(*) FILTER (WHERE no_words),"
          + " (array_agg(id ORDER BY id) FILTER (WHERE no_words))[1:{4}],"
          + " count(*) FILTER (WHERE {5} > 0 AND token_count > {5}),"
          + " (array_agg(id ORDER BY id) FILTER (WHERE {5} > 0 AND token_count > {5}))[1:{4}]"
          + " FROM c";

  /** Live documents of a collection, and those lacking one of the required metadata keys. */
  private static final String METADATA =
      "SELECT count(*),"
          + " count(*) FILTER (WHERE NOT jsonb_exists_all(d.metadata, {2})),"
          + " (array_agg(d.key ORDER BY d.id) FILTER (WHERE NOT jsonb_exists_all(d.metadata, {2})))"
          + "[1:{3}]"
          + " FROM {0} d WHERE d.collection_id = {1} AND d.status <> 'deleted'";

  ChunkAudit audit(ChunkAuditQuery query, Catalog catalog) {
    return db.read(
        "Auditing the chunks of collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, query.collection());
          org.jooq.Condition sampled =
              query.sampleRate() >= 1
                  ? DSL.trueCondition()
                  : DSL.condition(
                      "((ch.id % {0}) * 1103515245 + 12345) % {0} < {1}",
                      DSL.inline(VectorScanQuery.SAMPLE_MODULUS),
                      DSL.val(VectorScanQuery.sampleThreshold(query.sampleRate())));
          Record r =
              tx.dsl()
                  .resultQuery(
                      AUDIT,
                      t.table("chunks"),
                      t.table("documents"),
                      DSL.val(coll.id()),
                      sampled,
                      DSL.val(query.maxSamples()),
                      DSL.val(query.maxTokens()))
                  .fetchSingle();
          long documents = 0;
          long incomplete = 0;
          List<String> keys = List.of();
          if (!query.requiredMetadataKeys().isEmpty()) {
            Record m =
                tx.dsl()
                    .resultQuery(
                        METADATA,
                        t.table("documents"),
                        DSL.val(coll.id()),
                        DSL.val(query.requiredKeys().toArray(new String[0])),
                        DSL.val(query.maxSamples()))
                    .fetchSingle();
            documents = m.get(0, Long.class);
            incomplete = m.get(1, Long.class);
            keys = strings(m.get(2, String[].class));
          }
          return new ChunkAudit(
              r.get(0, Long.class),
              r.get(1, Long.class),
              ids(r.get(2, Long[].class)),
              true,
              r.get(3, Long.class),
              ids(r.get(4, Long[].class)),
              r.get(5, Long.class),
              ids(r.get(6, Long[].class)),
              documents,
              incomplete,
              keys);
        });
  }

  private static List<Long> ids(Long[] values) {
    return values == null ? List.of() : List.of(values);
  }

  private static List<String> strings(String[] values) {
    return values == null ? List.of() : List.of(values);
  }

  // ------------------------------------------------------------------------------ latencies

  private static final String LATENCIES =
      "SELECT operation, count(*), avg(duration_ms),"
          + " percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)"
          + " FROM {0} WHERE operation = ANY ({1}) AND started_at >= now() - {2} * interval '1 ms'"
          + " AND success GROUP BY operation ORDER BY operation";

  /** Latencies of the logged write operations, from every process writing to the schema. */
  List<OperationLatency> loggedLatencies(Duration window) {
    return db.read(
        "Reading the operation log of schema '" + t.schema() + "'",
        tx ->
            tx.dsl()
                .resultQuery(
                    LATENCIES,
                    t.operationLog,
                    DSL.val(LOGGED_WRITES.toArray(new String[0])),
                    DSL.val(window.toMillis()))
                .fetch()
                .map(
                    r ->
                        new OperationLatency(
                            r.get(0, String.class),
                            r.get(1, Long.class),
                            r.get(2, Double.class),
                            r.get(3, Double.class),
                            OperationLatency.OPERATION_LOG)));
  }
}
