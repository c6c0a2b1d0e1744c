package dev.portfolio.examples.bench;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.text.KeywordTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Synthetic documents whose vectors are shaped like text embeddings of a corpus: each document
 * belongs to one of 200 topics, its chunks scatter around the document, and everything lives in a
 * 32-dimensional latent space projected to 384 dimensions plus isotropic noise, then normalised
 * (embedding models produce vectors of low intrinsic dimension, and chunks of one document or topic
 * are similar). Queries are drawn the same way, not taken from the data. Texts are ~500 characters
 * of Zipf-distributed pseudo-words from a 5,000-word vocabulary; keyword queries are 3 to 5 words
 * picked from a random chunk's text.
 *
 * <p>Chunk {@code i} of document {@code d} is row {@code d * 10 + i} everywhere: in the exact top
 * 10, in the random version-4 UUIDs the flat-table baselines use as keys (the row number is kept in
 * the low 32 bits, so a search hit maps back to it), and in the per-row metadata.
 */
record SyntheticCorpus(
    List<DocumentInput> documents,
    List<DocumentInput> updated,
    List<Embedding> queries,
    List<String> keywordQueries,
    UUID[] rowIds,
    long[][] exact,
    int rows,
    int meanTextLength) {

  static final int CHUNKS_PER_DOCUMENT = 10;
  static final int DIMENSION = 384;
  static final int QUERIES = 1000;
  static final String MODEL = "bench:synthetic-384";
  private static final int LATENT = 32;
  private static final int TOPICS = 200;
  private static final double TOPIC_SPREAD = 1.0;
  private static final double DOC_SPREAD = 0.6;
  private static final double CHUNK_SPREAD = 0.5;
  private static final double[][] TOPIC_CENTERS = topicCenters();

  private static double[][] topicCenters() {
    SplittableRandom r = new SplittableRandom(42);
    double[][] c = new double[TOPICS][LATENT];
    for (double[] row : c) {
      for (int k = 0; k < LATENT; k++) {
        row[k] = r.nextGaussian();
      }
    }
    return c;
  }

  static SyntheticCorpus generate(int docs, long seed) {
    return generate(docs, seed, true);
  }

  /**
   * Generates the corpus; without {@code exact}, the exact top 10 of the queries (minutes of CPU at
   * 100,000 rows) is not computed and {@link #exactTop10} must not be called.
   */
  static SyntheticCorpus generate(int docs, long seed, boolean exact) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] projection = new float[LATENT][DIMENSION];
    for (float[] row : projection) {
      for (int j = 0; j < DIMENSION; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    String[] vocabulary = vocabulary(r, 5000);
    int rows = docs * CHUNKS_PER_DOCUMENT;
    String[] texts = new String[rows];
    long textChars = 0;
    for (int i = 0; i < rows; i++) {
      texts[i] = text(r, vocabulary, 500);
      textChars += texts[i].length();
    }
    List<DocumentInput> documents =
        documents(docs, texts, projection, new SplittableRandom(seed + 1));
    List<DocumentInput> updated =
        documents(docs, texts, projection, new SplittableRandom(seed + 2));
    // Recall is measured after the update, so the exact answers are over the updated vectors.
    float[] stored = new float[rows * DIMENSION];
    for (int d = 0; d < docs; d++) {
      for (int i = 0; i < CHUNKS_PER_DOCUMENT; i++) {
        float[] v = updated.get(d).chunks().get(i).embedding().toArray();
        System.arraycopy(v, 0, stored, (d * CHUNKS_PER_DOCUMENT + i) * DIMENSION, DIMENSION);
      }
    }
    SplittableRandom qr = new SplittableRandom(seed + 3);
    List<Embedding> queries = new ArrayList<>();
    List<String> keywordQueries = new ArrayList<>();
    SplittableRandom kr = new SplittableRandom(seed + 5);
    for (int q = 0; q < QUERIES; q++) {
      queries.add(embedding(qr, projection, documentLatent(qr, qr.nextInt(TOPICS))));
      List<String> words = KeywordTokenizer.words(texts[kr.nextInt(rows)]);
      int n = 3 + kr.nextInt(3);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < n; w++) {
        sb.append(w == 0 ? "" : " ").append(words.get(kr.nextInt(words.size())));
      }
      keywordQueries.add(sb.toString());
    }
    SplittableRandom ur = new SplittableRandom(seed + 4);
    UUID[] rowIds = new UUID[rows];
    for (int i = 0; i < rows; i++) {
      long high = (ur.nextLong() & ~0xF000L) | 0x4000L; // version 4
      long low = 0x8000_0000_0000_0000L | (ur.nextLong() & 0x3FFF_FFFF_0000_0000L) | i;
      rowIds[i] = new UUID(high, low);
    }
    return new SyntheticCorpus(
        documents,
        updated,
        queries,
        keywordQueries,
        rowIds,
        exact ? computeExact(queries, stored, rows) : null,
        rows,
        (int) (textChars / rows));
  }

  /** The row number (document * 10 + ordinal) a row id of {@link #rowIds()} stands for. */
  static int rowOf(UUID id) {
    return (int) (id.getLeastSignificantBits() & 0xFFFF_FFFFL);
  }

  /** The chunk of a row, as loaded first (not the updated vectors). */
  ChunkInput chunk(int row) {
    return documents.get(row / CHUNKS_PER_DOCUMENT).chunks().get(row % CHUNKS_PER_DOCUMENT);
  }

  /**
   * The metadata a flat-table row carries, as a JSON object: the document key and ordinal (which a
   * flat table must keep to find a document's chunks) and the corpus, all as strings.
   */
  static String metadataJson(int row) {
    return "{\"corpus\":\"bench\",\"document\":\"doc-"
        + row / CHUNKS_PER_DOCUMENT
        + "\",\"ordinal\":\""
        + row % CHUNKS_PER_DOCUMENT
        + "\"}";
  }

  /** The ids (document * 10 + ordinal) of the 10 stored vectors nearest to a query. */
  long[] exactTop10(int query) {
    return exact[query];
  }

  private static long[][] computeExact(List<Embedding> queries, float[] stored, int rows) {
    long start = System.nanoTime();
    long[][] out =
        IntStream.range(0, queries.size())
            .parallel()
            .mapToObj(
                q -> {
                  float[] v = queries.get(q).toArray();
                  long[] best = new long[10];
                  double[] bestScore = new double[10];
                  Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
                  for (int i = 0; i < rows; i++) {
                    double dot = 0;
                    int base = i * DIMENSION;
                    for (int j = 0; j < DIMENSION; j++) {
                      dot += v[j] * stored[base + j];
                    }
                    if (dot > bestScore[9]) {
                      int k = 9;
                      while (k > 0 && bestScore[k - 1] < dot) {
                        bestScore[k] = bestScore[k - 1];
                        best[k] = best[k - 1];
                        k--;
                      }
                      bestScore[k] = dot;
                      best[k] = i;
                    }
                  }
                  return best;
                })
            .toArray(long[][]::new);
    System.out.printf(
        Locale.ROOT, "exact top-10 computed in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return out;
  }

  private static List<DocumentInput> documents(
      int docs, String[] texts, float[][] projection, SplittableRandom r) {
    List<DocumentInput> out = new ArrayList<>(docs);
    for (int d = 0; d < docs; d++) {
      double[] doc = documentLatent(r, d % TOPICS);
      List<ChunkInput> chunks = new ArrayList<>(CHUNKS_PER_DOCUMENT);
      for (int i = 0; i < CHUNKS_PER_DOCUMENT; i++) {
        chunks.add(
            new ChunkInput(
                i,
                texts[d * CHUNKS_PER_DOCUMENT + i],
                110,
                embedding(r, projection, doc),
                MODEL,
                null));
      }
      out.add(
          DocumentInput.builder("doc-" + d)
              .sourceId("source-" + (d % 100))
              .fingerprint("fp-" + d)
              .metadata("corpus", "bench")
              .chunks(chunks)
              .build());
    }
    return out;
  }

  private static double[] documentLatent(SplittableRandom r, int topic) {
    double[] doc = new double[LATENT];
    for (int k = 0; k < LATENT; k++) {
      doc[k] = TOPIC_SPREAD * TOPIC_CENTERS[topic][k] + DOC_SPREAD * r.nextGaussian();
    }
    return doc;
  }

  private static Embedding embedding(SplittableRandom r, float[][] projection, double[] document) {
    double[] latent = new double[LATENT];
    for (int k = 0; k < LATENT; k++) {
      latent[k] = document[k] + CHUNK_SPREAD * r.nextGaussian();
    }
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int j = 0; j < DIMENSION; j++) {
      double x = 0.3 * r.nextGaussian();
      for (int k = 0; k < LATENT; k++) {
        x += latent[k] * projection[k][j];
      }
      v[j] = (float) x;
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < DIMENSION; j++) {
      v[j] *= inv;
    }
    return Embedding.of(v);
  }

  /** A vocabulary of made-up words, frequent letters more often (shared by the benchmarks). */
  static String[] vocabulary(SplittableRandom r, int size) {
    String letters = "etaoinshrdlcumwfgypbvkjxqz";
    String[] words = new String[size];
    for (int i = 0; i < size; i++) {
      int len = 2 + r.nextInt(9);
      StringBuilder sb = new StringBuilder(len);
      for (int c = 0; c < len; c++) {
        sb.append(letters.charAt((int) Math.min(25, Math.abs(r.nextGaussian()) * 8)));
      }
      words[i] = sb.toString();
    }
    return words;
  }

  private static String text(SplittableRandom r, String[] vocabulary, int target) {
    StringBuilder sb = new StringBuilder(target + 16);
    while (sb.length() < target) {
      // Zipf-like: frequent words are common, as in prose.
      int w =
          (int)
              Math.min(
                  vocabulary.length - 1, Math.exp(r.nextDouble() * Math.log(vocabulary.length)));
      sb.append(vocabulary[w]).append(sb.length() % 97 == 0 ? ". " : " ");
    }
    return sb.toString().trim();
  }
}
