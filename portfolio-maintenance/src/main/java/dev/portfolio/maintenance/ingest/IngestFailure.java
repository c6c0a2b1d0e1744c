package dev.portfolio.maintenance.ingest;

/**
 * A document an ingestion could not store; nothing of it was written, and the rest went on.
 *
 * @param key the document key
 * @param position its position in the input, from 0
 * @param reason what was wrong and what to do
 * @since 0.1.0
 */
public record IngestFailure(String key, long position, String reason) {}
