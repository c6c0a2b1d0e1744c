package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.maintenance.reembed.ChunkError;
import java.util.List;

/**
 * What embedding one batch produced.
 *
 * @param updates the vectors to write, one per chunk that was embedded
 * @param failures the chunks the embedder rejected permanently
 * @param usage what the embedder calls cost, retries made here included
 * @param deduplicated chunks that shared a text with an earlier chunk of the batch
 */
record BatchOutcome(
    List<EmbeddingUpdate> updates,
    List<ChunkError> failures,
    EmbeddingUsage usage,
    int deduplicated) {
  BatchOutcome {
    updates = List.copyOf(updates);
    failures = List.copyOf(failures);
  }
}
