package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.regex.Pattern;

/**
 * A job to submit: its kind, parameters, priority and how many attempts a unit gets. Immutable;
 * built with {@link #builder(String)}:
 *
 * <pre>{@code
 * JobRequest r = JobRequest.builder(JobKinds.REEMBED).param("collection", "docs").priority(10).build();
 * }</pre>
 *
 * @param kind what the job does; a handler of this kind runs it
 * @param params the parameters the handler reads
 * @param priority higher runs first (default: 0)
 * @param maxAttempts how often a unit (or the plan or finish step) may be started before the job
 *     fails; a worker that dies counts as an attempt (default: {@value #DEFAULT_MAX_ATTEMPTS})
 * @since 0.1.0
 */
public record JobRequest(String kind, JobParams params, int priority, int maxAttempts) {
  /** The default number of attempts: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  private static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9_.-]{0,62}$");

  /** Validates the components; messages name the field. */
  public JobRequest {
    requireKind(kind);
    Inputs.requireNonNull("job.params", params);
    Inputs.between("job.priority", priority, -1_000_000, 1_000_000);
    Inputs.between("job.maxAttempts", maxAttempts, 1, 1000);
  }

  /**
   * Starts building a request.
   *
   * @param kind the kind, see {@link JobKinds}
   * @return a builder
   */
  public static Builder builder(String kind) {
    return new Builder(kind);
  }

  static String requireKind(String kind) {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new InvalidInputException(
          "job.kind",
          "job.kind must match ^[a-z][a-z0-9_.-]{0,62}$, e.g. reembed or acme.export (was '"
              + kind
              + "')");
    }
    return kind;
  }

  /**
   * Builds a {@link JobRequest}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String kind;
    private JobParams params = JobParams.empty();
    private int priority;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

    private Builder(String kind) {
      this.kind = kind;
    }

    /**
     * Adds a parameter.
     *
     * @param key the name
     * @param value the value, not null
     * @return this builder
     */
    public Builder param(String key, String value) {
      params = params.with(key, value);
      return this;
    }

    /**
     * Replaces every parameter.
     *
     * @param value the parameters
     * @return this builder
     */
    public Builder params(JobParams value) {
      params = value;
      return this;
    }

    /**
     * Sets the priority: workers take jobs of higher priority first.
     *
     * @param value -1,000,000 to 1,000,000 (default: 0)
     * @return this builder
     */
    public Builder priority(int value) {
      priority = value;
      return this;
    }

    /**
     * Sets how often a unit may be started before the job fails.
     *
     * @param value 1 to 1000 (default: {@value JobRequest#DEFAULT_MAX_ATTEMPTS})
     * @return this builder
     */
    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    /**
     * Validates and builds the request.
     *
     * @return the request
     * @throws InvalidInputException naming the first invalid field
     */
    public JobRequest build() {
      return new JobRequest(kind, params, priority, maxAttempts);
    }
  }
}
