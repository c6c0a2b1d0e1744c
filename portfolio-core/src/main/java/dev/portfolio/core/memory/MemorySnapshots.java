package dev.portfolio.core.memory;

import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.memory.EmbeddingSets.StoredVector;
import dev.portfolio.core.memory.EmbeddingSets.VectorSet;
import dev.portfolio.core.memory.MemoryCollection.ChunkRow;
import dev.portfolio.core.memory.MemoryCollection.DocRow;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a {@link StoreSnapshot} of the in-memory store: counts by walking the documents once per
 * collection. Sizes are unknown (the heap holds no measurable tables), ANN indexes do not apply
 * (search is exact). Called under the store's read lock.
 */
final class MemorySnapshots {
  private MemorySnapshots() {}

  static StoreSnapshot of(Collection<MemoryCollection> collections, String workspace, Instant now) {
    List<CollectionSnapshot> out = new ArrayList<>();
    for (MemoryCollection c : collections) {
      out.add(collection(c, workspace));
    }
    Map<String, String> config = new LinkedHashMap<>();
    config.put("store", "in-memory");
    config.put("durable", "false");
    config.put("collections", Integer.toString(collections.size()));
    return new StoreSnapshot(now, workspace, out, List.of(), config);
  }

  private static CollectionSnapshot collection(MemoryCollection c, String workspace) {
    Map<DocumentStatus, Long> byStatus = new EnumMap<>(DocumentStatus.class);
    for (DocumentStatus s : DocumentStatus.values()) {
      byStatus.put(s, 0L);
    }
    List<EmbeddingSet> infos = c.sets.list();
    long[] vectors = new long[infos.size()];
    long[] stale = new long[infos.size()];
    long[] foreign = new long[infos.size()];
    List<VectorSet> sets = new ArrayList<>();
    for (EmbeddingSet info : infos) {
      sets.add(c.sets.resolve(info.id()));
    }
    long chunks = 0;
    Set<String> sources = new HashSet<>();
    for (DocRow row : c.documentsById.values()) {
      if (workspace != null && !Objects.equals(workspace, row.document.workspace())) {
        continue;
      }
      byStatus.merge(row.document.status(), 1L, Long::sum);
      if (row.document.status() == DocumentStatus.DELETED) {
        continue;
      }
      sources.add(row.document.sourceId());
      for (ChunkRow r : row.chunks) {
        chunks++;
        for (int i = 0; i < sets.size(); i++) {
          VectorSet set = sets.get(i);
          StoredVector v = set.get(r.chunk.id());
          if (v != null) {
            vectors[i]++;
            if (!r.chunk.contentHash().equals(v.textHash())) {
              stale[i]++;
            }
            if (!set.info.model().equals(v.model())) {
              foreign[i]++;
            }
          }
        }
      }
    }
    List<SetSnapshot> setSnapshots = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      setSnapshots.add(
          new SetSnapshot(
              sets.get(i).info,
              vectors[i],
              stale[i],
              foreign[i],
              AnnIndexState.NOT_APPLICABLE,
              OptionalLong.empty()));
    }
    return new CollectionSnapshot(
        c.info.name(),
        c.info.distance(),
        byStatus,
        chunks,
        sources.size(),
        OptionalLong.empty(),
        setSnapshots);
  }
}
