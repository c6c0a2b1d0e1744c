package dev.portfolio.maintenance;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.progress.Slf4jProgressReporter;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.internal.EmbedRetry;
import dev.portfolio.maintenance.internal.ModelSwitcher;
import dev.portfolio.maintenance.internal.Reembedder;
import dev.portfolio.maintenance.internal.Settings;
import dev.portfolio.maintenance.internal.SwitchSteps;
import dev.portfolio.maintenance.modelswitch.Activation;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import dev.portfolio.maintenance.modelswitch.SwitchStatus;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
    return new Reembedder(settings, requireEmbedder()).reembed(options);
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
    return new ModelSwitcher(settings).switchModel(collection, newEmbedder, options);
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
    return steps().activate(collection, force);
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
    return steps().rollback(collection);
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
    return steps().dropRetired(collection);
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
    return steps().abandon(collection);
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
    if (embedder == null) {
      throw new NonRetriableException(
          ErrorCode.INVALID_ARGUMENT,
          "reembed needs an embedder, and this Maintenance was built without one. Pass the"
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
