package dev.portfolio.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.model.DocumentHit;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentCollapseTest {
  /** A ranking of chunks where document {@code d} owns chunks {@code d * perDocument ...}. */
  private static List<SearchHit> ranking(int documents, int perDocument, int limit) {
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 0; i < documents * perDocument && i < limit; i++) {
      hits.add(new SearchHit("c", "doc-" + i / perDocument, "s", i, i, "t", -i, Map.of("k", "v")));
    }
    return hits;
  }

  @Test
  void asksForMoreChunksUntilItHasTheDocumentsWanted() {
    List<Integer> limits = new ArrayList<>();

    List<DocumentHit> docs =
        DocumentCollapse.search(
            3,
            limit -> {
              limits.add(limit);
              return ranking(10, 20, limit);
            });

    assertThat(limits).containsExactly(9, 36, 144);
    assertThat(docs)
        .extracting(DocumentHit::documentKey)
        .containsExactly("doc-0", "doc-1", "doc-2");
    assertThat(docs.get(0).chunks()).hasSize(20);
    assertThat(docs.get(1).chunks()).hasSize(20);
    assertThat(docs.get(1).score()).isEqualTo(-20);
    assertThat(docs.get(1).best().chunkId()).isEqualTo(20);
    assertThat(docs.get(1).metadata()).containsEntry("k", "v");
  }

  @Test
  void stopsWhenTheChunkSearchRunsDryOrAtTheLargestLimit() {
    List<Integer> limits = new ArrayList<>();
    assertThat(
            DocumentCollapse.search(
                5,
                limit -> {
                  limits.add(limit);
                  return ranking(2, 3, limit);
                }))
        .hasSize(2);
    assertThat(limits).containsExactly(15);

    limits.clear();
    assertThat(
            DocumentCollapse.search(
                2,
                limit -> {
                  limits.add(limit);
                  return ranking(1, 5000, limit);
                }))
        .singleElement()
        .satisfies(d -> assertThat(d.chunks()).hasSize(VectorQuery.MAX_LIMIT));
    assertThat(limits).containsExactly(6, 24, 96, 384, VectorQuery.MAX_LIMIT);
  }
}
