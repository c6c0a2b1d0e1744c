package dev.portfolio.core.text;

/**
 * The unit in which {@link ChunkerOptions#size()} and {@link ChunkerOptions#overlap()} are
 * measured.
 *
 * @since 0.1.0
 */
public enum ChunkUnit {
  /**
   * Unicode code points of the chunk text, whitespace included: a character outside the Basic
   * Multilingual Plane (most emoji) counts once although it is two Java {@code char}s.
   */
  CHARACTERS,
  /** Tokens as counted by the chunker's {@link TokenCounter}. */
  TOKENS
}
