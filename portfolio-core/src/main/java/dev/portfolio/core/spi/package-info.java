/**
 * Service provider interfaces: {@link dev.portfolio.core.spi.Embedder}, {@link
 * dev.portfolio.core.spi.VectorStore} and {@link dev.portfolio.core.spi.ProgressReporter}, and the
 * providers that {@link java.util.ServiceLoader} finds for them. Plugins depend on this package and
 * {@code dev.portfolio.core.model} only.
 */
package dev.portfolio.core.spi;
