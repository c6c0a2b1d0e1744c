package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.Chunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct texts of a batch of chunks, so that identical texts are embedded once and their
 * vector fanned back out to every chunk that has the text.
 */
final class DistinctTexts {
  private final List<String> texts;
  private final int[] textOfChunk;

  private DistinctTexts(List<String> texts, int[] textOfChunk) {
    this.texts = texts;
    this.textOfChunk = textOfChunk;
  }

  /**
   * Collects the distinct texts of a batch, in order of first appearance.
   *
   * @param chunks the batch
   * @return the distinct texts
   */
  static DistinctTexts of(List<Chunk> chunks) {
    Map<String, Integer> index = new HashMap<>();
    List<String> texts = new ArrayList<>();
    int[] textOfChunk = new int[chunks.size()];
    for (int i = 0; i < chunks.size(); i++) {
      String text = chunks.get(i).text();
      Integer at = index.get(text);
      if (at == null) {
        at = texts.size();
        index.put(text, at);
        texts.add(text);
      }
      textOfChunk[i] = at;
    }
    return new DistinctTexts(List.copyOf(texts), textOfChunk);
  }

  /** Returns the distinct texts, in order of first appearance. */
  List<String> texts() {
    return texts;
  }

  /** Returns the index in {@link #texts()} of the text of the batch's i-th chunk. */
  int textOf(int chunk) {
    return textOfChunk[chunk];
  }

  /** Returns how many chunks share a text with an earlier chunk of the batch. */
  int duplicates() {
    return textOfChunk.length - texts.size();
  }
}
