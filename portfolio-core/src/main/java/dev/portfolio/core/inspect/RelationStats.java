package dev.portfolio.core.inspect;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One table or index of a store with its size and what the database tracks about it (on PostgreSQL
 * from {@code pg_class}, {@code pg_index}, {@code pg_stat_user_tables} and {@code
 * pg_statio_user_tables}/{@code pg_statio_user_indexes}).
 *
 * @param name the relation's name, unqualified
 * @param kind table, partitioned table or index
 * @param table for an index the table it belongs to; for a partition its partitioned table; else
 *     null
 * @param bytes bytes on disk: for a table heap and TOAST (not its indexes), for an index the index
 * @param valid for an index whether it is valid ({@code pg_index.indisvalid}); null for a table
 * @param liveRows estimated live rows of a table, empty for an index or when untracked
 * @param deadRows estimated dead rows of a table (left by updates and deletes until vacuumed)
 * @param modifiedSinceAnalyze rows inserted, updated or deleted since the table was last analysed
 * @param lastAnalyzed when the table's planner statistics were last gathered (by ANALYZE or
 *     autovacuum), or null when never (or for an index)
 * @param blocksHit blocks read from the buffer cache since the server's statistics were reset
 * @param blocksRead blocks read from outside the buffer cache since then
 * @since 0.1.0
 */
public record RelationStats(
    String name,
    RelationKind kind,
    String table,
    long bytes,
    Boolean valid,
    OptionalLong liveRows,
    OptionalLong deadRows,
    OptionalLong modifiedSinceAnalyze,
    Instant lastAnalyzed,
    OptionalLong blocksHit,
    OptionalLong blocksRead) {
  /** Validates the components. */
  public RelationStats {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(liveRows, "liveRows");
    Objects.requireNonNull(deadRows, "deadRows");
    Objects.requireNonNull(modifiedSinceAnalyze, "modifiedSinceAnalyze");
    Objects.requireNonNull(blocksHit, "blocksHit");
    Objects.requireNonNull(blocksRead, "blocksRead");
  }
}
