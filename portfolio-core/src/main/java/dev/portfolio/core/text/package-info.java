/**
 * Text utilities: content {@link dev.portfolio.core.text.Fingerprints fingerprints}, the {@link
 * dev.portfolio.core.text.Chunker chunker} with its {@link dev.portfolio.core.text.ChunkerOptions
 * options}, and {@link dev.portfolio.core.text.TokenCounter token counting}.
 */
package dev.portfolio.core.text;
