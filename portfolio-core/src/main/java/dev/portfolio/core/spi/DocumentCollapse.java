package dev.portfolio.core.spi;

import dev.portfolio.core.model.DocumentHit;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Collapses ranked chunk hits to documents for the document-level searches of {@link VectorStore}:
 * searches for {@value #OVER_FETCH} chunks per wanted document, and, while that yields fewer
 * documents than wanted although the chunk search returned all it was asked for, again for {@value
 * #GROWTH} times as many chunks, up to {@link VectorQuery#MAX_LIMIT} chunks.
 */
final class DocumentCollapse {
  /** Chunks asked for per wanted document in the first search. */
  static final int OVER_FETCH = 3;

  /** How much each further search asks for more. */
  static final int GROWTH = 4;

  private DocumentCollapse() {}

  /**
   * Runs a chunk search, with more chunks as needed, and collapses its hits.
   *
   * @param documents the documents wanted
   * @param search the chunk search for a limit, hits best first
   * @return at most {@code documents} documents, best first
   */
  static List<DocumentHit> search(int documents, IntFunction<List<SearchHit>> search) {
    int limit = Math.min(VectorQuery.MAX_LIMIT, documents * OVER_FETCH);
    while (true) {
      List<SearchHit> hits = search.apply(limit);
      List<DocumentHit> collapsed = collapse(hits);
      if (collapsed.size() >= documents || hits.size() < limit || limit == VectorQuery.MAX_LIMIT) {
        return List.copyOf(collapsed.subList(0, Math.min(documents, collapsed.size())));
      }
      limit = (int) Math.min(VectorQuery.MAX_LIMIT, (long) limit * GROWTH);
    }
  }

  /** Groups hits (best first) by document, in the order of each document's best hit. */
  static List<DocumentHit> collapse(List<SearchHit> hits) {
    Map<String, List<SearchHit>> byDocument = new LinkedHashMap<>();
    for (SearchHit h : hits) {
      byDocument.computeIfAbsent(h.documentKey(), k -> new ArrayList<>()).add(h);
    }
    List<DocumentHit> out = new ArrayList<>(byDocument.size());
    for (List<SearchHit> chunks : byDocument.values()) {
      SearchHit best = chunks.get(0);
      out.add(
          new DocumentHit(
              best.collection(),
              best.documentKey(),
              best.sourceId(),
              best.score(),
              best.metadata(),
              chunks));
    }
    return out;
  }
}
