package dev.portfolio.index.pgvector;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.SqlErrors;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-collection metadata filters: the declared keys live in {@code collections.settings} under
 * {@code "filters"} (a JSON array), and one partial GIN index per collection, {@code
 * documents_<collection id>_filters} on {@code documents (metadata jsonb_path_ops) WHERE
 * collection_id = <id>}, serves every {@code metadata @> ...} filter of its searches. Recording
 * keys is DML; the index is DDL, built with {@code CREATE INDEX CONCURRENTLY} so writes go on, and
 * dropped ({@code DROP INDEX CONCURRENTLY}) once its collection is gone.
 */
final class FilterIndexes {
  private static final Logger LOG = LoggerFactory.getLogger(FilterIndexes.class);
  private static final String SUFFIX = "_filters";

  private final Db db;
  private final String schema;
  private final String quotedSchema;

  FilterIndexes(Db db) {
    this.db = db;
    this.schema = db.tables().schema();
    this.quotedSchema = Identifiers.quote(schema);
  }

  /** Returns the deterministic name of a collection's filter index. */
  static String indexName(long collectionId) {
    if (collectionId <= 0) {
      throw new IllegalArgumentException(
          "collection id must be positive (was " + collectionId + ")");
    }
    return "documents_" + collectionId + SUFFIX;
  }

  /** Returns the statement that builds a collection's filter index, ids rendered as literals. */
  String createSql(long collectionId) {
    return "CREATE INDEX CONCURRENTLY IF NOT EXISTS "
        + indexName(collectionId)
        + " ON "
        + quotedSchema
        + ".documents USING gin (metadata jsonb_path_ops) WHERE collection_id = "
        + collectionId;
  }

  private String dropSql(String index) {
    return "DROP INDEX CONCURRENTLY IF EXISTS " + quotedSchema + "." + index;
  }

  /** A collection's id and declared keys. */
  private record Declared(long id, SortedSet<String> keys) {}

