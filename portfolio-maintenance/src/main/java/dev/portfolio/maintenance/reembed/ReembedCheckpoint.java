package dev.portfolio.maintenance.reembed;

/**
 * How far a re-embed run has come, in chunk-id order: every chunk the run selects with an id up to
 * {@code afterChunkId} has been handled (its vector written, or it failed or was skipped), even
 * though batches finish out of order. A run started again with {@link
 * ReembedOptions.Builder#startAfterChunk(long) startAfterChunk(afterChunkId)} continues behind it;
 * this is what makes mode {@link ReembedMode#ALL} resumable as a job.
 *
 * @param afterChunkId every selected chunk with an id up to this one is done
 * @param chunks how many chunks this run handled up to there (read and embedded, failed or skipped)
 * @since 0.1.0
 */
public record ReembedCheckpoint(long afterChunkId, long chunks) {}
