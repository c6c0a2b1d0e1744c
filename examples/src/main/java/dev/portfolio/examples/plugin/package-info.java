/**
 * A custom embedder plugin: {@link dev.portfolio.examples.plugin.InHouseEmbedderProvider} calls an
 * in-house model server. It is registered in {@code
 * META-INF/services/dev.portfolio.core.spi.EmbedderProvider} and tested with the contract test kit
 * ({@code EmbedderContract}).
 */
package dev.portfolio.examples.plugin;
