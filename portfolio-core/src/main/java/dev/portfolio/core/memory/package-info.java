/**
 * The in-memory {@link dev.portfolio.core.spi.VectorStore}: the embedded default for tests,
 * examples and small corpora, found by {@link java.util.ServiceLoader} under the id {@code memory}.
 */
package dev.portfolio.core.memory;
