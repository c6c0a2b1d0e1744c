package dev.portfolio.core.text;

import dev.portfolio.core.error.InvalidInputException;
import java.util.Objects;

/**
 * How a {@link Chunker} cuts text: the chunk size and overlap, the unit they are measured in, and
 * the token counter. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ChunkerOptions options =
 *     ChunkerOptions.builder().unit(ChunkUnit.TOKENS).size(256).overlap(32).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ChunkerOptions {
  /** The default chunk size: 512 (tokens with the default unit). */
  public static final int DEFAULT_SIZE = 512;

  /** The default overlap: 64 (tokens with the default unit), one eighth of the default size. */
  public static final int DEFAULT_OVERLAP = 64;

  /** The default unit: {@link ChunkUnit#TOKENS}. */
  public static final ChunkUnit DEFAULT_UNIT = ChunkUnit.TOKENS;

  /**
   * The largest accepted size: 50,000. With {@link ChunkUnit#CHARACTERS} this keeps every chunk (at
   * most two {@code char}s per code point) within the stores' limit of 100,000 {@code char}s.
   */
  public static final int MAX_SIZE = 50_000;

  private static final ChunkerOptions DEFAULTS = builder().build();

  private final ChunkUnit unit;
  private final int size;
  private final int overlap;
  private final TokenCounter tokenCounter;

  private ChunkerOptions(Builder b) {
    this.unit = b.unit;
    this.size = b.size;
    this.overlap = b.overlap;
    this.tokenCounter = b.tokenCounter;
  }

  /**
   * Returns the default options: 512 tokens, 64 tokens of overlap, the approximate token counter.
   *
   * @return the default options
   */
  public static ChunkerOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns options sized for an embedder: chunks of at most {@code min(tokens.maxTokens(), 512)}
   * tokens, counted with the embedder's own counter, with one eighth of that as overlap. Every
   * chunk then reaches the model whole; a model that reads more than 512 tokens still gets chunks
   * of 512 (longer chunks dilute retrieval), unless a larger size is set on {@link #toBuilder()}.
   *
   * @param tokens the embedder's input budget ({@link
   *     dev.portfolio.core.spi.Embedder#inputTokens()})
   * @return the options
   * @since 0.1.0
   */
  public static ChunkerOptions forEmbedder(dev.portfolio.core.spi.InputTokens tokens) {
    return forEmbedder(tokens, 0);
  }

  /**
   * Returns options sized for an embedder with room kept for a prefix that is added to every chunk
   * (a title or section heading): as {@link #forEmbedder(dev.portfolio.core.spi.InputTokens)} with
   * {@code reservedTokens} taken off the budget first.
   *
   * @param tokens the embedder's input budget, not null
   * @param reservedTokens tokens kept free in each chunk, from 0 to {@code tokens.maxTokens() - 1}
   * @return the options
   * @throws InvalidInputException when the reserve leaves no room for text
   * @since 0.1.0
   */
  public static ChunkerOptions forEmbedder(
      dev.portfolio.core.spi.InputTokens tokens, int reservedTokens) {
    dev.portfolio.core.validation.Inputs.requireNonNull("tokens", tokens);
    int budget = tokens.maxTokens() - reservedTokens;
    if (reservedTokens < 0 || budget < 1) {
      throw new InvalidInputException(
          "reservedTokens",
          "reservedTokens must be between 0 and "
              + (tokens.maxTokens() - 1)
              + " for a model that reads "
              + tokens.maxTokens()
              + " tokens (was "
              + reservedTokens
              + "); shorten the title or heading prefix");
    }
    int size = Math.min(Math.min(budget, DEFAULT_SIZE), MAX_SIZE);
    return builder()
        .unit(ChunkUnit.TOKENS)
        .size(size)
        .overlap(size / 8)
        .tokenCounter(tokens.counter())
        .build();
  }

  /**
   * Starts a builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder().unit(unit).size(size).overlap(overlap).tokenCounter(tokenCounter);
  }

  /**
   * Returns the unit of {@link #size()} and {@link #overlap()}.
   *
   * @return the unit
   */
  public ChunkUnit unit() {
    return unit;
  }

  /**
   * Returns the largest chunk, in {@link #unit()}s.
   *
   * @return the size, from 1 to {@link #MAX_SIZE}
   */
  public int size() {
    return size;
  }

  /**
   * Returns the most a chunk repeats of the end of the chunk before it, in {@link #unit()}s.
   *
   * @return the overlap, from 0 to {@code size() - 1}
   */
  public int overlap() {
    return overlap;
  }

  /**
   * Returns the counter that measures {@link ChunkUnit#TOKENS} and fills {@link
   * TextChunk#tokenCount()}.
   *
   * @return the counter
   */
  public TokenCounter tokenCounter() {
    return tokenCounter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkerOptions other
        && unit == other.unit
        && size == other.size
        && overlap == other.overlap
        && tokenCounter.equals(other.tokenCounter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unit, size, overlap, tokenCounter);
  }

  @Override
  public String toString() {
    return "ChunkerOptions[unit="
        + unit
        + ", size="
        + size
        + ", overlap="
        + overlap
        + ", tokenCounter="
        + tokenCounter
        + "]";
  }

  /**
   * Builds {@link ChunkerOptions}. Setters accept any value; {@link #build()} validates them all.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private ChunkUnit unit = DEFAULT_UNIT;
    private int size = DEFAULT_SIZE;
    private int overlap = DEFAULT_OVERLAP;
    private TokenCounter tokenCounter = TokenCounter.approximate();

    private Builder() {}

    /**
     * Sets the unit of size and overlap (default: {@link ChunkUnit#TOKENS}).
     *
     * @param unit the unit, not null
     * @return this builder
     */
    public Builder unit(ChunkUnit unit) {
      this.unit = unit;
      return this;
    }

    /**
     * Sets the largest chunk, in the unit (default: 512).
     *
     * @param size from 1 to {@link ChunkerOptions#MAX_SIZE}
     * @return this builder
     */
    public Builder size(int size) {
      this.size = size;
      return this;
    }

    /**
     * Sets the most a chunk repeats of the end of the previous chunk, in the unit (default: 64).
     * Zero means chunks do not overlap.
     *
     * @param overlap from 0 to {@code size - 1}
     * @return this builder
     */
    public Builder overlap(int overlap) {
      this.overlap = overlap;
      return this;
    }

    /**
     * Sets the token counter (default: {@link TokenCounter#approximate()}). Supply the embedding
     * model's own tokenizer for exact token budgets.
     *
     * @param tokenCounter the counter, not null
     * @return this builder
     */
    public Builder tokenCounter(TokenCounter tokenCounter) {
      this.tokenCounter = tokenCounter;
      return this;
    }

    /**
     * Validates the settings and builds the options.
     *
     * @return the options
     * @throws InvalidInputException naming the first invalid field, for example {@code
     *     "chunker.overlap must be less than chunker.size (was 600 >= 512)"}
     */
    public ChunkerOptions build() {
      if (unit == null) {
        throw new InvalidInputException(
            "chunker.unit", "chunker.unit must not be null; use CHARACTERS or TOKENS");
      }
      if (size < 1 || size > MAX_SIZE) {
        throw new InvalidInputException(
            "chunker.size",
            "chunker.size must be between 1 and " + MAX_SIZE + " (was " + size + ")");
      }
      if (overlap < 0) {
        throw new InvalidInputException(
            "chunker.overlap",
            "chunker.overlap must not be negative (was " + overlap + "); use 0 for no overlap");
      }
      if (overlap >= size) {
        throw new InvalidInputException(
            "chunker.overlap",
            "chunker.overlap must be less than chunker.size (was " + overlap + " >= " + size + ")");
      }
      if (tokenCounter == null) {
        throw new InvalidInputException(
            "chunker.tokenCounter",
            "chunker.tokenCounter must not be null; use TokenCounter.approximate() or the"
                + " embedding model's tokenizer");
      }
      return new ChunkerOptions(this);
    }
  }
}
