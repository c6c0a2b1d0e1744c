package dev.portfolio.maintenance.health;

import java.util.Locale;

/**
 * The named checks of {@link dev.portfolio.maintenance.Maintenance#healthCheck}, in the order a
 * report lists them. Each has a stable name ({@link #id()}), what it counts, a one-line remedy, and
 * whether {@code fix} repairs it. README.md ("Health checks") documents each with its threshold.
 *
 * @since 0.1.0
 */
public enum HealthCheckKind {
  /** Chunks whose document no longer exists (store-wide). Samples: none. */
  ORPHANED_CHUNKS("Delete them: run with fix (Maintenance.cleanupOrphans).", true),
  /** Vectors whose chunk or embedding set no longer exists (store-wide). Samples: none. */
  ORPHANED_VECTORS("Delete them: run with fix (Maintenance.cleanupOrphans).", true),
  /** Documents marked ready that have no chunk at all (store-wide). Samples: none. */
  DOCUMENTS_WITHOUT_CHUNKS("Delete them with fix, then ingest the documents again.", true),
  /**
   * Chunks of live documents without a vector in the active set, and the coverage. Samples: {@code
   * collection:chunkId}.
   */
  MISSING_EMBEDDINGS("Re-embed the missing chunks: run with fix (or `portfolio reembed`).", true),
  /**
   * Vectors computed from text other than their chunk's current text. Samples: {@code
   * collection:chunkId}.
   */
  STALE_EMBEDDINGS(
      "Re-embed the stale chunks: run with fix (or `portfolio reembed --only-stale`).", true),
  /**
   * Chunks whose stored content hash is not the hash of their stored text (the text was changed
   * behind the library's back). Samples: {@code collection:chunkId}.
   */
  CONTENT_INTEGRITY(
      "Ingest the affected documents again from their source; their vectors follow the new text.",
      false),
  /** Vectors whose dimension is not their set's. Samples: {@code collection:chunkId}. */
  DIMENSION_MISMATCH("Re-embed the affected documents: run with fix (deep finds them all).", true),
  /**
   * Vectors with a NaN or infinite component, or all zeros. Samples: {@code collection:chunkId}.
   */
  INVALID_VECTORS("Re-embed the affected documents: run with fix (deep finds them all).", true),
  /**
   * Vectors of a model other than their set's (counted exactly; samples from the vector scan).
   * Samples: {@code collection:chunkId}.
   */
  FOREIGN_MODEL_VECTORS(
      "Re-embed the affected documents with the set's model: run with fix (deep finds them all).",
      true),
  /**
   * A building set (a model switch) left half-done for longer than the threshold. Samples: {@code
   * collection:setId}.
   */
  STALLED_BUILDING_SET(
      "Resume the switch (`portfolio switch-model start`) or abandon it"
          + " (`portfolio switch-model abandon`).",
      false),
  /** Retired sets not yet dropped. Samples: {@code collection:setId}. */
  RETIRED_SETS(
      "Drop them once no rollback is needed (`portfolio switch-model drop-retired`).", false),
  /**
   * Chunks longer than the embedder's input limit: the model saw only their beginning. Samples:
   * {@code collection:chunkId}.
   */
  TRUNCATED_CHUNKS(
      "Ingest the documents again with a smaller chunk size (the default fits the embedder).",
      false),
  /**
   * Live documents missing a required metadata key of their collection. Samples: {@code
   * collection:documentKey}.
   */
  METADATA_COMPLETENESS("Ingest the documents again with the required metadata keys.", false),
  /**
   * Chunks whose text has words but that have no keyword entry (on PostgreSQL an empty {@code
   * tsvector}): keyword search cannot find them. Samples: {@code collection:chunkId}.
   */
  KEYWORD_INDEX("Ingest the affected documents again to rebuild their keyword entries.", false),
  /**
   * Active sets whose ANN index is invalid (an interrupted build) or missing above the size
   * threshold, collections whose metadata filter index is missing or invalid ({@link
   * dev.portfolio.core.spi.VectorStore#filters}), and other invalid indexes. Samples: {@code
   * collection:setId}, {@code collection:indexName} or an index name. Fix rebuilds them
   * concurrently.
   */
  ANN_INDEX(
      "Rebuild the index concurrently: run with fix (or PgVectorStore.createAnnIndex).", true),
  /**
   * Tables never analysed, or with many rows changed since the last ANALYZE (a bulk load). Samples:
   * table names.
   */
  PLANNER_STATISTICS("Analyse the tables: run with fix (VACUUM (ANALYZE)).", true),
  /** Tables with a large share of dead rows. Samples: table names. */
  BLOAT("Vacuum the tables: run with fix (VACUUM (ANALYZE)), and check autovacuum.", true),
  /** Running jobs whose lease ran out longer ago than the grace period. Samples: job ids. */
  STUCK_JOBS(
      "Start a job worker (it takes over expired leases) or cancel the job (JobQueue.cancel).",
      false),
  /** Failed documents above the threshold share. Samples: {@code collection:documentKey}. */
  FAILED_DOCUMENTS("Retry them (Maintenance.retryFailed) after fixing the cause.", false);

  private final String remedy;
  private final boolean repairable;

  HealthCheckKind(String remedy, boolean repairable) {
    this.remedy = remedy;
    this.repairable = repairable;
  }

  /**
   * Returns the check's stable name, as reports, JSON and the command line show it.
   *
   * @return for example {@code stale-embeddings}
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Returns the one-line remedy of a failure.
   *
   * @return the remedy
   */
  public String remedy() {
    return remedy;
  }

  /**
   * Tells whether {@code fix} repairs (some of) this check's findings.
   *
   * @return true when repairable
   */
  public boolean repairable() {
    return repairable;
  }
}
