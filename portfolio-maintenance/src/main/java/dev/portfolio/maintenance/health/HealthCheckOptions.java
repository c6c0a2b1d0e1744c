package dev.portfolio.maintenance.health;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.jobs.JobQueue;
import dev.portfolio.maintenance.statistics.HealthThresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link dev.portfolio.maintenance.Maintenance#healthCheck(HealthCheckOptions)} checks, how
 * thoroughly, whether it repairs, and its thresholds. Immutable; built with {@link #builder()},
 * which validates every field and names it in the message. Defaults are documented on each builder
 * method and in README.md ("Health checks").
 *
 * @since 0.1.0
 */
public final class HealthCheckOptions {
  /** The default number of vectors (and chunks) examined per set (and collection): {@value}. */
  public static final int DEFAULT_SAMPLE_SIZE = 10_000;

  /** The default number of sample ids per check: {@value}. */
  public static final int DEFAULT_MAX_SAMPLES = 10;

  private final List<String> collections;
  private final boolean fix;
  private final boolean deep;
  private final int sampleSize;
  private final int maxSamples;
  private final double minCoverage;
  private final Duration buildingSetMaxAge;
  private final Duration retiredSetMaxAge;
  private final double maxFailedShare;
  private final Duration stuckJobGrace;
  private final int maxInputTokens;
  private final Map<String, Set<String>> requiredMetadata;
  private final HealthThresholds tableThresholds;
  private final JobQueue jobQueue;
  private final boolean queueRepairs;

  private HealthCheckOptions(Builder b) {
    this.collections = List.copyOf(b.collections);
    this.fix = b.fix;
    this.deep = b.deep;
    this.sampleSize = b.sampleSize;
    this.maxSamples = b.maxSamples;
    this.minCoverage = b.minCoverage;
    this.buildingSetMaxAge = b.buildingSetMaxAge;
    this.retiredSetMaxAge = b.retiredSetMaxAge;
    this.maxFailedShare = b.maxFailedShare;
    this.stuckJobGrace = b.stuckJobGrace;
    this.maxInputTokens = b.maxInputTokens;
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    b.requiredMetadata.forEach(
        (c, k) -> keys.put(c, java.util.Collections.unmodifiableSet(new TreeSet<>(k))));
    this.requiredMetadata = java.util.Collections.unmodifiableMap(keys);
    this.tableThresholds = b.tableThresholds;
    this.jobQueue = b.jobQueue;
    this.queueRepairs = b.queueRepairs;
  }

  /**
   * Returns the defaults: every collection, sampled scans, no repair.
   *
   * @return the options
   */
  public static HealthCheckOptions defaults() {
    return builder().build();
  }

  /**
   * Starts building options.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the collections checked.
   *
   * @return the names; empty for every collection
   */
  public List<String> collections() {
    return collections;
  }

  /**
   * Tells whether repairs run.
   *
   * @return true to repair what is safely repairable
   */
  public boolean fix() {
    return fix;
  }

  /**
   * Tells whether every vector and chunk is examined instead of a sample.
   *
   * @return true for a full scan
   */
  public boolean deep() {
    return deep;
  }

  /**
   * Returns how many vectors per set (and chunks per collection) a sampled scan examines.
   *
   * @return the sample size
   */
  public int sampleSize() {
    return sampleSize;
  }

  /**
   * Returns how many sample ids each check lists.
   *
   * @return 0 to 1,000
   */
  public int maxSamples() {
    return maxSamples;
  }

  /**
   * Returns the coverage of the active set below which missing embeddings FAIL.
   *
   * @return in [0, 1]
   */
  public double minCoverage() {
    return minCoverage;
  }

  /**
   * Returns the age from which a building set counts as stalled.
   *
   * @return the age
   */
  public Duration buildingSetMaxAge() {
    return buildingSetMaxAge;
  }

  /**
   * Returns the age from which a retired set not yet dropped FAILs.
   *
   * @return the age
   */
  public Duration retiredSetMaxAge() {
    return retiredSetMaxAge;
  }

  /**
   * Returns the share of failed documents above which the check FAILs.
   *
   * @return in [0, 1]
   */
  public double maxFailedShare() {
    return maxFailedShare;
  }

  /**
   * Returns how long after its lease ran out a running job counts as stuck.
   *
   * @return the grace period
   */
  public Duration stuckJobGrace() {
    return stuckJobGrace;
  }

  /**
   * Returns the embedder input limit truncation is judged against.
   *
   * @return the limit in tokens, or 0 to take it from the facade's embedder
   */
  public int maxInputTokens() {
    return maxInputTokens;
  }

  /**
   * Returns the metadata keys every live document of a collection must have.
   *
   * @param collection the collection
   * @return the keys, sorted; empty when none are required
   */
  public Set<String> requiredMetadataKeys(String collection) {
    return requiredMetadata.getOrDefault(collection, Set.of());
  }

  /**
   * Returns the required metadata keys of every collection that has some.
   *
   * @return collection to keys
   */
  public Map<String, Set<String>> requiredMetadata() {
    return requiredMetadata;
  }

  /**
   * Returns the thresholds of the table and index checks (ANN index size, planner statistics,
   * bloat), shared with {@link dev.portfolio.maintenance.statistics.StatisticsReport}.
   *
   * @return the thresholds
   */
  public HealthThresholds tableThresholds() {
    return tableThresholds;
  }

  /**
   * Returns the job queue stuck jobs are looked for in, and re-embed repairs are submitted to.
   *
   * @return the queue, or null when none was given (stuck jobs are then not checked, and repairs
   *     re-embed inline)
   */
  public JobQueue jobQueue() {
    return jobQueue;
  }

  /**
   * Tells whether re-embed repairs are submitted to {@link #jobQueue()} as jobs (when one is given)
   * rather than run inline.
   *
   * @return true to queue them
   */
  public boolean queueRepairs() {
    return queueRepairs;
  }

  @Override
  public String toString() {
    return "HealthCheckOptions[collections="
        + (collections.isEmpty() ? "all" : collections)
        + ", fix="
        + fix
        + ", deep="
        + deep
        + ", sampleSize="
        + sampleSize
        + ", minCoverage="
        + minCoverage
        + ", buildingSetMaxAge="
        + buildingSetMaxAge
        + ", retiredSetMaxAge="
        + retiredSetMaxAge
        + ", maxFailedShare="
        + maxFailedShare
        + ", stuckJobGrace="
        + stuckJobGrace
        + ", requiredMetadata="
        + requiredMetadata
        + ", jobQueue="
        + (jobQueue == null ? "none" : jobQueue.getClass().getSimpleName())
        + ", queueRepairs="
        + queueRepairs
        + "]";
  }

  /**
   * Builds {@link HealthCheckOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final List<String> collections = new ArrayList<>();
    private boolean fix;
    private boolean deep;
    private int sampleSize = DEFAULT_SAMPLE_SIZE;
    private int maxSamples = DEFAULT_MAX_SAMPLES;
    private double minCoverage = 1.0;
    private Duration buildingSetMaxAge = Duration.ofHours(24);
    private Duration retiredSetMaxAge = Duration.ofDays(7);
    private double maxFailedShare = 0.01;
    private Duration stuckJobGrace = Duration.ofMinutes(10);
    private int maxInputTokens;
    private final Map<String, Set<String>> requiredMetadata = new LinkedHashMap<>();
    private HealthThresholds tableThresholds = HealthThresholds.defaults();
    private JobQueue jobQueue;
    private boolean queueRepairs = true;

    private Builder() {}

    /**
     * Adds collections to check (default: every collection). Store-wide checks (orphans, planner
     * statistics, bloat, jobs) always cover the whole store.
     *
     * @param names collection names
     * @return this builder
     */
    public Builder collections(String... names) {
      collections.addAll(List.of(names));
      return this;
    }

    /**
     * Repairs what is safely repairable (default: false): removes orphans, re-embeds missing, stale
     * and invalid vectors (a {@code reembed} job in {@link #jobQueue} when one is given, else
     * inline with the facade's embedder), rebuilds invalid or missing ANN indexes concurrently, and
     * runs {@code VACUUM (ANALYZE)} on tables with old statistics or many dead rows; then checks
     * again.
     *
     * @param value whether to repair
     * @return this builder
     */
    public Builder fix(boolean value) {
      this.fix = value;
      return this;
    }

    /**
     * Examines every vector and chunk instead of a sample (default: false). Counts from aggregates
     * (missing, stale and foreign-model vectors, orphans) are always exact.
     *
     * @param value whether to scan everything
     * @return this builder
     */
    public Builder deep(boolean value) {
      this.deep = value;
      return this;
    }

    /**
     * Sets how many vectors per set, and chunks per collection, a sampled scan examines; smaller
     * sets are examined whole (default: {@value #DEFAULT_SAMPLE_SIZE}).
     *
     * @param value 1 to 10,000,000
     * @return this builder
     */
    public Builder sampleSize(int value) {
      this.sampleSize = value;
      return this;
    }

    /**
     * Sets how many sample ids each check lists (default: {@value #DEFAULT_MAX_SAMPLES}).
     *
     * @param value 0 to 1,000
     * @return this builder
     */
    public Builder maxSamples(int value) {
      this.maxSamples = value;
      return this;
    }

    /**
     * Sets the share of a collection's chunks that must have a vector in the active set; below it
     * missing embeddings FAIL, above it (with some missing) they are INFO (default: 1.0, every
     * chunk).
     *
     * @param value 0 to 1
     * @return this builder
     */
    public Builder minCoverage(double value) {
      this.minCoverage = value;
      return this;
    }

    /**
     * Sets the age from which a building set (a model switch under way) is reported stalled
     * (default: 24 hours).
     *
     * @param value positive
     * @return this builder
     */
    public Builder buildingSetMaxAge(Duration value) {
      this.buildingSetMaxAge = value;
      return this;
    }

    /**
     * Sets the time since retirement from which a retired set not yet dropped FAILs; younger ones
     * are INFO (default: 7 days).
     *
     * @param value positive
     * @return this builder
     */
    public Builder retiredSetMaxAge(Duration value) {
      this.retiredSetMaxAge = value;
      return this;
    }

    /**
     * Sets the share of failed documents among a collection's live documents above which the check
     * FAILs; fewer failed documents are INFO (default: 0.01, 1%).
     *
     * @param value 0 to 1
     * @return this builder
     */
    public Builder maxFailedShare(double value) {
      this.maxFailedShare = value;
      return this;
    }

    /**
     * Sets how long after its lease ran out a running job counts as stuck (default: 10 minutes).
     *
     * @param value at least 0
     * @return this builder
     */
    public Builder stuckJobGrace(Duration value) {
      this.stuckJobGrace = value;
      return this;
    }

    /**
     * Sets the embedder input limit in tokens that truncated chunks are judged against (default: 0,
     * the limit of the facade's embedder when it has the collection's model; without one the check
     * is INFO "not checked").
     *
     * @param value 0 to 1,000,000
     * @return this builder
     */
    public Builder maxInputTokens(int value) {
      this.maxInputTokens = value;
      return this;
    }

    /**
     * Requires metadata keys of every live document of a collection (default: none required; the
     * check then requires the collection's declared filter keys ({@link
     * dev.portfolio.core.spi.VectorStore#filters}), and is INFO "not configured" when it has none).
     * Keys given here replace the declared filters for that collection.
     *
     * @param collection the collection
     * @param keys the keys
     * @return this builder
     */
    public Builder requiredMetadataKeys(String collection, String... keys) {
      requiredMetadata.computeIfAbsent(collection, k -> new TreeSet<>()).addAll(List.of(keys));
      return this;
    }

    /**
     * Sets the thresholds of the ANN index, planner statistics and bloat checks (default: {@link
     * HealthThresholds#defaults()}).
     *
     * @param value the thresholds
     * @return this builder
     */
    public Builder tableThresholds(HealthThresholds value) {
      this.tableThresholds = value;
      return this;
    }

    /**
     * Sets the job queue to look for stuck jobs in and to submit re-embed repairs to (default:
     * none: stuck jobs are INFO "no job queue given", and repairs re-embed inline).
     *
     * @param value the queue, or null
     * @return this builder
     */
    public Builder jobQueue(JobQueue value) {
      this.jobQueue = value;
      return this;
    }

    /**
     * Sets whether re-embed repairs go to the {@link #jobQueue} as {@code reembed} jobs, which a
     * job worker carries out later (default: true, when a queue is given); false runs them inline
     * with the facade's embedder while the queue still serves the stuck-jobs check.
     *
     * @param value whether to queue re-embed repairs
     * @return this builder
     */
    public Builder queueRepairs(boolean value) {
      this.queueRepairs = value;
      return this;
    }

    /**
     * Validates and builds the options.
     *
     * @return the options
     * @throws InvalidInputException naming the first invalid option
     */
    public HealthCheckOptions build() {
      Inputs.requireNoNullElements("health.collections", collections);
      collections.forEach(Inputs::collectionName);
      Inputs.between("health.sampleSize", sampleSize, 1, 10_000_000);
      Inputs.between("health.maxSamples", maxSamples, 0, 1000);
      share("health.minCoverage", minCoverage);
      positive("health.buildingSetMaxAge", buildingSetMaxAge);
      positive("health.retiredSetMaxAge", retiredSetMaxAge);
      share("health.maxFailedShare", maxFailedShare);
      Inputs.requireNonNull("health.stuckJobGrace", stuckJobGrace);
      if (stuckJobGrace.isNegative()) {
        throw new InvalidInputException(
            "health.stuckJobGrace",
            "health.stuckJobGrace must be >= 0 (was " + stuckJobGrace + ")");
      }
      Inputs.between("health.maxInputTokens", maxInputTokens, 0, 1_000_000);
      for (Map.Entry<String, Set<String>> e : requiredMetadata.entrySet()) {
        Inputs.collectionName(e.getKey());
        for (String key : e.getValue()) {
          Inputs.requireKey("health.requiredMetadataKeys", key);
        }
      }
      Inputs.requireNonNull("health.tableThresholds", tableThresholds);
      return new HealthCheckOptions(this);
    }

    private static void share(String name, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new InvalidInputException(
            name, name + " must be between 0 and 1 (was " + value + ")");
      }
    }

    private static void positive(String name, Duration value) {
      Inputs.requireNonNull(name, value);
      if (value.isNegative() || value.isZero()) {
        throw new InvalidInputException(name, name + " must be positive (was " + value + ")");
      }
    }
  }
}
