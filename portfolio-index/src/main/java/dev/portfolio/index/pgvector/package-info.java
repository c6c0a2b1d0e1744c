/**
 * The PostgreSQL + pgvector {@link dev.portfolio.core.spi.VectorStore}: {@link
 * dev.portfolio.index.pgvector.PgVectorStore}, its provider (id {@code pgvector}) and a small
 * pooled {@link javax.sql.DataSource} factory for the command line and examples.
 */
package dev.portfolio.index.pgvector;
