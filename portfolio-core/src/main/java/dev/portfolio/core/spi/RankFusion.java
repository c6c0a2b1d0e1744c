package dev.portfolio.core.spi;

import dev.portfolio.core.model.SearchHit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion, as {@link VectorStore#hybridSearch} fuses its two lists: a chunk scores
 * {@code sum 1 / (k + rank)} over the lists it is in (ranks from 1), ties by chunk id.
 *
 * @since 0.1.0
 */
public final class RankFusion {
  private RankFusion() {}

  /**
   * Fuses ranked lists of hits.
   *
   * @param k the RRF constant, at least 1
   * @param limit how many hits at most
   * @param lists the ranked lists, best first
   * @return at most {@code limit} hits, each carrying its fused score, best first
   */
  public static List<SearchHit> reciprocalRank(int k, int limit, List<List<SearchHit>> lists) {
    Map<Long, SearchHit> hits = new HashMap<>();
    Map<Long, Double> scores = new HashMap<>();
    for (List<SearchHit> list : lists) {
      for (int rank = 0; rank < list.size(); rank++) {
        SearchHit hit = list.get(rank);
        hits.putIfAbsent(hit.chunkId(), hit);
        scores.merge(hit.chunkId(), 1.0 / (k + rank + 1), Double::sum);
      }
    }
    return scores.entrySet().stream()
        .sorted(
            Map.Entry.<Long, Double>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(limit)
        .map(e -> hits.get(e.getKey()).withScore(e.getValue()))
        .toList();
  }
}
