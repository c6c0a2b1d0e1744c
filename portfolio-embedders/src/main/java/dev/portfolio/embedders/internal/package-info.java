/**
 * Internal: the machinery the remote embedders share (HTTP calls, batching, retries, response
 * validation). Not a public API; it may change in any release. Plugins should implement {@link
 * dev.portfolio.core.spi.Embedder} directly.
 */
package dev.portfolio.embedders.internal;
