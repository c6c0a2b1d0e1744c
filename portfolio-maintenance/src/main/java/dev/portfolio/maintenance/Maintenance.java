package dev.portfolio.maintenance;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.progress.Slf4jProgressReporter;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.backup.ArchiveLimits;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.backup.PruneResult;
import dev.portfolio.maintenance.backup.RestoreMode;
import dev.portfolio.maintenance.backup.RestoreOptions;
import dev.portfolio.maintenance.backup.RestoreResult;
import dev.portfolio.maintenance.cleanup.DeletedCleanupOptions;
import dev.portfolio.maintenance.cleanup.DeletedCleanupResult;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupResult;
import dev.portfolio.maintenance.cleanup.SourceDeleteOptions;
import dev.portfolio.maintenance.cleanup.SourceDeleteResult;
import dev.portfolio.maintenance.diagnostics.DiagnosticsReport;
import dev.portfolio.maintenance.internal.Cleaner;
import dev.portfolio.maintenance.internal.EmbedRetry;
import dev.portfolio.maintenance.internal.FailedRetrier;
import dev.portfolio.maintenance.internal.ModelSwitcher;
import dev.portfolio.maintenance.internal.Reembedder;
import dev.portfolio.maintenance.internal.Settings;
import dev.portfolio.maintenance.internal.SwitchSteps;
import dev.portfolio.maintenance.internal.Verifier;
import dev.portfolio.maintenance.internal.backup.ArchiveCheck;
import dev.portfolio.maintenance.internal.backup.BackupRun;
import dev.portfolio.maintenance.internal.backup.RestoreRun;
import dev.portfolio.maintenance.internal.backup.Retention;
import dev.portfolio.maintenance.lock.OperationLocks;
import dev.portfolio.maintenance.modelswitch.Activation;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import dev.portfolio.maintenance.modelswitch.SwitchStatus;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import dev.portfolio.maintenance.retry.RetryOptions;
import dev.portfolio.maintenance.retry.RetryResult;
import dev.portfolio.maintenance.statistics.StatisticsOptions;
import dev.portfolio.maintenance.statistics.StatisticsReport;
import dev.portfolio.maintenance.verify.VerifyOptions;
import dev.portfolio.maintenance.verify.VerifyReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The maintenance operations on a {@link VectorStore}: re-embedding and zero-downtime model
 * switches. Built once, immutable and thread-safe; it does not own the store or the embedder (the
 * caller closes them).
 *
 * <pre>{@code
 * Maintenance maintenance = Maintenance.builder()
 *     .store(store)
 *     .embedder(embedder)                      // the active model's embedder, for reembed
 *     .progress(new ConsoleProgressReporter())
 *     .build();
 * ReembedResult r = maintenance.reembed(ReembedOptions.builder("docs").build());
 * SwitchResult s = maintenance.switchModel("docs", nextEmbedder, SwitchOptions.defaults());
 * }</pre>
 *
 * <p>Every operation works on both stores through the SPI, returns an immutable result, reports
 * progress, and those that change data have a dry run.
 *
 * @since 0.1.0
 */
public final class Maintenance {
  /** The default number of chunk errors a result lists: {@value}. */
  public static final int DEFAULT_MAX_REPORTED_ERRORS = 100;

  private final Settings settings;
  private final Embedder embedder;

  private Maintenance(Settings settings, Embedder embedder) {
    this.settings = settings;
    this.embedder = embedder;
  }

  /**
   * Starts building a facade.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------ re-embed

  /**
   * Gives chunks a fresh vector from the configured embedder: the chunks the options select (by
   * default those missing a vector in the active set), pipelined (keyset pages, a bounded number of
   * embedder calls in flight, bulk writes), resumable (what the set still misses is the progress),
   * and tolerant of bad input (rejected chunks are listed, their documents marked failed, and the
   * run goes on). A dry run counts and estimates tokens without touching anything.
   *
   * @param options what to re-embed, not null
   * @return what was done
   * @throws InvalidInputException before any work when the embedder's model or dimension is not the
   *     target set's (the message names both and says to use {@link #switchModel} to change models)
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND for an unknown collection or set;
   *     when the store fails or the embedder stays unavailable (the vectors written before are
   *     kept, and running again resumes)
   * @throws NonRetriableException when the facade was built without an embedder
   */
  public ReembedResult reembed(ReembedOptions options) {
    Inputs.requireNonNull("options", options);
    Reembedder reembedder = new Reembedder(settings, requireEmbedder());
    if (options.dryRun() || options.heldLock().isPresent() || isWorkUnit(options)) {
      // A work unit of a durable job holds the collection's lock shared (ReembedJobHandler): the
      // job's units run side by side in several workers, kept apart by the queue's leases, while a
      // switch or a cleanup of the collection is refused. A chunk-id range alone takes no lock.
      return reembedder.reembed(options);
    }
    return exclusive(
        options.collection(), "reembed " + options.collection(), () -> reembedder.reembed(options));
  }

