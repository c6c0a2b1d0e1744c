package dev.portfolio.core.memory;

import dev.portfolio.core.memory.EmbeddingSets.StoredVector;
import dev.portfolio.core.memory.EmbeddingSets.VectorSet;
import dev.portfolio.core.memory.MemoryCollection.ChunkRow;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.text.Bm25;
import dev.portfolio.core.validation.StoreErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Exact vector search and BM25-weighted keyword search over one collection's rows. Callers hold the
 * store's read lock.
 */
final class MemorySearch {
  private static final Comparator<Scored> BEST_FIRST =
      Comparator.comparingDouble(Scored::distance).thenComparingLong(s -> s.row().chunk.id());

  private MemorySearch() {}

  /** Ranks the chunks with a vector in the active set by the collection's distance. */
  static List<SearchHit> vector(MemoryCollection c, VectorQuery query) {
    StoreErrors.checkQueryVector(
        c.info.spec(), query.vector(), "Embed the query with the collection's model.");
    Distance distance = c.info.distance();
    VectorSet active = c.sets.active();
    // Keep the best `limit` candidates; the head of the queue is the worst kept.
    PriorityQueue<Scored> best = new PriorityQueue<>(BEST_FIRST.reversed());
    for (ChunkRow r : c.chunksById.values()) {
      StoredVector v = active.get(r.chunk.id());
      if (v == null
          || (distance == Distance.COSINE && v.embedding().isZero())
          || !query.filter().matches(r.owner.document)) {
        continue;
      }
      best.add(new Scored(r, distance.distance(query.vector(), v.embedding())));
      if (best.size() > query.limit()) {
        best.poll();
      }
    }
    return best.stream()
        .sorted(BEST_FIRST)
        .map(s -> hit(s.row(), distance.score(s.distance())))
        .toList();
  }

  /**
   * Ranks the chunks containing any of the words by {@link Bm25}, with statistics over every chunk
   * of the collection.
   */
  static List<SearchHit> keyword(MemoryCollection c, Set<String> words, KeywordQuery query) {
    if (words.isEmpty()) {
      return List.of();
    }
    long chunks = c.chunksById.size();
    long totalLength = 0;
    Map<String, Integer> documentFrequency = new HashMap<>();
    List<ChunkRow> matching = new ArrayList<>();
    for (ChunkRow r : c.chunksById.values()) {
      totalLength += r.terms.length();
      boolean any = false;
      for (String w : words) {
        if (r.terms.frequency(w) > 0) {
          documentFrequency.merge(w, 1, Integer::sum);
          any = true;
        }
      }
      if (any && query.filter().matches(r.owner.document)) {
        matching.add(r);
      }
    }
    double averageLength = chunks == 0 ? 0 : (double) totalLength / chunks;
    Map<String, Double> idf = new HashMap<>();
    for (String w : words) {
      idf.put(w, Bm25.idf(documentFrequency.getOrDefault(w, 0), chunks));
    }
    List<SearchHit> hits = new ArrayList<>(matching.size());
    for (ChunkRow r : matching) {
      hits.add(hit(r, Bm25.score(idf, r.terms.frequencies(), r.terms.length(), averageLength)));
    }
    hits.sort(
        Comparator.comparingDouble(SearchHit::score)
            .reversed()
            .thenComparingLong(SearchHit::chunkId));
    return List.copyOf(hits.subList(0, Math.min(query.limit(), hits.size())));
  }

  private static SearchHit hit(ChunkRow r, double score) {
    Document d = r.owner.document;
    Chunk chunk = r.chunk;
    return new SearchHit(
        chunk.collection(),
        d.key(),
        d.sourceId(),
        chunk.id(),
        chunk.ordinal(),
        chunk.text(),
        score,
        d.metadata());
  }

  /** A search candidate with its distance to the query. */
  private record Scored(ChunkRow row, double distance) {}
}
