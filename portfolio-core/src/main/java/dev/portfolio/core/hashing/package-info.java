/**
 * The hashing embedder: a deterministic, offline, lexical {@link dev.portfolio.core.spi.Embedder}
 * for tests, demos and examples. It captures shared words, not meaning.
 */
package dev.portfolio.core.hashing;
