/**
 * Ingestion: documents in, chunks sized for the embedder, change detection by fingerprint, reuse of
 * unchanged chunks' vectors, modes from upsert to full sync, budgets, and loaders.
 */
package dev.portfolio.maintenance.ingest;
