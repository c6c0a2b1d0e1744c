/**
 * Read-only views of a store's state, as the {@link dev.portfolio.core.spi.VectorStore} SPI reports
 * them for diagnostics, statistics and verification: a snapshot of every collection and embedding
 * set with their counts ({@link dev.portfolio.core.inspect.StoreSnapshot}), the physical relations
 * behind them ({@link dev.portfolio.core.inspect.RelationStats}), operation latencies ({@link
 * dev.portfolio.core.inspect.OperationLatency}, recorded by {@link
 * dev.portfolio.core.inspect.LatencyRecorder}) and keyset pages of suspect vectors ({@link
 * dev.portfolio.core.inspect.VectorScanPage}). A figure a store cannot give is empty, never 0.
 *
 * @since 0.1.0
 */
package dev.portfolio.core.inspect;
