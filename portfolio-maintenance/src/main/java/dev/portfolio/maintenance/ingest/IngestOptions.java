package dev.portfolio.maintenance.ingest;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.core.validation.Inputs;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * How {@link dev.portfolio.maintenance.Maintenance#ingest} runs. Immutable; build with {@link
 * #builder()}.
 *
 * @since 0.1.0
 */
public final class IngestOptions {
  /** The default number of documents per batch: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  /** The default longest document text, in {@code char}s: {@value} (about 1 MB of prose). */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 1_000_000;

  private static final IngestOptions DEFAULTS = builder().build();

  private final IngestMode mode;
  private final String sourceId;
  private final boolean force;
  private final int batchSize;
  private final ChunkerOptions chunker;
  private final boolean titlePrefix;
  private final Set<String> fingerprintKeys;
  private final int maxTextLength;
  private final long tokenBudget;
  private final double costBudget;
  private final double costPer1kTokens;
  private final String jobId;
  private final long startAt;
  private final boolean purgeRemoved;
  private final Consumer<IngestResult> onBatch;

  private IngestOptions(Builder b) {
    this.mode = b.mode;
    this.sourceId = b.sourceId;
    this.force = b.force;
    this.batchSize = b.batchSize;
    this.chunker = b.chunker;
    this.titlePrefix = b.titlePrefix;
    this.fingerprintKeys = Set.copyOf(new TreeSet<>(b.fingerprintKeys));
    this.maxTextLength = b.maxTextLength;
    this.tokenBudget = b.tokenBudget;
    this.costBudget = b.costBudget;
    this.costPer1kTokens = b.costPer1kTokens;
    this.jobId = b.jobId;
    this.startAt = b.startAt;
    this.purgeRemoved = b.purgeRemoved;
    this.onBatch = b.onBatch;
  }

  /**
   * Returns the defaults: {@link IngestMode#UPSERT}, batches of 100, chunks sized for the embedder,
   * no budget.
   *
   * @return the default options
   */
  public static IngestOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder holding the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the mode.
   *
   * @return the mode (default: {@link IngestMode#UPSERT})
   */
  public IngestMode mode() {
    return mode;
  }

  /**
   * Returns the source id given to documents without one, and the source a {@link
   * IngestMode#FULL_SYNC} makes match the input.
   *
   * @return the source id, or null
   */
  public String sourceId() {
    return sourceId;
  }

  /**
   * Tells whether every document is re-chunked and re-embedded, fingerprint or not.
   *
   * @return true to force (default: false)
   */
  public boolean force() {
    return force;
  }

  /**
   * Returns the documents per batch: one fingerprint lookup, one embedding pass and one store write
   * per batch.
   *
   * @return the batch size (default: {@value #DEFAULT_BATCH_SIZE})
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns the chunker options, when set.
   *
   * @return the options, or null for chunks sized for the embedder ({@link
   *     ChunkerOptions#forEmbedder})
   */
  public ChunkerOptions chunker() {
    return chunker;
  }

  /**
   * Tells whether each chunk starts with the document's title and the chunk's section heading (a
   * Markdown {@code #} heading before it), counted inside the embedder's token budget.
   *
   * @return true to prefix (default: false)
   */
  public boolean titlePrefix() {
    return titlePrefix;
  }

  /**
   * Returns the metadata keys whose values take part in the fingerprint, besides the text.
   *
   * @return the keys, sorted (default: none)
   */
  public Set<String> fingerprintKeys() {
    return fingerprintKeys;
  }

  /**
   * Returns the longest text accepted; longer documents fail with a reason.
   *
   * @return the length in {@code char}s (default: {@value #DEFAULT_MAX_TEXT_LENGTH})
   */
  public int maxTextLength() {
    return maxTextLength;
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
   * Returns the most the run may spend, in the unit of {@link #costPer1kTokens()}.
   *
   * @return the budget, 0 for none (default: 0)
   */
  public double costBudget() {
    return costBudget;
  }

  /**
   * Returns the price of 1,000 tokens set on these options; when 0, the run takes the embedder's
   * own ({@link dev.portfolio.core.spi.EmbedderInfo#pricePer1kTokens()}, the embedder option {@code
   * pricePer1kTokens}).
   *
   * @return the price, 0 for the embedder's (default: 0)
   */
  public double costPer1kTokens() {
    return costPer1kTokens;
  }

  /**
   * Returns the id of the job running the ingestion, recorded in the documents' history.
   *
   * @return the id, or null
   */
  public String jobId() {
    return jobId;
  }

  /**
   * Returns the input position to start at: documents before it are passed over unread (a resumed
   * run gives the last result's {@link IngestResult#nextPosition()}).
   *
   * @return the position (default: 0)
   */
  public long startAt() {
    return startAt;
  }

  /**
   * Tells whether a full sync purges the documents it soft-deleted (their chunks and vectors go).
   *
   * @return true to purge (default: true)
   */
  public boolean purgeRemoved() {
    return purgeRemoved;
  }

  /**
   * Returns the listener told after every stored batch, with the running totals: a checkpoint
   * ({@link IngestResult#nextPosition()}) a job can save.
   *
   * @return the listener, or null
   */
  public Consumer<IngestResult> onBatch() {
    return onBatch;
  }

  /**
   * Returns the effective token budget: the smaller of {@link #tokenBudget()} and what {@link
   * #costBudget()} buys.
   *
   * @return the budget in tokens, or {@link Long#MAX_VALUE} for none
   */
  public long effectiveTokenBudget() {
    return effectiveTokenBudget(costPer1kTokens);
  }

  /**
   * Returns the price a run with this embedder counts with: {@link #costPer1kTokens()} when set,
   * else the embedder's price.
   *
   * @param embedder the embedder's information
   * @return the price of 1,000 tokens, 0 when neither has one
   */
  public double pricePer1kTokens(dev.portfolio.core.spi.EmbedderInfo embedder) {
    return costPer1kTokens > 0 ? costPer1kTokens : embedder.pricePer1kTokens();
  }

  /**
   * Returns the effective token budget at a price: the smaller of {@link #tokenBudget()} and what
   * {@link #costBudget()} buys at {@code pricePer1kTokens}.
   *
   * @param pricePer1kTokens the price of 1,000 tokens, 0 for none
   * @return the budget in tokens, or {@link Long#MAX_VALUE} for none
   */
  public long effectiveTokenBudget(double pricePer1kTokens) {
    long budget = tokenBudget > 0 ? tokenBudget : Long.MAX_VALUE;
    if (costBudget > 0 && pricePer1kTokens > 0) {
      budget = Math.min(budget, (long) Math.floor(costBudget / pricePer1kTokens * 1000.0));
    }
    return budget;
  }

  @Override
  public String toString() {
    return "IngestOptions[mode="
        + mode
        + ", sourceId="
        + sourceId
        + ", force="
        + force
        + ", batchSize="
        + batchSize
        + ", titlePrefix="
        + titlePrefix
        + ", tokenBudget="
        + tokenBudget
        + ", costBudget="
        + costBudget
        + ", startAt="
        + startAt
        + "]";
  }

  /**
   * Builds {@link IngestOptions}. Setters accept any value; {@link #build()} validates them all.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private IngestMode mode = IngestMode.UPSERT;
    private String sourceId;
    private boolean force;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private ChunkerOptions chunker;
    private boolean titlePrefix;
    private final Set<String> fingerprintKeys = new TreeSet<>();
    private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
    private long tokenBudget;
    private double costBudget;
    private double costPer1kTokens;
    private String jobId;
    private long startAt;
    private boolean purgeRemoved = true;
    private Consumer<IngestResult> onBatch;

    private Builder() {}

    /**
     * Sets the mode (default: {@link IngestMode#UPSERT}).
     *
     * @param value the mode
     * @return this builder
     */
    public Builder mode(IngestMode value) {
      this.mode = value;
      return this;
    }

    /**
     * Sets the source id (required for {@link IngestMode#FULL_SYNC}).
     *
     * @param value the source id
     * @return this builder
     */
    public Builder sourceId(String value) {
      this.sourceId = value;
      return this;
    }

    /**
     * Re-embeds every document whatever its fingerprint (default: false).
     *
     * @param value true to force
     * @return this builder
     */
    public Builder force(boolean value) {
      this.force = value;
      return this;
    }

    /**
     * Sets the documents per batch.
     *
     * @param value 1 to 10,000 (default: {@value IngestOptions#DEFAULT_BATCH_SIZE})
     * @return this builder
     */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /**
     * Sets the chunker options (default: sized for the embedder, {@link
     * ChunkerOptions#forEmbedder}).
     *
     * @param value the options, or null for the default
     * @return this builder
     */
    public Builder chunker(ChunkerOptions value) {
      this.chunker = value;
      return this;
    }

    /**
     * Starts each chunk with the title and section heading (default: false).
     *
     * @param value true to prefix
     * @return this builder
     */
    public Builder titlePrefix(boolean value) {
      this.titlePrefix = value;
      return this;
    }

    /**
     * Adds metadata keys whose values take part in the fingerprint (default: none).
     *
     * @param keys the keys
     * @return this builder
     */
    public Builder fingerprintKeys(Collection<String> keys) {
      Inputs.requireNoNullElements(
          "fingerprintKeys",
          new java.util.ArrayList<>(Inputs.requireNonNull("fingerprintKeys", keys)));
      fingerprintKeys.addAll(keys);
      return this;
    }

    /**
     * Sets the longest text accepted.
     *
     * @param value 1 to 100,000,000 (default: {@value IngestOptions#DEFAULT_MAX_TEXT_LENGTH})
     * @return this builder
     */
    public Builder maxTextLength(int value) {
      this.maxTextLength = value;
      return this;
    }

    /**
     * Sets the most tokens the run may embed; it stops at the batch that would pass it.
     *
     * @param value at least 0, 0 for none (default: 0)
     * @return this builder
     */
    public Builder tokenBudget(long value) {
      this.tokenBudget = value;
      return this;
    }

    /**
     * Sets the most the run may spend; needs a price: {@link #costPer1kTokens} or the embedder's
     * option {@code pricePer1kTokens} (the run refuses to start without either).
     *
     * @param value at least 0, 0 for none (default: 0)
     * @return this builder
     */
    public Builder costBudget(double value) {
      this.costBudget = value;
      return this;
    }

    /**
     * Sets the price of 1,000 tokens, for {@link IngestResult#cost()} and the cost budget; it
     * overrides the embedder's own price ({@link
     * dev.portfolio.core.spi.EmbedderInfo#pricePer1kTokens()}).
     *
     * @param value at least 0, 0 for the embedder's (default: 0)
     * @return this builder
     */
    public Builder costPer1kTokens(double value) {
      this.costPer1kTokens = value;
      return this;
    }

    /**
     * Sets the job id recorded in the documents' history (default: none).
     *
     * @param value the id
     * @return this builder
     */
    public Builder jobId(String value) {
      this.jobId = value;
      return this;
    }

    /**
     * Sets the input position to start at (default: 0).
     *
     * @param value at least 0
     * @return this builder
     */
    public Builder startAt(long value) {
      this.startAt = value;
      return this;
    }

    /**
     * Sets whether a full sync purges what it soft-deleted (default: true).
     *
     * @param value false to keep them soft-deleted (restorable)
     * @return this builder
     */
    public Builder purgeRemoved(boolean value) {
      this.purgeRemoved = value;
      return this;
    }

    /**
     * Sets a listener told after every stored batch with the running totals (default: none). It
     * runs on the ingesting thread; an exception it throws stops the run.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder onBatch(Consumer<IngestResult> value) {
      this.onBatch = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the options
     * @throws InvalidInputException naming the first invalid field
     */
    public IngestOptions build() {
      Inputs.requireNonNull("ingest.mode", mode);
      if (mode == IngestMode.FULL_SYNC && sourceId == null) {
        throw new InvalidInputException(
            "ingest.sourceId",
            "ingest.sourceId is required with mode FULL_SYNC: it names the source whose documents"
                + " not in the input are removed");
      }
      if (sourceId != null) {
        Inputs.requireKey("ingest.sourceId", sourceId);
      }
      Inputs.between("ingest.batchSize", batchSize, 1, 10_000);
      Inputs.between("ingest.maxTextLength", maxTextLength, 1, 100_000_000);
      if (tokenBudget < 0) {
        throw new InvalidInputException(
            "ingest.tokenBudget",
            "ingest.tokenBudget must be >= 0, 0 for none (was " + tokenBudget + ")");
      }
      if (!(costBudget >= 0) || !(costPer1kTokens >= 0) || Double.isInfinite(costBudget)) {
        throw new InvalidInputException(
            "ingest.costBudget",
            "ingest.costBudget and ingest.costPer1kTokens must be finite and >= 0 (were "
                + costBudget
                + ", "
                + costPer1kTokens
                + ")");
      }
      if (jobId != null) {
        Inputs.requireKey("ingest.jobId", jobId);
      }
      if (startAt < 0) {
        throw new InvalidInputException(
            "ingest.startAt", "ingest.startAt must be >= 0 (was " + startAt + ")");
      }
      return new IngestOptions(this);
    }
  }
}
