package dev.portfolio.index.pgvector;

import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.StoreTable;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.index.internal.Identifiers;
import dev.portfolio.index.internal.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Purging soft-deleted documents, orphaned rows, and {@code VACUUM (ANALYZE)} after large deletes.
 * Deletes run in bounded batches, each one transaction that locks its rows with {@code FOR UPDATE
 * SKIP LOCKED}, so a batch retried after a lost connection deletes what is left and nothing twice.
 * Vectors go with their chunks (trigger {@code chunks_delete_embeddings}).
 */
final class Cleanup {
  private final Db db;
  private final String s;

  Cleanup(Db db) {
    this.db = db;
    this.s = Identifiers.quote(db.tables().schema());
  }

  // ------------------------------------------------------------------------------ soft-deleted

  PurgeResult purgeDeleted(String collection, Instant before, int limit, Catalog catalog) {
    return db.write(
        "Purging soft-deleted documents of collection '" + collection + "'",
        "purge_deleted",
        collection,
        true,
        tx -> {
          CollectionRow coll = catalog.lock(tx, collection);
          Connection c = tx.connection();
          Long[] ids;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT d.id FROM "
                      + s
                      + ".documents d WHERE d.collection_id = ? AND d.deleted_at IS NOT NULL"
                      + " AND d.status = 'deleted' AND (?::timestamptz IS NULL OR d.deleted_at < ?)"
                      + " ORDER BY d.deleted_at, d.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setLong(1, coll.id());
            setInstant(ps, 2, before);
            setInstant(ps, 3, before);
            ps.setInt(4, limit);
            ids = longs(ps);
          }
          if (ids.length == 0) {
            return PurgeResult.NONE;
          }
          long vectors;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*) FROM "
                      + s
                      + ".chunks c JOIN "
                      + s
                      + ".embeddings e ON e.chunk_id = c.id AND e.collection_id = c.collection_id"
                      + " WHERE c.collection_id = ? AND c.document_id = ANY (?)")) {
            ps.setLong(1, coll.id());
            ps.setArray(2, c.createArrayOf("bigint", ids));
            vectors = single(ps);
          }
          long chunks;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM "
                      + s
                      + ".chunks c WHERE c.collection_id = ? AND c.document_id = ANY (?)")) {
            ps.setLong(1, coll.id());
            ps.setArray(2, c.createArrayOf("bigint", ids));
            chunks = ps.executeUpdate();
          }
          long documents;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM "
                      + s
                      + ".documents d WHERE d.id = ANY (?) AND d.status = 'deleted'")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            documents = ps.executeUpdate();
          }
          return new PurgeResult(documents, chunks, vectors);
        },
        r -> r.documents() + r.chunks());
  }

  PurgeResult countDeleted(String collection, Instant before, Catalog catalog) {
    return db.read(
        "Counting soft-deleted documents of collection '" + collection + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, collection);
          String doomed =
              "SELECT d.id FROM "
                  + s
                  + ".documents d WHERE d.collection_id = ? AND d.status = 'deleted'"
                  + " AND (?::timestamptz IS NULL OR d.deleted_at < ?)";
          try (PreparedStatement ps =
              tx.connection()
                  .prepareStatement(
                      "WITH doomed AS ("
                          + doomed
                          + "), ch AS (SELECT c.id FROM "
                          + s
                          + ".chunks c WHERE c.collection_id = ? AND c.document_id IN"
                          + " (SELECT id FROM doomed))"
                          + " SELECT (SELECT count(*) FROM doomed), (SELECT count(*) FROM ch),"
                          + " (SELECT count(*) FROM "
                          + s
                          + ".embeddings e WHERE e.collection_id = ? AND e.chunk_id IN"
                          + " (SELECT id FROM ch))")) {
            ps.setLong(1, coll.id());
            setInstant(ps, 2, before);
            setInstant(ps, 3, before);
            ps.setLong(4, coll.id());
            ps.setLong(5, coll.id());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new PurgeResult(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
          }
        });
  }

  // ------------------------------------------------------------------------------ orphans

  /** The rows of each kind, as a {@code SELECT} list of keys (no ORDER BY, no LIMIT). */
  private String orphans(OrphanKind kind) {
    return switch (kind) {
      case CHUNKS_WITHOUT_DOCUMENT ->
          "SELECT c.id FROM "
              + s
              + ".chunks c WHERE NOT EXISTS (SELECT 1 FROM "
              + s
              + ".documents d WHERE d.id = c.document_id)";
      case READY_DOCUMENTS_WITHOUT_CHUNKS ->
          "SELECT d.id FROM "
              + s
              + ".documents d WHERE d.status = 'ready' AND NOT EXISTS (SELECT 1 FROM "
              + s
              + ".chunks c WHERE c.document_id = d.id)";
      case VECTORS_WITHOUT_CHUNK ->
          "SELECT e.set_id, e.chunk_id FROM "
              + s
              + ".embeddings e WHERE EXISTS (SELECT 1 FROM "
              + s
              + ".embedding_sets es WHERE es.id = e.set_id) AND NOT EXISTS (SELECT 1 FROM "
              + s
              + ".chunks c WHERE c.id = e.chunk_id)";
      case VECTORS_WITHOUT_SET ->
          "SELECT e.set_id, e.chunk_id FROM "
              + s
              + ".embeddings e WHERE NOT EXISTS (SELECT 1 FROM "
              + s
              + ".embedding_sets es WHERE es.id = e.set_id)";
    };
  }

  Map<OrphanKind, Long> countOrphans() {
    return db.read(
        "Counting orphaned rows",
        tx -> {
          Map<OrphanKind, Long> counts = new EnumMap<>(OrphanKind.class);
          for (OrphanKind kind : OrphanKind.values()) {
            try (PreparedStatement ps =
                tx.connection()
                    .prepareStatement("SELECT count(*) FROM (" + orphans(kind) + ") o")) {
              counts.put(kind, single(ps));
            }
          }
          return counts;
        });
  }

  long deleteOrphans(OrphanKind kind, int limit) {
    String sql =
        switch (kind) {
          case CHUNKS_WITHOUT_DOCUMENT ->
              "DELETE FROM "
                  + s
                  + ".chunks x WHERE x.id IN ("
                  + orphans(kind)
                  + " ORDER BY c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED)";
          case READY_DOCUMENTS_WITHOUT_CHUNKS ->
              "DELETE FROM "
                  + s
                  + ".documents x WHERE x.id IN ("
                  + orphans(kind)
                  + " ORDER BY d.id LIMIT ? FOR UPDATE OF d SKIP LOCKED) AND x.status = 'ready'";
          case VECTORS_WITHOUT_CHUNK, VECTORS_WITHOUT_SET ->
              "DELETE FROM "
                  + s
                  + ".embeddings x USING ("
                  + orphans(kind)
                  + " ORDER BY e.set_id, e.chunk_id LIMIT ?) o"
                  + " WHERE x.set_id = o.set_id AND x.chunk_id = o.chunk_id";
        };
    return db.write(
        "Deleting orphaned rows (" + kind.name().toLowerCase(Locale.ROOT) + ")",
        "delete_orphans",
        null,
        true,
        tx -> {
          try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
            ps.setInt(1, limit);
            return (long) ps.executeUpdate();
          }
        },
        n -> n);
  }

  // ------------------------------------------------------------------------------ vacuum

  List<VacuumOutcome> vacuum(Set<StoreTable> tables) {
    List<VacuumOutcome> out = new ArrayList<>();
    for (StoreTable table : StoreTable.values()) {
      if (tables.contains(table)) {
        out.add(vacuum(table));
      }
    }
    return List.copyOf(out);
  }

  private VacuumOutcome vacuum(StoreTable table) {
    String name = s + "." + table.name().toLowerCase(Locale.ROOT);
    String sql = "VACUUM (ANALYZE) " + name;
    long start = System.nanoTime();
    try {
      return db.session(
          "Vacuuming " + name,
          (c, dsl) -> {
            if (!mayVacuum(c, name)) {
              return new VacuumOutcome(
                  table,
                  VacuumOutcome.Status.SKIPPED,
                  "role '"
                      + single(c, "SELECT current_user")
                      + "' does not own "
                      + name
                      + " and VACUUM needs ownership; the deleted rows' space is reclaimed by"
                      + " autovacuum, or run as the schema owner: "
                      + sql,
                  elapsed(start));
            }
            Db.setLocal(c, "statement_timeout", "0", false);
            List<String> skipped = new ArrayList<>();
            try (Statement st = c.createStatement()) {
              st.execute(sql);
              for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                skipped.add(w.getMessage());
              }
            } finally {
              try (Statement st = c.createStatement()) {
                st.execute("RESET statement_timeout");
              }
            }
            if (!skipped.isEmpty()) {
              return new VacuumOutcome(
                  table,
                  VacuumOutcome.Status.SKIPPED,
                  sql + " reported: " + String.join("; ", skipped),
                  elapsed(start));
            }
            return new VacuumOutcome(table, VacuumOutcome.Status.DONE, sql, elapsed(start));
          });
    } catch (RuntimeException e) {
      return new VacuumOutcome(
          table,
          VacuumOutcome.Status.SKIPPED,
          sql
              + " failed (SQLState "
              + SqlErrors.sqlState(e)
              + "): "
              + e.getMessage()
              + "; autovacuum reclaims the space in time, or run it as the schema owner",
          elapsed(start));
    }
  }

  private static boolean mayVacuum(Connection c, String table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.rolsuper OR pg_has_role(current_user, cl.relowner, 'USAGE')"
                + " OR pg_has_role(current_user, db.datdba, 'USAGE')"
                + " FROM pg_catalog.pg_class cl, pg_catalog.pg_roles r, pg_catalog.pg_database db"
                + " WHERE cl.oid = to_regclass(?) AND r.rolname = current_user"
                + " AND db.datname = current_database()")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void setInstant(PreparedStatement ps, int index, Instant value)
      throws SQLException {
    ps.setObject(
        index,
        value == null ? null : OffsetDateTime.ofInstant(value, ZoneOffset.UTC),
        Types.TIMESTAMP_WITH_TIMEZONE);
  }

  private static Long[] longs(PreparedStatement ps) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids.toArray(new Long[0]);
  }

  private static long single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
