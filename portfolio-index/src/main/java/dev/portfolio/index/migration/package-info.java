/**
 * Embedding migrations: moving a collection to a new embedding model (and dimension) without search
 * downtime. {@link dev.portfolio.index.migration.EmbeddingMigrations} generates the SQL a team
 * reviews and applies (up and down), and applies the same change programmatically.
 */
package dev.portfolio.index.migration;
