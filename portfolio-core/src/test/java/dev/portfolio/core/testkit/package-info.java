/**
 * The contract test kit, shipped as the {@code portfolio-core} test-jar ({@code
 * <type>test-jar</type>}): abstract JUnit classes that every implementation of an SPI extends once
 * with its own factory method, so all implementations are held to the same behaviour.
 *
 * <ul>
 *   <li>{@link dev.portfolio.core.testkit.VectorStoreContract} for {@link
 *       dev.portfolio.core.spi.VectorStore} implementations;
 *   <li>{@link dev.portfolio.core.testkit.EmbedderContract} for {@link
 *       dev.portfolio.core.spi.Embedder} implementations.
 * </ul>
 *
 * <p>The kit needs JUnit Jupiter and AssertJ on the test classpath.
 */
package dev.portfolio.core.testkit;
