package dev.portfolio.core.memory;

import dev.portfolio.core.memory.EmbeddingSets.StoredVector;
import dev.portfolio.core.memory.EmbeddingSets.VectorSet;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * One collection's documents, chunks and embedding sets, with the bookkeeping that keeps them
 * consistent: a removed chunk loses its vector in every set, and {@link #info} follows the active
 * set's model and dimension. Not thread-safe: guarded by the store's lock.
 */
final class MemoryCollection {
  CollectionInfo info;
  final EmbeddingSets sets;
  final Map<String, DocRow> documentsByKey = new HashMap<>();
  final NavigableMap<Long, DocRow> documentsById = new TreeMap<>();
  final NavigableMap<Long, ChunkRow> chunksById = new TreeMap<>();
  final Map<String, List<dev.portfolio.core.model.DocumentChange>> history = new HashMap<>();
  final java.util.SortedSet<String> filterKeys = new java.util.TreeSet<>();

  MemoryCollection(CollectionInfo info, EmbeddingSet active) {
    this.info = info;
    this.sets = new EmbeddingSets(active);
  }

  /** Renames the collection: its info, sets, documents and chunks carry the new name. */
  void rename(String name) {
    CollectionSpec spec = info.spec();
    info =
        new CollectionInfo(
            info.id(),
            new CollectionSpec(name, spec.model(), spec.dimension(), spec.distance()),
            info.createdAt());
    sets.rename(name);
    for (DocRow row : documentsById.values()) {
      Document d = row.document;
      row.document =
          new Document(
              d.id(),
              name,
              d.key(),
              d.sourceId(),
              d.workspace(),
              d.status(),
              d.fingerprint(),
              d.metadata(),
              d.error(),
              d.attempts(),
              d.createdAt(),
              d.updatedAt(),
              d.deletedAt());
      List<ChunkRow> renamed = new ArrayList<>(row.chunks.size());
      for (ChunkRow r : row.chunks) {
        Chunk c = r.chunk;
        ChunkRow copy =
            new ChunkRow(
                row,
                new Chunk(
                    c.id(),
                    name,
                    c.documentKey(),
                    c.ordinal(),
                    c.text(),
                    c.contentHash(),
                    c.tokenCount(),
                    c.embedding(),
                    c.embeddingModel(),
                    c.embeddedTextHash(),
                    c.metadata()),
                r.terms);
        renamed.add(copy);
        chunksById.put(c.id(), copy);
      }
      row.chunks = List.copyOf(renamed);
    }
  }

  /** Removes a document with its chunks and their vectors; returns the number of chunks. */
  long removeDocument(DocRow row) {
    documentsByKey.remove(row.document.key());
    documentsById.remove(row.document.id());
    removeChunks(row);
    return row.chunks.size();
  }

  /** Removes a document's chunks and their vectors in every set. */
  void removeChunks(DocRow row) {
    for (ChunkRow r : row.chunks) {
      chunksById.remove(r.chunk.id());
      sets.forget(r.chunk.id());
    }
  }

  /** Writes vectors into a set, skipping unknown chunks; returns how many chunks received one. */
  int writeVectors(VectorSet set, List<EmbeddingUpdate> updates) {
    Set<Long> written = new HashSet<>();
    for (EmbeddingUpdate u : updates) {
      if (chunksById.containsKey(u.chunkId())) {
        set.vectors.put(
            u.chunkId(), new StoredVector(u.embedding(), u.model(), u.embeddedTextHash()));
        written.add(u.chunkId());
      }
    }
    return written.size();
  }

  /** Makes a set active and the collection's spec follow its model and dimension. */
  EmbeddingSet activate(long setId, Instant now) {
    EmbeddingSet active = sets.activate(setId, now);
    CollectionSpec spec =
        new CollectionSpec(info.name(), active.model(), active.dimension(), info.distance());
    info = new CollectionInfo(info.id(), spec, info.createdAt());
    return active;
  }

  /** Tells whether every chunk of a document has a vector in the active set. */
  boolean embedded(DocRow row) {
    VectorSet active = sets.active();
    return row.chunks.stream().allMatch(r -> active.get(r.chunk.id()) != null);
  }

  /** Counts documents by status and live documents' chunks by their state in one set. */
  CollectionStats stats(VectorSet set) {
    Map<DocumentStatus, Long> byStatus = new EnumMap<>(DocumentStatus.class);
    for (DocumentStatus s : DocumentStatus.values()) {
      byStatus.put(s, 0L);
    }
    long chunks = 0;
    long embedded = 0;
    long stale = 0;
    long foreign = 0;
    for (DocRow row : documentsById.values()) {
      byStatus.merge(row.document.status(), 1L, Long::sum);
      if (row.document.status() == DocumentStatus.DELETED) {
        continue;
      }
      for (ChunkRow r : row.chunks) {
        chunks++;
        StoredVector v = set.get(r.chunk.id());
        if (v != null) {
          embedded++;
          if (!r.chunk.contentHash().equals(v.textHash())) {
            stale++;
          }
          if (!set.info.model().equals(v.model())) {
            foreign++;
          }
        }
      }
    }
    return new CollectionStats(info.name(), byStatus, chunks, embedded, stale, foreign);
  }

  /** A stored document and its chunks in ordinal order. */
  static final class DocRow {
    Document document;
    List<ChunkRow> chunks = List.of();

    /** The kind of the last failure while the document is failed; null when recorded without. */
    dev.portfolio.core.model.FailureKind failure;

    DocRow(Document document) {
      this.document = document;
    }
  }

  /**
   * A stored chunk without its vectors (each embedding set holds its own), the document that owns
   * it and its words.
   */
  static final class ChunkRow {
    final DocRow owner;
    final Chunk chunk;
    final Keywords.Terms terms;

    ChunkRow(DocRow owner, Chunk chunk, Keywords.Terms terms) {
      this.owner = owner;
      this.chunk = chunk;
      this.terms = terms;
    }
  }
}