  // ------------------------------------------------------------------------------ model switch

  /**
   * Switches a collection to another embedding model, possibly of another dimension, while searches
   * keep reading the old one: fills a building set with the new model's vectors, embeds chunks
   * upserted meanwhile, activates it in one step (on PostgreSQL after building its ANN index), and
   * optionally drops the retired set. Running it again after a crash or a cancellation resumes. A
   * dry run reports counts and estimated tokens and creates nothing.
   *
   * @param collection the collection
   * @param newEmbedder the new model's embedder, not null
   * @param options how to run, not null ({@link SwitchOptions#defaults()})
   * @return what the switch did; check {@link SwitchResult#outcome()}: a set that still misses
   *     chunks the embedder rejected is left building ({@link
   *     dev.portfolio.maintenance.modelswitch.SwitchOutcome#INCOMPLETE}) unless forced
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when another model's switch is
   *     under way; as {@link #reembed} for store and embedder failures
   */
  public SwitchResult switchModel(String collection, Embedder newEmbedder, SwitchOptions options) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("newEmbedder", newEmbedder);
    Inputs.requireNonNull("options", options);
    ModelSwitcher switcher = new ModelSwitcher(settings);
    if (options.dryRun()) {
      return switcher.switchModel(collection, newEmbedder, options);
    }
    return exclusive(
        collection,
        "switch " + collection + " to " + newEmbedder.info().modelRef(),
        () -> switcher.switchModel(collection, newEmbedder, options));
  }

  /**
   * Reports a collection's active and building sets with their coverage, and its retired sets.
   *
   * @param collection the collection
   * @return the status
   */
  public SwitchStatus switchStatus(String collection) {
    Inputs.collectionName(collection);
    return steps().status(collection);
  }

  /**
   * Activates a collection's building set: searches read it from then on, and the active set is
   * retired (kept for {@link #rollback}).
   *
   * @param collection the collection
   * @param force activate even when chunks are missing in the set (they are then not found by
   *     vector search until re-embedded)
   * @return what was activated and retired
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when there is no building set, or
   *     when it misses chunks and {@code force} is false (the message says how many)
   */
  public Activation activate(String collection, boolean force) {
    Inputs.collectionName(collection);
    return exclusive(
        collection, "activate " + collection, () -> steps().activate(collection, force));
  }

  /**
   * Makes the most recently retired set active again, undoing the last activation.
   *
   * @param collection the collection
   * @return the set now active
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when no retired set is left
   */
  public EmbeddingSet rollback(String collection) {
    Inputs.collectionName(collection);
    return exclusive(collection, "rollback " + collection, () -> steps().rollback(collection));
  }

  /**
   * Drops every retired set of a collection with its vectors (on PostgreSQL, its partition); no
   * rollback is possible afterwards. Also finishes drops a crash interrupted ({@link
   * VectorStore#finishInterruptedDrops}).
   *
   * @param collection the collection
   * @return the sets dropped, in ascending id order; empty when there were none
   */
  public List<EmbeddingSet> dropRetired(String collection) {
    Inputs.collectionName(collection);
    return exclusive(
        collection, "drop-retired " + collection, () -> steps().dropRetired(collection));
  }

  /**
   * Abandons a model switch: drops the building set with the vectors written into it. Searches are
   * not affected.
   *
   * @param collection the collection
   * @return the set dropped, or empty when no switch was under way
   */
  public Optional<EmbeddingSet> abandonSwitch(String collection) {
    Inputs.collectionName(collection);
    return exclusive(collection, "abandon-switch " + collection, () -> steps().abandon(collection));
  }

  // ------------------------------------------------------------------------------ retry and
  // cleanup

  /**
   * Re-processes a collection's failed documents: those whose last failure was retriable, and those
   * whose attempts are below {@link RetryOptions#maxAttempts()} (default 3). Re-processing embeds
   * their chunks that miss a current vector in the active set with the configured embedder
   * (transient errors retried with backoff) and marks them {@link
   * dev.portfolio.core.model.DocumentStatus#READY} when every chunk has one; a document that fails
   * again has its attempt counted and, at the maximum, is marked permanently failed ({@link
   * dev.portfolio.core.model.FailureKind#PERMANENT}) with its last reason, as is a document that
   * had already reached it. Holds the collection's maintenance lock (not in a dry run).
   *
   * @param options what to retry, not null
   * @return what was done; for a dry run, what would be
   * @throws InvalidInputException before any work when the embedder's model is not the active set's
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when another maintenance operation
   *     runs on the collection; RetriableException when the embedder stays unavailable (the
   *     documents recovered before are kept)
   * @throws NonRetriableException when the facade was built without an embedder
   */
  public RetryResult retryFailed(RetryOptions options) {
    Inputs.requireNonNull("options", options);
    FailedRetrier retrier = new FailedRetrier(settings, requireEmbedder());
    if (options.dryRun()) {
      return retrier.retry(options, null);
    }
    OperationLocks locks = new OperationLocks(settings.store());
    try (OperationLocks.Held held =
        locks.acquireAll(List.of(options.collection()), "retry-failed " + options.collection())) {
      return retrier.retry(options, held);
    }
  }

  /**
   * Purges soft-deleted documents for good, with their chunks and their vectors in every set, in
   * batches ({@link DeletedCleanupOptions#batchSize()} documents per transaction), then vacuums the
   * touched tables when something was removed. The cancellation check ({@link
   * DeletedCleanupOptions#cancellation()}) is asked before each batch: a cancelled run skips the
   * vacuum and returns a result marked {@link DeletedCleanupResult#cancelled() cancelled} with what
   * the committed batches removed; running the same cleanup again purges the rest. Holds the
   * maintenance lock of each collection it purges from.
   *
   * @param options which collections and how old, not null ({@link
   *     DeletedCleanupOptions#defaults()})
   * @return what was removed, per collection; for a dry run, what would be
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when another maintenance operation
   *     runs on a collection with documents to purge; NOT_FOUND for an unknown collection
   */
  public DeletedCleanupResult cleanupDeleted(DeletedCleanupOptions options) {
    Inputs.requireNonNull("options", options);
    return new Cleaner(settings).cleanupDeleted(options);
  }

  /**
   * Purges every soft-deleted document deleted at least {@code olderThan} ago, in every collection.
   *
   * @param olderThan the age, or null for every soft-deleted document
   * @return what was removed
   */
  public DeletedCleanupResult cleanupDeleted(Duration olderThan) {
    return cleanupDeleted(DeletedCleanupOptions.builder().olderThan(olderThan).build());
  }

  /**
   * Removes orphaned rows of every collection: chunks whose document is gone, documents marked
   * ready without chunks, vectors whose chunk is gone and vectors of sets that no longer exist (see
   * {@link dev.portfolio.core.model.OrphanKind}), in batches, then vacuums the touched tables when
   * something was removed. Vectors of retired sets are not orphans: they are kept for a rollback
   * and listed with their count, unless {@link OrphanCleanupOptions#dropRetiredSets()} asks to drop
   * the sets. A dry run reports the same counts and changes nothing. The cancellation check ({@link
   * OrphanCleanupOptions#cancellation()}) is asked before each batch: a cancelled run drops no
   * retired set, skips the vacuum and returns a result marked {@link
   * OrphanCleanupResult#cancelled() cancelled}; running the same cleanup again removes the rest.
   * Holds every collection's maintenance lock when there is something to remove.
   *
   * @param options what to do, not null
   * @return what was found and removed
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when another maintenance operation
   *     runs
   */
  public OrphanCleanupResult cleanupOrphans(OrphanCleanupOptions options) {
    Inputs.requireNonNull("options", options);
    return new Cleaner(settings).cleanupOrphans(options);
  }

  /**
   * Removes orphaned rows, as {@link #cleanupOrphans(OrphanCleanupOptions)} does.
   *
   * @param dryRun only count
   * @param batchSize rows per transaction, 1 to 10,000
   * @return what was found and removed
   */
  public OrphanCleanupResult cleanupOrphans(boolean dryRun, int batchSize) {
    return cleanupOrphans(
        OrphanCleanupOptions.builder().dryRun(dryRun).batchSize(batchSize).build());
  }

  /**
   * Deletes every document of a source, soft-deleted ones included, with their chunks and vectors,
   * in batches of {@link SourceDeleteOptions#DEFAULT_BATCH_SIZE} documents, one transaction each
   * ({@link VectorStore#deleteBySource(String, String, int)}), as {@link
   * #deleteSource(SourceDeleteOptions)} does.
   *
   * @param collection the collection
   * @param sourceId the source id
   * @param dryRun only count what would be removed
   * @return what was removed
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when another maintenance operation
   *     runs on the collection; NOT_FOUND for an unknown collection
   */
  public SourceDeleteResult deleteSource(String collection, String sourceId, boolean dryRun) {
    Inputs.collectionName(collection);
    Inputs.requireKey("sourceId", sourceId);
    return deleteSource(SourceDeleteOptions.builder(collection, sourceId).dryRun(dryRun).build());
  }

  /**
   * Deletes every document of a source, soft-deleted ones included, with their chunks and their
   * vectors in every set, in batches ({@link SourceDeleteOptions#batchSize()} documents per
   * transaction, lowest document ids first), so that locks and memory stay bounded however large
   * the source. The cancellation check is asked before each batch: a cancelled run returns a result
   * marked {@link SourceDeleteResult#cancelled() cancelled} with what the committed batches
   * removed; every document left is whole, and running the same delete again removes the rest.
   * Holds the collection's maintenance lock.
   *
   * @param options the collection, the source and how, not null
   * @return what was removed; for a dry run, what would be
   * @throws dev.portfolio.core.error.PortfolioException CONFLICT when another maintenance operation
   *     runs on the collection; NOT_FOUND for an unknown collection
   * @since 0.1.0
   */
  public SourceDeleteResult deleteSource(SourceDeleteOptions options) {
    Inputs.requireNonNull("options", options);
    return new Cleaner(settings).deleteSource(options);
  }

  /**
   * Deletes every document of a source with its chunks.
   *
   * @param collection the collection
   * @param sourceId the source id
   * @return what was removed
   */
  public SourceDeleteResult deleteSource(String collection, String sourceId) {
    return deleteSource(collection, sourceId, false);
  }

  /**
   * Returns the maintenance operation running on a collection, if any.
   *
   * @param collection the collection
   * @return its holder of the collection's maintenance lock, or empty
   */
  public Optional<LockHolder> runningOperation(String collection) {
    Inputs.collectionName(collection);
    return settings.store().maintenanceLockHolder(collection);
  }

  private static boolean isWorkUnit(ReembedOptions options) {
    return options.startAfterChunk() > 0 || options.upToChunk() < Long.MAX_VALUE;
  }

  private <T> T exclusive(String collection, String operation, Supplier<T> work) {
    return new OperationLocks(settings.store()).run(collection, operation, work);
  }

  // ------------------------------------------------------------------------------ backups

  /**
   * Writes collections into a portable, compressed archive with a SHA-256 manifest, streaming with
   * bounded memory. The archive appears under its name only when complete.
   *
   * @param target a directory (the archive is named {@code portfolio-backup-<UTC time>.zip}) or a
   *     file that does not exist
   * @param options which collections, and whether building sets are included
   * @return what was written, with the archive's SHA-256
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND for a named collection that does
   *     not exist; INVALID_ARGUMENT when the target file exists
   */
  public BackupResult backup(Path target, BackupOptions options) {
    Inputs.requireNonNull("target", target);
    Inputs.requireNonNull("options", options);
    return new BackupRun(settings.store(), settings.progress()).run(target, options);
  }

  /**
   * Checks an archive: structure, the checksum of the file and of every entry, counts, and that
   * every vector parses with its set's dimension. Never throws for a bad archive: the result names
   * each problem.
   *
   * @param archive the archive
   * @return the verdict
   */
  public BackupVerification verifyBackup(Path archive) {
    Inputs.requireNonNull("archive", archive);
    return new ArchiveCheck(ArchiveLimits.defaults()).verify(archive, settings.progress());
  }

  /**
   * Restores collections from an archive. The archive is verified first and nothing is written
   * unless it is valid; each collection is rebuilt under a staging name and takes its place in one
   * atomic step only when complete, so a failure leaves the previous data intact. {@link
   * RestoreMode#REPLACE} writes a safety backup of what it replaces first. Attempt counts and
   * timestamps are not restored.
   *
   * @param archive the archive
   * @param options what to restore and how
   * @return what was restored, and the safety backup when one was taken
   */
  public RestoreResult restore(Path archive, RestoreOptions options) {
    Inputs.requireNonNull("archive", archive);
    Inputs.requireNonNull("options", options);
    return new RestoreRun(settings.store(), settings.progress()).run(archive, options);
  }

  /**
   * Deletes archives older than {@code olderThan} from a directory; the newest archive is always
   * kept, and only files named like this library's archives are considered.
   *
   * @param directory the backup directory
   * @param olderThan the age above which an archive goes
   * @return what was deleted and kept
   */
  public PruneResult pruneBackups(Path directory, Duration olderThan) {
    Inputs.requireNonNull("directory", directory);
    Inputs.requireNonNull("olderThan", olderThan);
    return Retention.prune(directory, olderThan);
  }

  // ------------------------------------------------------------------------------ diagnostics

  /**
   * Describes the store as it is now: every collection with its documents by status, chunks,
   * sources, chunks missing a vector in the active set, stale vectors and failed documents; each
   * embedding set with its model, dimension, coverage and ANN index state (valid, invalid,
   * missing); the storage of every table and index; and the store's and embedder's configuration
   * with secrets masked. Only reads (on PostgreSQL two statements, whatever the number of
   * collections), so it runs on a read-only replica too. Figures the store cannot give (sizes in
   * memory) are null.
   *
   * @return the report; {@code toString()} prints it as tables
   * @since 0.1.0
   */
  public DiagnosticsReport diagnostics() {
    try (ProgressTracker progress =
        ProgressTracker.start(settings.progress(), "diagnostics", ProgressTracker.UNKNOWN_TOTAL)) {
      DiagnosticsReport report = DiagnosticsReport.of(settings.store().snapshot(null), embedder);
      progress.succeed(report.collections().size() + " collections read");
      return report;
    }
  }

  /**
   * Reports figures of the whole store ({@link StatisticsOptions#defaults()}: latencies over the
   * last 15 minutes, the default health thresholds).
   *
   * @param workspace count only this workspace's documents, or null for every document
   * @return the report
   * @see #statistics(String, StatisticsOptions)
   * @since 0.1.0
   */
  public StatisticsReport statistics(String workspace) {
    return statistics(workspace, StatisticsOptions.defaults());
  }

  /**
   * Reports figures of the store, or of one workspace in it: documents, chunks, sources and
   * storage; the health of indexes and tables (healthy, degraded or critical, with the reasons:
   * invalid or missing ANN indexes, dead rows, tables never analysed, statistics older than the
   * last bulk load; see {@link dev.portfolio.maintenance.statistics.HealthThresholds}); and
   * performance (mean and 95th percentile latency of searches, measured by the store instance in
   * process, and of upserts, from the operation log on PostgreSQL; the buffer cache hit ratio).
   * Health and performance are always for the whole store. Only reads.
   *
   * @param workspace count only this workspace's documents, or null for every document
   * @param options the latency window and health thresholds, not null
   * @return the report; {@code toString()} prints it as text
   * @since 0.1.0
   */
  public StatisticsReport statistics(String workspace, StatisticsOptions options) {
    if (workspace != null) {
      Inputs.requireKey("workspace", workspace);
    }
    Inputs.requireNonNull("options", options);
    VectorStore store = settings.store();
    try (ProgressTracker progress =
        ProgressTracker.start(settings.progress(), "statistics", ProgressTracker.UNKNOWN_TOTAL)) {
      StatisticsReport report =
          StatisticsReport.of(
              store.snapshot(workspace), store.latencies(options.window()), options);
      progress.succeed("index health " + report.indexHealth().level());
      return report;
    }
  }

  /**
   * Verifies stored vectors, set by set: counts the vectors whose dimension or model is not their
   * set's, with NaN or infinite components, all zero, computed from text other than their chunk's,
   * or without a chunk, and lists sample chunk ids of each. Streams keyset pages (the store
   * examines the values; on PostgreSQL on the server), so memory stays bounded; reports progress;
   * examines every vector or a sample. Only reads.
   *
   * @param options what to verify, not null ({@link VerifyOptions#defaults()})
   * @return the findings per set; {@code toString()} prints them as a table
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND for an unknown collection, before
   *     any work
   * @since 0.1.0
   */
  public VerifyReport verifyEmbeddings(VerifyOptions options) {
    Inputs.requireNonNull("options", options);
    return new Verifier(settings).verify(options);
  }

  // ------------------------------------------------------------------------------ health checks

  /**
   * Runs the named health checks of {@link dev.portfolio.maintenance.health.HealthCheckKind} on the
   * options' collections (and store-wide ones on the whole store), each PASS, INFO or FAIL with a
   * count, sample ids and a one-line remedy: orphans, documents without chunks, missing embeddings
   * and coverage, stale embeddings, content integrity, dimension mismatches, NaN, infinite and zero
   * vectors, foreign-model vectors, stalled building sets, retired sets, truncated chunks, metadata
   * completeness, the keyword index, ANN indexes, planner statistics, bloat, stuck jobs and failed
   * documents. A check the store cannot answer is INFO "not supported by this store", never a pass.
   *
   * <p>Cheap by default: aggregates from one snapshot, and vector and chunk scans sampled to {@link
   * dev.portfolio.maintenance.health.HealthCheckOptions#sampleSize()} per set and collection;
   * {@code deep} examines everything, streamed with bounded memory. Without {@code fix} it only
   * reads. With {@code fix} it repairs what is safely repairable (orphans removed; missing, stale
   * and invalid vectors re-embedded, by a {@code reembed} job when the options give a job queue,
   * else inline with this facade's embedder; invalid or missing ANN indexes rebuilt concurrently;
   * tables analysed and vacuumed), then checks again and reports the second run.
   *
   * @param options what to check, how, and the thresholds, not null ({@link
   *     dev.portfolio.maintenance.health.HealthCheckOptions#defaults()})
   * @return the report; {@link dev.portfolio.maintenance.health.HealthReport#toJson()} gives the
   *     JSON document, {@link dev.portfolio.maintenance.health.HealthReport#exitCode()} the exit
   *     code (0 for PASS and INFO, 3 for FAIL)
   * @throws dev.portfolio.core.error.PortfolioException NOT_FOUND for an unknown collection, before
   *     any work; a repair that fails is reported in the result, not thrown
   * @since 0.1.0
   */
  public dev.portfolio.maintenance.health.HealthReport healthCheck(
      dev.portfolio.maintenance.health.HealthCheckOptions options) {
    Inputs.requireNonNull("options", options);
    return new dev.portfolio.maintenance.internal.HealthChecker(settings, this, embedder)
        .run(options);
  }

  // ------------------------------------------------------------------------------ jobs

  /**
   * Returns the job handlers that run this facade's long operations as durable jobs, for a {@link
   * dev.portfolio.maintenance.jobs.JobWorker}: {@code reembed}, {@code ingest} and {@code retry}
   * (when the facade has an embedder), {@code switch}, {@code cleanup} and {@code backup}. A job
   * runs the very same operation as the inline call, with the worker's stop check as its
   * cancellation and its checkpoints committed to the queue.
   *
   * <pre>{@code
   * JobWorker worker = JobWorker.builder(PgJobQueue.on(store))
   *     .handlers(maintenance.jobHandlers())
   *     .build()
   *     .start();
   * queue.submit(ReembedJobHandler.request(ReembedOptions.builder("docs").build()).build());
   * }</pre>
   *
   * @return the handlers, one per kind
   */
  public List<dev.portfolio.maintenance.jobs.JobHandler> jobHandlers() {
    List<dev.portfolio.maintenance.jobs.JobHandler> handlers = new java.util.ArrayList<>();
    if (embedder != null) {
      handlers.add(dev.portfolio.maintenance.jobs.ReembedJobHandler.of(this));
      handlers.add(dev.portfolio.maintenance.jobs.IngestJobHandler.of(this));
      handlers.add(dev.portfolio.maintenance.jobs.RetryJobHandler.of(this));
    }
    handlers.add(dev.portfolio.maintenance.jobs.SwitchJobHandler.of(this));
    handlers.add(dev.portfolio.maintenance.jobs.CleanupJobHandler.of(this));
    handlers.add(dev.portfolio.maintenance.jobs.BackupJobHandler.of(this));
    return List.copyOf(handlers);
  }

  // ------------------------------------------------------------------------------ ingest

  /**
   * Ingests documents into a collection: validates each, skips those whose fingerprint is unchanged
   * (one bulk lookup per batch, no embedder call), chunks the rest for the embedder's input limit,
   * keeps the stored vectors of chunks whose text did not change, embeds every distinct new text
   * once, and stores them, batch by batch with bounded memory. A bad document fails on its own with
   * a reason (see {@link dev.portfolio.maintenance.ingest.IngestResult#failures()}) while the rest
   * of its batch is stored. A collection that does not exist is created with the embedder's model
   * and dimension (cosine distance).
   *
   * @param collection the collection
   * @param documents the documents, read once in order; a {@link java.util.Collection} lets the
   *     result say how many remain after a budget stop
   * @param options how to run ({@link dev.portfolio.maintenance.ingest.IngestOptions#defaults()})
   * @return what was done
   * @throws InvalidInputException before any work when the embedder's model is not the collection's
   * @throws dev.portfolio.core.error.PortfolioException when the store or the embedder fails for
   *     good; the message names the input position to resume at, and the batches stored before are
   *     kept
   * @throws NonRetriableException when the facade was built without an embedder
   */
  public dev.portfolio.maintenance.ingest.IngestResult ingest(
      String collection,
      Iterable<dev.portfolio.maintenance.ingest.IngestDocument> documents,
      dev.portfolio.maintenance.ingest.IngestOptions options) {
    Inputs.requireNonNull("documents", documents);
    long size = documents instanceof java.util.Collection<?> c ? c.size() : -1;
    return new dev.portfolio.maintenance.internal.Ingestor(settings, requireEmbedder("ingest"))
        .ingest(collection, documents.iterator(), size, options);
  }

  /**
   * Ingests a stream of documents, as {@link #ingest(String, Iterable,
   * dev.portfolio.maintenance.ingest.IngestOptions)}; the stream is read lazily and closed. A
   * stream that knows its exact size (one made from a list, such as a {@link
   * dev.portfolio.maintenance.ingest.DirectoryLoader}'s) gives the progress a total, hence a
   * percentage and an ETA, and the result its {@code remaining}; others report a count only.
   *
   * @param collection the collection
   * @param documents the documents
   * @param options how to run
   * @return what was done
   */
  public dev.portfolio.maintenance.ingest.IngestResult ingest(
      String collection,
      java.util.stream.Stream<dev.portfolio.maintenance.ingest.IngestDocument> documents,
      dev.portfolio.maintenance.ingest.IngestOptions options) {
    Inputs.requireNonNull("documents", documents);
    try (documents) {
      java.util.Spliterator<dev.portfolio.maintenance.ingest.IngestDocument> docs =
          documents.spliterator();
      return new dev.portfolio.maintenance.internal.Ingestor(settings, requireEmbedder("ingest"))
          .ingest(
              collection,
              java.util.Spliterators.iterator(docs),
              docs.getExactSizeIfKnown(),
              options);
    }
  }

  /**
   * Ingests what a loader reads, as {@link #ingest(String, java.util.stream.Stream,
   * dev.portfolio.maintenance.ingest.IngestOptions)}.
   *
   * @param collection the collection
   * @param loader the loader
   * @param options how to run
   * @return what was done
   */
  public dev.portfolio.maintenance.ingest.IngestResult ingest(
      String collection,
      dev.portfolio.maintenance.ingest.DocumentLoader loader,
      dev.portfolio.maintenance.ingest.IngestOptions options) {
    Inputs.requireNonNull("loader", loader);
    return ingest(collection, loader.load(), options);
  }

  /**
   * Returns a collection's documents as one API: add, update, remove (soft), restore, purge,
   * exists, get, list with keyset paging, and each document's history.
   *
   * @param collection the collection
   * @return the documents of the collection
   */
  public dev.portfolio.maintenance.ingest.DocumentLifecycle documents(String collection) {
    return new dev.portfolio.maintenance.ingest.DocumentLifecycle(this, collection);
  }

  // ------------------------------------------------------------------------------ per-domain
  // collections

  /**
   * Creates the collections a {@link dev.portfolio.maintenance.domains.DomainPlan} expects and the
   * store lacks, each with its active set and (on PostgreSQL) its ANN index, through {@link
   * VectorStore#createCollection}. Idempotent: a collection that exists with the plan's model,
   * dimension and distance is left alone ({@code ALREADY_EXISTED}); one that exists with another is
   * reported {@code FAILED} with the difference and left unchanged (a migration never alters or
   * drops a collection); a collection that cannot be created is reported {@code FAILED} with the
   * reason and the others go on. The plan was validated when built (names, collisions), so nothing
   * is created for an invalid plan. A dry run compares and creates nothing.
   *
   * <p>Metadata filters a type declares ({@link
   * dev.portfolio.maintenance.domains.DomainType#filters()}) are declared on each of its
   * collections with {@link VectorStore#defineFilters}, which on PostgreSQL builds the collection's
   * filter index: on a created collection right after creating it; on an existing one (otherwise as
   * planned) only the missing keys, or a missing or invalid index, are added ({@code
   * FILTERS_ADDED}, {@code WOULD_ADD_FILTERS} in a dry run). A store without {@link
   * dev.portfolio.core.spi.StoreCapability#METADATA_FILTERS} fails those rows before creating
   * anything.
   *
   * @param plan the plan, not null
   * @param options how to run, not null ({@link
   *     dev.portfolio.maintenance.domains.DomainMigrationOptions#defaults()})
   * @return one row per expected collection, with the counts and the names created
   * @since 0.1.0
   */
  public dev.portfolio.maintenance.domains.DomainMigrationResult migrateDomains(
      dev.portfolio.maintenance.domains.DomainPlan plan,
      dev.portfolio.maintenance.domains.DomainMigrationOptions options) {
    Inputs.requireNonNull("plan", plan);
    Inputs.requireNonNull("options", options);
    return new dev.portfolio.maintenance.internal.DomainMigrator(settings).migrate(plan, options);
  }

  /**
   * Checks that every collection a plan expects exists with the plan's model, dimension and
   * distance (the active set's, after a model switch), and with every filter its type declares and
   * a valid filter index ({@code FILTERS_INCOMPLETE} otherwise). Only reads.
   *
   * @param plan the plan, not null
   * @return one check per expected collection; {@code isOk()} when all are as planned
   * @since 0.1.0
   */
  public dev.portfolio.maintenance.domains.DomainVerification verifyDomains(
      dev.portfolio.maintenance.domains.DomainPlan plan) {
    Inputs.requireNonNull("plan", plan);
    return new dev.portfolio.maintenance.internal.DomainMigrator(settings).verify(plan);
  }

  /**
   * Undoes {@link #migrateDomains}: drops the plan's collections (or only those named by {@link
   * dev.portfolio.maintenance.domains.DomainRollbackOptions#only()}, typically the {@code
   * createdCollections()} of the run to undo) that are exactly as the plan describes them, hold no
   * document (soft-deleted ones included), have only their first embedding set and are not held by
   * a maintenance operation. Any other collection is kept and reported with the reason, so a
   * rollback never removes data. Run it before ingestion into the new collections starts: a
   * document written between the check and the drop would go with its collection. A dropped
   * collection's metadata filters and their index go with it; filters a migration added to a
   * collection that existed before stay (they only index, and never change search results).
   *
   * @param plan the plan, not null
   * @param options what to drop, not null ({@link
   *     dev.portfolio.maintenance.domains.DomainRollbackOptions#defaults()})
   * @return one row per collection considered
   * @throws InvalidInputException when {@code only} names a collection that is not in the plan
   * @since 0.1.0
   */
  public dev.portfolio.maintenance.domains.DomainRollbackResult rollbackDomains(
      dev.portfolio.maintenance.domains.DomainPlan plan,
      dev.portfolio.maintenance.domains.DomainRollbackOptions options) {
    Inputs.requireNonNull("plan", plan);
    Inputs.requireNonNull("options", options);
    return new dev.portfolio.maintenance.internal.DomainMigrator(settings).rollback(plan, options);
  }

  // ------------------------------------------------------------------------------ configuration

  /**
   * Returns the store worked on.
   *
   * @return the store
   */
  public VectorStore store() {
    return settings.store();
  }

  /**
   * Returns the embedder {@link #reembed} uses.
   *
   * @return the embedder, or empty when none was configured
   */
  public Optional<Embedder> embedder() {
    return Optional.ofNullable(embedder);
  }

  @Override
  public String toString() {
    return "Maintenance[store="
        + settings.store().getClass().getSimpleName()
        + ", embedder="
        + (embedder == null ? "none" : embedder.info().modelRef())
        + ", retry="
        + settings.retry()
        + ", maxReportedErrors="
        + settings.maxReportedErrors()
        + "]";
  }

  private SwitchSteps steps() {
    return new SwitchSteps(settings.store());
  }

  private Embedder requireEmbedder() {
    return requireEmbedder("reembed");
  }

  private Embedder requireEmbedder(String operation) {
    if (embedder == null) {
      throw new NonRetriableException(
          ErrorCode.INVALID_ARGUMENT,
          operation
              + " needs an embedder, and this Maintenance was built without one. Pass the"
              + " embedder of the collection's model: Maintenance.builder().embedder(...).");
    }
    return embedder;
  }

  /**
   * Builds a {@link Maintenance}. Not thread-safe. {@link #build()} validates every field and names
   * it in the message.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private VectorStore store;
    private Embedder embedder;
    private ProgressReporter progress;
    private int retryMaxAttempts = 3;
    private Duration retryInitialBackoff = Duration.ofSeconds(1);
    private Duration retryMaxBackoff = Duration.ofSeconds(30);
    private int maxReportedErrors = DEFAULT_MAX_REPORTED_ERRORS;

    private Builder() {}

    /**
     * Sets the store to maintain (required).
     *
     * @param value the store
     * @return this builder
     */
    public Builder store(VectorStore value) {
      this.store = value;
      return this;
    }

    /**
     * Sets the embedder {@link Maintenance#reembed} uses: the model of the set it writes to
     * (optional; {@link Maintenance#switchModel} takes the new model's embedder as an argument).
     *
     * @param value the embedder
     * @return this builder
     */
    public Builder embedder(Embedder value) {
      this.embedder = value;
      return this;
    }

    /**
     * Sets where progress goes.
     *
     * @param value the reporter (default: a {@link Slf4jProgressReporter}, logger {@code
     *     dev.portfolio.progress}); {@link ProgressReporter#SILENT} for none
     * @return this builder
     */
    public Builder progress(ProgressReporter value) {
      this.progress = value;
      return this;
    }

    /**
     * Sets how many attempts an embedder call gets when it fails transiently (rate limit, timeout,
     * 5xx). Remote embedders retry on their own too; these attempts come on top.
     *
     * @param value 1 (no retry) to 100 (default: 3)
     * @return this builder
     */
    public Builder retryMaxAttempts(int value) {
      this.retryMaxAttempts = value;
      return this;
    }

    /**
     * Sets the first wait before a retry; it doubles with every attempt, with +/-50% jitter.
     *
     * @param value at least 0 (default: 1 s)
     * @return this builder
     */
    public Builder retryInitialBackoff(Duration value) {
      this.retryInitialBackoff = value;
      return this;
    }

    /**
     * Sets the longest wait before a retry, also for a delay the service asked for ({@code
     * Retry-After}).
     *
     * @param value at least {@code retryInitialBackoff} (default: 30 s)
     * @return this builder
     */
    public Builder retryMaxBackoff(Duration value) {
      this.retryMaxBackoff = value;
      return this;
    }

    /**
     * Sets how many chunk errors a result lists; the count of failures is always complete.
     *
     * @param value 0 to 10,000 (default: {@value #DEFAULT_MAX_REPORTED_ERRORS})
     * @return this builder
     */
    public Builder maxReportedErrors(int value) {
      this.maxReportedErrors = value;
      return this;
    }

    /**
     * Validates every field and builds the facade.
     *
     * @return the facade
     * @throws InvalidInputException naming the first invalid field
     */
    public Maintenance build() {
      if (store == null) {
        throw new InvalidInputException(
            "store",
            "store is required: pass the VectorStore to maintain, e.g."
                + " Maintenance.builder().store(PgVectorStore.builder(dataSource).build())");
      }
      Inputs.between("retry.maxAttempts", retryMaxAttempts, 1, 100);
      Inputs.requireNonNull("retry.initialBackoff", retryInitialBackoff);
      Inputs.requireNonNull("retry.maxBackoff", retryMaxBackoff);
      if (retryInitialBackoff.isNegative()) {
        throw new InvalidInputException(
            "retry.initialBackoff",
            "retry.initialBackoff must be >= 0 (was " + retryInitialBackoff + ")");
      }
      if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
        throw new InvalidInputException(
            "retry.maxBackoff",
            "retry.maxBackoff must be >= retry.initialBackoff ("
                + retryInitialBackoff
                + ") (was "
                + retryMaxBackoff
                + ")");
      }
      Inputs.between("maxReportedErrors", maxReportedErrors, 0, 10_000);
      ProgressReporter reporter = progress == null ? new Slf4jProgressReporter() : progress;
      EmbedRetry retry = new EmbedRetry(retryMaxAttempts, retryInitialBackoff, retryMaxBackoff);
      return new Maintenance(new Settings(store, reporter, retry, maxReportedErrors), embedder);
    }
  }
}
