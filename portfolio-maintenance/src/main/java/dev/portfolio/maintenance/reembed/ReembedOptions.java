package dev.portfolio.maintenance.reembed;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.validation.Inputs;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#reembed} does: which chunks of which collection
 * get a fresh vector, in which embedding set, and how fast. Immutable; built with {@link
 * #builder(String)}:
 *
 * <pre>{@code
 * ReembedOptions options = ReembedOptions.builder("docs")
 *     .mode(ReembedMode.STALE)
 *     .sourceId("s3://bucket/handbook.md")
 *     .batchSize(200)
 *     .maxConcurrency(8)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ReembedOptions {
  /** The default batch size: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  /** The largest batch size: {@value}. */
  public static final int MAX_BATCH_SIZE = 10_000;

  /** The default number of embedder calls in flight: {@value}. */
  public static final int DEFAULT_MAX_CONCURRENCY = 4;

  /** The largest number of embedder calls in flight: {@value}. */
  public static final int MAX_CONCURRENCY = 64;

  private static final BooleanSupplier NEVER = () -> false;
  private static final Consumer<ReembedCheckpoint> NOBODY = c -> {};

  private final String collection;
  private final Set<String> documentKeys;
  private final Set<String> sourceIds;
  private final String workspace;
  private final ReembedMode mode;
  private final long targetSetId;
  private final int batchSize;
  private final int maxConcurrency;
  private final boolean dryRun;
  private final BooleanSupplier cancellation;
  private final long startAfterChunk;
  private final long upToChunk;
  private final Consumer<ReembedCheckpoint> checkpoints;
  private final MaintenanceLock heldLock;
  private final long tokenBudget;
  private final double costBudget;

  private ReembedOptions(Builder b) {
    this.collection = b.collection;
    this.documentKeys = Set.copyOf(b.documentKeys);
    this.sourceIds = Set.copyOf(b.sourceIds);
    this.workspace = b.workspace;
    this.mode = b.mode;
    this.targetSetId = b.targetSetId;
    this.batchSize = b.batchSize;
    this.maxConcurrency = b.maxConcurrency;
    this.dryRun = b.dryRun;
    this.cancellation = b.cancellation;
    this.tokenBudget = b.tokenBudget;
    this.costBudget = b.costBudget;
    this.startAfterChunk = b.startAfterChunk;
    this.upToChunk = b.upToChunk;
    this.checkpoints = b.checkpoints;
    this.heldLock = b.heldLock;
  }

  /**
   * Returns the collection lock the caller already holds for this run, if any.
   *
   * @return the lock (a job's work unit holds the collection's lock shared), or empty when {@link
   *     dev.portfolio.maintenance.Maintenance#reembed} takes the lock itself
   */
  public Optional<MaintenanceLock> heldLock() {
    return Optional.ofNullable(heldLock);
  }

  /**
   * Starts building options for a collection.
   *
   * @param collection the collection to re-embed
   * @return a builder with the defaults
   */
  public static Builder builder(String collection) {
    return new Builder(collection);
  }

  /**
   * Returns the collection.
   *
   * @return the collection name
   */
  public String collection() {
    return collection;
  }

  /**
   * Returns the documents the run is limited to.
   *
   * @return document keys; empty means every document
   */
  public Set<String> documentKeys() {
    return documentKeys;
  }

  /**
   * Returns the sources the run is limited to.
   *
   * @return source ids; empty means every source
   */
  public Set<String> sourceIds() {
    return sourceIds;
  }

  /**
   * Returns the workspace the run is limited to.
   *
   * @return the workspace, or null for every workspace
   */
  public String workspace() {
    return workspace;
  }

  /**
   * Returns which chunks are selected.
   *
   * @return the mode (default: {@link ReembedMode#MISSING})
   */
  public ReembedMode mode() {
    return mode;
  }

  /**
   * Returns the embedding set written to.
   *
   * @return the set id, or 0 for the collection's active set (the default)
   */
  public long targetSetId() {
    return targetSetId;
  }

  /**
   * Returns the number of chunks read, embedded and written together.
   *
   * @return the batch size (default: {@value #DEFAULT_BATCH_SIZE})
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns how many embedder calls may be in flight at once.
   *
   * @return the concurrency (default: {@value #DEFAULT_MAX_CONCURRENCY})
   */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /**
   * Tells whether the run only counts and estimates, touching nothing.
   *
   * @return true for a dry run (default: false)
   */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * Returns what the run asks, between batches, whether it should stop.
   *
   * @return the cancellation check (default: never cancelled)
   */
  public BooleanSupplier cancellation() {
    return cancellation;
  }

  /**
   * Returns the most tokens the run may send to the embedder.
   *
   * @return the budget, 0 for none (default: 0)
   */
  public long tokenBudget() {
    return tokenBudget;
  }

  /**
   * Returns the most the run may spend at the embedder's price ({@link
   * dev.portfolio.core.spi.EmbedderInfo#pricePer1kTokens()}).
   *
   * @return the budget, 0 for none (default: 0)
   */
  public double costBudget() {
    return costBudget;
  }

  /**
   * Returns the effective token budget at a price: the smaller of {@link #tokenBudget()} and what
   * {@link #costBudget()} buys at {@code pricePer1kTokens}.
   *
   * @param pricePer1kTokens the embedder's price of 1,000 tokens, 0 for none
   * @return the budget in tokens, or {@link Long#MAX_VALUE} for none
   */
  public long effectiveTokenBudget(double pricePer1kTokens) {
    long budget = tokenBudget > 0 ? tokenBudget : Long.MAX_VALUE;
    if (costBudget > 0 && pricePer1kTokens > 0) {
      budget = Math.min(budget, (long) Math.floor(costBudget / pricePer1kTokens * 1000.0));
    }
    return budget;
  }

  /**
   * Returns the chunk id after which the run starts.
   *
   * @return the id; chunks with a greater id are selected (default: 0, from the first chunk)
   */
  public long startAfterChunk() {
    return startAfterChunk;
  }

  /**
   * Returns the last chunk id the run covers.
   *
   * @return the id (default: {@link Long#MAX_VALUE}, to the last chunk)
   */
  public long upToChunk() {
    return upToChunk;
  }

  /**
   * Returns who hears the run's checkpoints.
   *
   * @return the listener (default: nobody)
   */
  public Consumer<ReembedCheckpoint> checkpoints() {
    return checkpoints;
  }

  /**
   * Returns the store filter for the source and workspace restrictions (soft-deleted documents are
   * never selected).
   *
   * @return the filter
   */
  public SearchFilter filter() {
    SearchFilter.Builder f = SearchFilter.builder().workspace(workspace);
    sourceIds.forEach(f::sourceId);
    return f.build();
  }

  /**
   * Tells whether any filter narrows the run to part of the collection.
   *
   * @return true when document keys, sources or a workspace are given
   */
  public boolean isFiltered() {
    return !documentKeys.isEmpty() || !sourceIds.isEmpty() || workspace != null;
  }

  @Override
  public String toString() {
    return "ReembedOptions[collection="
        + collection
        + ", mode="
        + mode
        + ", targetSetId="
        + targetSetId
        + ", documentKeys="
        + documentKeys
        + ", sourceIds="
        + sourceIds
        + ", workspace="
        + workspace
        + ", batchSize="
        + batchSize
        + ", maxConcurrency="
        + maxConcurrency
        + ", dryRun="
        + dryRun
        + (startAfterChunk > 0 || upToChunk < Long.MAX_VALUE
            ? ", chunks=(" + startAfterChunk + ", " + upToChunk + "]"
            : "")
        + "]";
  }

  /**
   * Builds {@link ReembedOptions}. Not thread-safe. {@link #build()} validates every field and
   * names it in the message, for example {@code reembed.batchSize must be between 1 and 10000 (was
   * 0)}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String collection;
    private final Set<String> documentKeys = new LinkedHashSet<>();
    private final Set<String> sourceIds = new LinkedHashSet<>();
    private String workspace;
    private ReembedMode mode = ReembedMode.MISSING;
    private long targetSetId;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private boolean dryRun;
    private BooleanSupplier cancellation = NEVER;
    private long startAfterChunk;
    private long upToChunk = Long.MAX_VALUE;
    private Consumer<ReembedCheckpoint> checkpoints = NOBODY;
    private MaintenanceLock heldLock;
    private long tokenBudget;
    private double costBudget;

    private Builder(String collection) {
      this.collection = collection;
    }

    /**
     * Limits the run to one document (repeat for several).
     *
     * @param key the document key
     * @return this builder
     */
    public Builder documentKey(String key) {
      documentKeys.add(Inputs.requireKey("reembed.documentKey", key));
      return this;
    }

    /**
     * Limits the run to the documents of one source (repeat for several).
     *
     * @param sourceId the source id
     * @return this builder
     */
    public Builder sourceId(String sourceId) {
      sourceIds.add(Inputs.requireKey("reembed.sourceId", sourceId));
      return this;
    }

    /**
     * Limits the run to the documents of one workspace.
     *
     * @param value the workspace, or null for every workspace (the default)
     * @return this builder
     */
    public Builder workspace(String value) {
      this.workspace = value;
      return this;
    }

    /**
     * Chooses which chunks are selected.
     *
     * @param value the mode (default: {@link ReembedMode#MISSING})
     * @return this builder
     */
    public Builder mode(ReembedMode value) {
      this.mode = value;
      return this;
    }

    /**
     * Writes into another set than the active one, for example the building set of a model switch
     * (which {@link dev.portfolio.maintenance.Maintenance#switchModel} does by itself).
     *
     * @param setId the set id, or 0 for the active set (the default)
     * @return this builder
     */
    public Builder targetSet(long setId) {
      this.targetSetId = setId;
      return this;
    }

    /**
     * Sets how many chunks are read, embedded (in one embedder call) and written together.
     *
     * @param value 1 to {@value #MAX_BATCH_SIZE} (default: {@value #DEFAULT_BATCH_SIZE})
     * @return this builder
     */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /**
     * Sets how many embedder calls may be in flight at once.
     *
     * @param value 1 to {@value #MAX_CONCURRENCY} (default: {@value #DEFAULT_MAX_CONCURRENCY})
     * @return this builder
     */
    public Builder maxConcurrency(int value) {
      this.maxConcurrency = value;
      return this;
    }

    /**
     * Only counts the chunks and estimates their tokens; nothing is embedded or written.
     *
     * @param value true for a dry run (default: false)
     * @return this builder
     */
    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Sets what the run asks between batches whether to stop, for example {@code flag::get} on an
     * {@link java.util.concurrent.atomic.AtomicBoolean} that a shutdown hook sets. A cancelled run
     * lets the batches in flight finish and write, then returns a result marked cancelled; running
     * it again resumes.
     *
     * @param value the check, called from the run's thread (default: never cancelled)
     * @return this builder
     */
    public Builder cancellation(BooleanSupplier value) {
      this.cancellation = value;
      return this;
    }

    /**
     * Sets the most tokens the run may send to the embedder (as the embedder reports them). The run
     * stops as a cancelled one does once they are used up: the batches in flight finish and are
     * written (so it may go over by up to {@code maxConcurrency} batches), and running it again
     * resumes. Not used by a dry run.
     *
     * @param value at least 0, 0 for none (default: 0)
     * @return this builder
     */
    public Builder tokenBudget(long value) {
      this.tokenBudget = value;
      return this;
    }

    /**
     * Sets the most the run may spend, at the embedder's price ({@code pricePer1kTokens}); it stops
     * as with {@link #tokenBudget}. A run whose embedder has no price is refused.
     *
     * @param value finite and at least 0, 0 for none (default: 0)
     * @return this builder
     */
    public Builder costBudget(double value) {
      this.costBudget = value;
      return this;
    }

    /**
     * Starts the run behind a chunk id: only chunks with a greater id are selected. With a {@link
     * ReembedCheckpoint}'s {@code afterChunkId} it resumes a run; with {@link #upToChunk} it covers
     * one range of chunk ids, as the units of a re-embed job do.
     *
     * @param id at least 0 (default: 0, from the first chunk)
     * @return this builder
     */
    public Builder startAfterChunk(long id) {
      this.startAfterChunk = id;
      return this;
    }

    /**
     * Ends the run at a chunk id: only chunks with an id up to it are selected.
     *
     * @param id greater than {@link #startAfterChunk} (default: {@link Long#MAX_VALUE})
     * @return this builder
     */
    public Builder upToChunk(long id) {
      this.upToChunk = id;
      return this;
    }

    /**
     * Sets who hears how far the run has come ({@link ReembedCheckpoint}), for example a job that
     * commits it so that another worker can resume behind it. Called from the run's worker threads,
     * in increasing order, after the vectors up to the checkpoint were written; keep it quick. A
     * listener that throws is logged and ignored.
     *
     * @param value the listener (default: nobody)
     * @return this builder
     */
    public Builder checkpoints(Consumer<ReembedCheckpoint> value) {
      this.checkpoints = value;
      return this;
    }

    /**
     * Runs under a collection lock the caller holds, so that {@link
     * dev.portfolio.maintenance.Maintenance#reembed} takes none: the work units of a re-embed job
     * hold the collection's lock shared ({@link dev.portfolio.core.spi.VectorStore#lockShared}), so
     * that they run side by side while a switch or a cleanup of the collection is refused.
     *
     * @param value the held lock of this run's collection, or null (default: none; the run takes
     *     the collection's maintenance lock)
     * @return this builder
     */
    public Builder heldLock(MaintenanceLock value) {
      this.heldLock = value;
      return this;
    }

    /**
     * Validates the fields and builds the options.
     *
     * @return the options
     * @throws InvalidInputException naming the first invalid field
     */
    public ReembedOptions build() {
      if (collection == null) {
        throw new InvalidInputException(
            "reembed.collection", "reembed.collection is required (was null)");
      }
      Inputs.collectionName(collection);
      Inputs.optionalKey("reembed.workspace", workspace);
      Inputs.requireNonNull("reembed.mode", mode);
      if (targetSetId < 0) {
        throw new InvalidInputException(
            "reembed.targetSet",
            "reembed.targetSet must be >= 0, 0 meaning the active set (was " + targetSetId + ")");
      }
      Inputs.between("reembed.batchSize", batchSize, 1, MAX_BATCH_SIZE);
      Inputs.between("reembed.maxConcurrency", maxConcurrency, 1, MAX_CONCURRENCY);
      Inputs.requireNonNull("reembed.cancellation", cancellation);
      Inputs.requireNonNull("reembed.checkpoints", checkpoints);
      if (tokenBudget < 0) {
        throw new InvalidInputException(
            "reembed.tokenBudget",
            "reembed.tokenBudget must be >= 0, 0 for none (was " + tokenBudget + ")");
      }
      if (!(costBudget >= 0) || Double.isInfinite(costBudget)) {
        throw new InvalidInputException(
            "reembed.costBudget",
            "reembed.costBudget must be finite and >= 0, 0 for none (was " + costBudget + ")");
      }
      if (startAfterChunk < 0) {
        throw new InvalidInputException(
            "reembed.startAfterChunk",
            "reembed.startAfterChunk must be >= 0 (was " + startAfterChunk + ")");
      }
      if (upToChunk <= startAfterChunk) {
        throw new InvalidInputException(
            "reembed.upToChunk",
            "reembed.upToChunk must be greater than reembed.startAfterChunk ("
                + startAfterChunk
                + ") (was "
                + upToChunk
                + ")");
      }
      return new ReembedOptions(this);
    }
  }
}