  private Declared declared(Connection c, String collection, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, ARRAY(SELECT jsonb_array_elements_text(CASE WHEN"
                + " jsonb_typeof(settings -> 'filters') = 'array' THEN settings -> 'filters' ELSE"
                + " '[]'::jsonb END)) FROM "
                + quotedSchema
                + ".collections WHERE name = ?"
                + (lock ? " FOR NO KEY UPDATE" : ""))) {
      ps.setString(1, collection);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw StoreErrors.collectionNotFound(collection);
        }
        SortedSet<String> keys = new TreeSet<>();
        Array a = rs.getArray(2);
        try {
          for (Object k : (Object[]) a.getArray()) {
            keys.add((String) k);
          }
        } finally {
          a.free();
        }
        return new Declared(rs.getLong(1), keys);
      }
    }
  }

  private MetadataFilters filters(Connection c, String collection, Declared d) throws SQLException {
    String index = indexName(d.id());
    if (d.keys().isEmpty()) {
      return new MetadataFilters(
          collection, d.keys(), MetadataFilters.IndexState.NOT_APPLICABLE, index);
    }
    Boolean valid = AnnIndexSql.validity(c, schema, index);
    MetadataFilters.IndexState state =
        valid == null
            ? MetadataFilters.IndexState.MISSING
            : valid ? MetadataFilters.IndexState.VALID : MetadataFilters.IndexState.INVALID;
    return new MetadataFilters(collection, d.keys(), state, index);
  }

  /** Reads a collection's filters and the state of their index. */
  MetadataFilters read(String collection) {
    return db.read(
        "Reading the metadata filters of collection '" + collection + "'",
        tx -> filters(tx.connection(), collection, declared(tx.connection(), collection, false)));
  }

  /**
   * Records keys (union with those declared) in one transaction, then builds the index when keys
   * are declared and it is missing or invalid.
   */
  MetadataFilters define(String collection, SortedSet<String> keys) {
    String what = "Declaring metadata filters " + keys + " of collection '" + collection + "'";
    Declared d =
        db.write(
            what,
            "define_filters",
            collection,
            true,
            tx -> {
              Connection c = tx.connection();
              Declared found = declared(c, collection, true);
              if (found.keys().containsAll(keys)) {
                return found;
              }
              SortedSet<String> all = new TreeSet<>(found.keys());
              all.addAll(keys);
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE "
                          + quotedSchema
                          + ".collections SET settings = jsonb_set(settings, '{filters}',"
                          + " to_jsonb(?::text[])), updated_at = now() WHERE id = ?")) {
                ps.setArray(1, c.createArrayOf("text", all.toArray()));
                ps.setLong(2, found.id());
                ps.executeUpdate();
              }
              LOG.info(
                  "Collection '{}' filters on metadata keys {} (added {})",
                  collection,
                  all,
                  keys.stream().filter(k -> !found.keys().contains(k)).toList());
              return new Declared(found.id(), all);
            },
            r -> 1);
    if (!d.keys().isEmpty()) {
      buildIndex(collection, d);
    }
    return read(collection);
  }

  private void buildIndex(String collection, Declared d) {
    String index = indexName(d.id());
    String create = createSql(d.id());
    String what =
        "Building the metadata filter index " + index + " of collection '" + collection + "'";
    db.logged(
        "create_filter_index",
        collection,
        () ->
            db.session(
                what,
                (c, dsl) -> {
                  try {
                    Boolean valid = AnnIndexSql.validity(c, schema, index);
                    if (Boolean.TRUE.equals(valid)) {
                      return false;
                    }
                    if (!ownsDocuments(c)) {
                      throw denied(collection, d, create, currentUser(c), null);
                    }
                    if (Boolean.FALSE.equals(valid)) {
                      Integer pid = buildingSession(c, index);
                      if (pid != null) {
                        throw new NonRetriableException(
                            ErrorCode.CONFLICT,
                            what
                                + ": server session "
                                + pid
                                + " is building it now; try again when that build has ended.");
                      }
                      LOG.warn(
                          "Dropping invalid index {} (an interrupted build) before rebuilding it",
                          index);
                      execute(c, dropSql(index));
                    }
                    execute(c, "SET statement_timeout = 0");
                    try {
                      execute(c, create);
                    } finally {
                      execute(c, "RESET statement_timeout");
                    }
                    if (!Boolean.TRUE.equals(AnnIndexSql.validity(c, schema, index))) {
                      execute(c, dropSql(index));
                      throw new NonRetriableException(
                          ErrorCode.STORE_FAILURE,
                          what + " failed: the index was left invalid and was dropped. Try again.");
                    }
                    // Fresh statistics, or the planner may misjudge how selective filters are.
                    execute(c, "ANALYZE " + quotedSchema + ".documents");
                    LOG.info("Built metadata filter index {}.{}", schema, index);
                    return true;
                  } catch (SQLException | RuntimeException e) {
                    if (SqlErrors.INSUFFICIENT_PRIVILEGE.equals(SqlErrors.sqlState(e))) {
                      throw denied(collection, d, create, currentUser(c), e);
                    }
                    throw e;
                  }
                }),
        built -> built ? 1 : 0);
  }

  private NonRetriableException denied(
      String collection, Declared d, String create, String role, Exception cause) {
    return new NonRetriableException(
        ErrorCode.PERMISSION_DENIED,
        "Metadata filters "
            + d.keys()
            + " of collection '"
            + collection
            + "' are recorded, but their index is DDL: it needs ownership of table "
            + quotedSchema
            + ".documents, which role '"
            + role
            + "' lacks. Declare the filters again as the schema owner (or run 'portfolio"
            + " collections migrate' as the owner), or have the owner execute: "
            + create
            + ";",
        cause);
  }

  /**
   * Drops the filter indexes whose collection no longer exists (after a drop or a replace, or left
   * by a crash). Best effort: without ownership of {@code documents}, or on failure, the leftovers
   * are logged with the SQL to run and left; they only cost space.
   *
   * @return how many were dropped
   */
  int dropOrphans() {
    try {
      return db.session(
          "Dropping the filter indexes of dropped collections",
          (c, dsl) -> {
            List<String> orphans = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT i.relname FROM pg_catalog.pg_class i JOIN pg_catalog.pg_namespace n"
                        + " ON n.oid = i.relnamespace WHERE n.nspname = ? AND i.relkind = 'i'"
                        + " AND i.relname ~ '^documents_[0-9]+_filters$' AND NOT EXISTS (SELECT 1"
                        + " FROM "
                        + quotedSchema
                        + ".collections col WHERE col.id = substring(i.relname from"
                        + " '^documents_([0-9]+)_filters$')::bigint) ORDER BY 1")) {
              ps.setString(1, schema);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  orphans.add(rs.getString(1));
                }
              }
            }
            if (orphans.isEmpty()) {
              return 0;
            }
            if (!ownsDocuments(c)) {
              LOG.info(
                  "The filter indexes {} of dropped collections stay until the schema owner drops"
                      + " them: {}",
                  orphans,
                  orphans.stream().map(o -> dropSql(o) + ";").toList());
              return 0;
            }
            for (String index : orphans) {
              execute(c, dropSql(index));
              LOG.info("Dropped filter index {}.{} of a dropped collection", schema, index);
            }
            return orphans.size();
          });
    } catch (RuntimeException e) {
      LOG.warn("Dropping the filter indexes of dropped collections failed: {}", e.getMessage());
      return 0;
    }
  }

  private boolean ownsDocuments(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_catalog.pg_class c"
                + " WHERE c.oid = to_regclass(?)")) {
      ps.setString(1, quotedSchema + ".documents");
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static Integer buildingSession(Connection c, String index) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT p.pid FROM pg_catalog.pg_stat_progress_create_index p JOIN pg_catalog.pg_class"
                + " i ON i.oid = p.index_relid WHERE i.relname = ? AND p.pid <> pg_backend_pid()"
                + " LIMIT 1")) {
      ps.setString(1, index);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  private static String currentUser(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      return rs.next() ? rs.getString(1) : "?";
    } catch (SQLException e) {
      return "?";
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
