package dev.portfolio.core.memory;

import dev.portfolio.core.memory.EmbeddingSets.VectorSet;
import dev.portfolio.core.memory.MemoryCollection.ChunkRow;
import dev.portfolio.core.memory.MemoryCollection.DocRow;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.FailedDocument;
import dev.portfolio.core.model.FailureKind;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.SearchFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory side of retry and cleanup: failed documents, purging soft-deleted ones, and
 * orphans. Orphans cannot arise through the SPI here; they are counted and removed all the same, so
 * that the store answers from its data rather than from a promise. Not thread-safe: called under
 * the store's lock.
 */
final class MemoryMaintenance {
  private MemoryMaintenance() {}

  /** One page of failed documents matching the query's sources, workspace and metadata. */
  static List<FailedDocument> failed(MemoryCollection c, DocumentQuery query) {
    SearchFilter f = query.filter();
    SearchFilter failedOnly =
        new SearchFilter(f.sourceIds(), f.workspace(), Set.of(DocumentStatus.FAILED), f.metadata());
    List<FailedDocument> items = new ArrayList<>();
    Iterator<DocRow> it = c.documentsById.tailMap(query.afterId(), false).values().iterator();
    while (it.hasNext() && items.size() < query.limit()) {
      DocRow row = it.next();
      if (failedOnly.matches(row.document)) {
        items.add(
            new FailedDocument(
                row.document, row.failure == null ? FailureKind.REJECTED : row.failure));
      }
    }
    return items;
  }

  /** Records a failure of a kind; returns false for an unknown document. */
  static boolean recordFailure(
      MemoryCollection c, String key, FailureKind kind, String error, Instant now) {
    DocRow row = c.documentsByKey.get(key);
    if (row == null) {
      return false;
    }
    Document d = row.document;
    row.document =
        new Document(
            d.id(),
            d.collection(),
            d.key(),
            d.sourceId(),
            d.workspace(),
            DocumentStatus.FAILED,
            d.fingerprint(),
            d.metadata(),
            error.replace('\0', '\uFFFD'),
            kind == FailureKind.PERMANENT ? d.attempts() : d.attempts() + 1,
            d.createdAt(),
            now,
            null);
    row.failure = kind;
    return true;
  }

  /** Purges (or only counts) soft-deleted documents, oldest deletion first. */
  static PurgeResult purge(MemoryCollection c, Instant deletedBefore, int limit, boolean remove) {
    List<DocRow> doomed =
        c.documentsById.values().stream()
            .filter(r -> r.document.status() == DocumentStatus.DELETED)
            .filter(
                r ->
                    deletedBefore == null
                        || (r.document.deletedAt() != null
                            && r.document.deletedAt().isBefore(deletedBefore)))
            .sorted(
                Comparator.comparing((DocRow r) -> r.document.deletedAt())
                    .thenComparingLong(r -> r.document.id()))
            .limit(limit)
            .toList();
    long chunks = 0;
    long vectors = 0;
    for (DocRow row : doomed) {
      for (ChunkRow r : row.chunks) {
        vectors += c.sets.vectorsOf(r.chunk.id());
      }
      chunks += row.chunks.size();
      if (remove) {
        c.removeDocument(row);
      }
    }
    return new PurgeResult(doomed.size(), chunks, vectors);
  }

  /** Counts orphans of every kind over every collection. */
  static Map<OrphanKind, Long> countOrphans(Collection<MemoryCollection> collections) {
    Map<OrphanKind, Long> counts = new EnumMap<>(OrphanKind.class);
    for (OrphanKind kind : OrphanKind.values()) {
      counts.put(kind, 0L);
    }
    for (MemoryCollection c : collections) {
      counts.merge(OrphanKind.CHUNKS_WITHOUT_DOCUMENT, (long) orphanChunks(c).size(), Long::sum);
      counts.merge(
          OrphanKind.READY_DOCUMENTS_WITHOUT_CHUNKS, (long) emptyReady(c).size(), Long::sum);
      counts.merge(OrphanKind.VECTORS_WITHOUT_CHUNK, orphanVectors(c, Long.MAX_VALUE), Long::sum);
    }
    return counts;
  }

  /** Deletes up to {@code limit} orphans of a kind; returns how many. */
  static long deleteOrphans(Collection<MemoryCollection> collections, OrphanKind kind, int limit) {
    long left = limit;
    for (MemoryCollection c : collections) {
      if (left == 0) {
        break;
      }
      switch (kind) {
        case CHUNKS_WITHOUT_DOCUMENT -> {
          for (ChunkRow r : orphanChunks(c)) {
            if (left == 0) {
              break;
            }
            c.chunksById.remove(r.chunk.id());
            c.sets.forget(r.chunk.id());
            left--;
          }
        }
        case READY_DOCUMENTS_WITHOUT_CHUNKS -> {
          for (DocRow row : emptyReady(c)) {
            if (left == 0) {
              break;
            }
            c.removeDocument(row);
            left--;
          }
        }
        case VECTORS_WITHOUT_CHUNK -> left -= removeOrphanVectors(c, left);
        case VECTORS_WITHOUT_SET -> {
          // a dropped set takes its vectors with it
        }
      }
    }
    return limit - left;
  }

  private static List<ChunkRow> orphanChunks(MemoryCollection c) {
    return c.chunksById.values().stream()
        .filter(r -> c.documentsById.get(r.owner.document.id()) != r.owner)
        .toList();
  }

  private static List<DocRow> emptyReady(MemoryCollection c) {
    return c.documentsById.values().stream()
        .filter(r -> r.document.status() == DocumentStatus.READY && r.chunks.isEmpty())
        .toList();
  }

  private static long orphanVectors(MemoryCollection c, long max) {
    long n = 0;
    for (VectorSet set : c.sets.all()) {
      for (Long id : set.vectors.keySet()) {
        if (!c.chunksById.containsKey(id) && n < max) {
          n++;
        }
      }
    }
    return n;
  }

  private static long removeOrphanVectors(MemoryCollection c, long max) {
    long n = 0;
    for (VectorSet set : c.sets.all()) {
      Iterator<Long> it = set.vectors.keySet().iterator();
      while (it.hasNext() && n < max) {
        if (!c.chunksById.containsKey(it.next())) {
          it.remove();
          n++;
        }
      }
    }
    return n;
  }
}
