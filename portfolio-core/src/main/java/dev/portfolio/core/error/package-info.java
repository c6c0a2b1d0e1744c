/**
 * Errors: one unchecked root, {@link dev.portfolio.core.error.PortfolioException}, carrying an
 * {@link dev.portfolio.core.error.ErrorCode}, split by whether a retry can help ({@link
 * dev.portfolio.core.error.RetriableException}) or not ({@link
 * dev.portfolio.core.error.NonRetriableException}).
 */
package dev.portfolio.core.error;
