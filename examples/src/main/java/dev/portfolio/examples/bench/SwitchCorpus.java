package dev.portfolio.examples.bench;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The synthetic corpus of {@link ModelSwitchBenchmark}, generated on demand from a seed so that
 * nothing is held in memory but what a step asks for: the text of chunk {@code (d, i)} and its
 * vector under a model are functions of the document number, the ordinal and the model.
 *
 * <p>Vectors are shaped like text embeddings (as in {@link PgVectorLoadBenchmark}): each document
 * belongs to one of 200 topics, its chunks scatter around it in a 32-dimensional latent space, and
 * a model projects that latent point to its own dimension with its own random matrix, adds
 * isotropic noise and normalises. Two models therefore embed the same corpus differently but
 * consistently, so HNSW recall means something in either. Texts are ~500 characters of
 * Zipf-distributed pseudo-words from a 5,000-word vocabulary.
 */
final class SwitchCorpus {
  /** Chunks per document. */
  static final int CHUNKS_PER_DOCUMENT = 10;

  private static final int LATENT = 32;
  private static final int TOPICS = 200;
  private static final double TOPIC_SPREAD = 1.0;
  private static final double DOC_SPREAD = 0.6;
  private static final double CHUNK_SPREAD = 0.5;
  private static final double NOISE = 0.3;
  private static final int TEXT_LENGTH = 500;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long TEXT = 1;
  private static final long DOCUMENT = 2;
  private static final long CHUNK = 3;
  private static final long QUERY = 4;

  /**
   * An embedding model of the corpus: a name, a dimension and the projection its seed yields.
   *
   * @param name the model reference stored with the vectors
   * @param dimension the vector dimension
   * @param seed the seed of its projection and noise
   */
  record Model(String name, int dimension, long seed) {}

  private final int documents;
  private final long seed;
  private final double[][] topicCenters;
  private final String[] vocabulary;

  SwitchCorpus(int documents, long seed) {
    this.documents = documents;
    this.seed = seed;
    SplittableRandom r = new SplittableRandom(seed);
    this.topicCenters = new double[TOPICS][LATENT];
    for (double[] row : topicCenters) {
      for (int k = 0; k < LATENT; k++) {
        row[k] = r.nextGaussian();
      }
    }
    this.vocabulary = SyntheticCorpus.vocabulary(r, 5000);
  }

  int documents() {
    return documents;
  }

  int chunks() {
    return documents * CHUNKS_PER_DOCUMENT;
  }

  /** The document key of document {@code d}; {@link #chunkNumber} reads it back. */
  static String key(int d) {
    return "doc-" + d;
  }

  /** The corpus-wide number (0 to chunks - 1) of a stored chunk, from its key and ordinal. */
  static int chunkNumber(String documentKey, int ordinal) {
    return Integer.parseInt(documentKey.substring(4)) * CHUNKS_PER_DOCUMENT + ordinal;
  }

  /** The text of chunk {@code n}. */
  String text(int n) {
    SplittableRandom r = rng(TEXT, n);
    StringBuilder sb = new StringBuilder(TEXT_LENGTH + 16);
    while (sb.length() < TEXT_LENGTH) {
      // Zipf-like: frequent words are common, as in prose.
      int w =
          (int)
              Math.min(
                  vocabulary.length - 1, Math.exp(r.nextDouble() * Math.log(vocabulary.length)));
      sb.append(vocabulary[w]).append(sb.length() % 97 == 0 ? ". " : " ");
    }
    return sb.toString().trim();
  }

  /**
   * Documents {@code from} (inclusive) to {@code to} (exclusive) with their chunks' texts and
   * vectors under a model, ready for {@code upsert}.
   */
  List<DocumentInput> documents(int from, int to, Model model) {
    float[][] projection = projection(model);
    List<DocumentInput> out = new ArrayList<>(to - from);
    for (int d = from; d < to; d++) {
      List<ChunkInput> chunks = new ArrayList<>(CHUNKS_PER_DOCUMENT);
      for (int i = 0; i < CHUNKS_PER_DOCUMENT; i++) {
        int n = d * CHUNKS_PER_DOCUMENT + i;
        chunks.add(
            new ChunkInput(i, text(n), 110, vector(model, projection, n), model.name(), null));
      }
      out.add(
          DocumentInput.builder(key(d))
              .sourceId("source-" + (d % 100))
              .fingerprint("fp-" + d)
              .metadata("corpus", "bench")
              .chunks(chunks)
              .build());
    }
    return out;
  }

  /**
   * Every chunk's vector under a model, indexed by chunk number: the precomputed output of a
   * zero-cost embedder (about {@code chunks * dimension * 4} bytes).
   */
  Embedding[] embedAll(Model model) {
    float[][] projection = projection(model);
    return IntStream.range(0, chunks())
        .parallel()
        .mapToObj(n -> vector(model, projection, n))
        .toArray(Embedding[]::new);
  }

  /**
   * Query vectors under a model: query {@code q} is the same latent point in every model, near a
   * random topic, so a query means the same thing before and after a switch.
   */
  List<Embedding> queries(Model model, int count) {
    float[][] projection = projection(model);
    List<Embedding> out = new ArrayList<>(count);
    for (int q = 0; q < count; q++) {
      SplittableRandom r = rng(QUERY, q);
      double[] latent = documentLatent(r, r.nextInt(TOPICS));
      for (int k = 0; k < LATENT; k++) {
        latent[k] += CHUNK_SPREAD * r.nextGaussian();
      }
      out.add(project(latent, projection, new SplittableRandom(mix(model.seed(), QUERY, q))));
    }
    return out;
  }

  private Embedding vector(Model model, float[][] projection, int n) {
    int d = n / CHUNKS_PER_DOCUMENT;
    double[] latent = documentLatent(rng(DOCUMENT, d), d % TOPICS);
    SplittableRandom r = rng(CHUNK, n);
    for (int k = 0; k < LATENT; k++) {
      latent[k] += CHUNK_SPREAD * r.nextGaussian();
    }
    return project(latent, projection, new SplittableRandom(mix(model.seed(), CHUNK, n)));
  }

  private static Embedding project(double[] latent, float[][] projection, SplittableRandom noise) {
    int dimension = projection[0].length;
    float[] v = new float[dimension];
    double norm = 0;
    for (int j = 0; j < dimension; j++) {
      double x = NOISE * noise.nextGaussian();
      for (int k = 0; k < LATENT; k++) {
        x += latent[k] * projection[k][j];
      }
      v[j] = (float) x;
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < dimension; j++) {
      v[j] *= inv;
    }
    return Embedding.of(v);
  }

  private double[] documentLatent(SplittableRandom r, int topic) {
    double[] doc = new double[LATENT];
    for (int k = 0; k < LATENT; k++) {
      doc[k] = TOPIC_SPREAD * topicCenters[topic][k] + DOC_SPREAD * r.nextGaussian();
    }
    return doc;
  }

  private static float[][] projection(Model model) {
    SplittableRandom r = new SplittableRandom(model.seed());
    float[][] p = new float[LATENT][model.dimension()];
    for (float[] row : p) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return p;
  }

  private SplittableRandom rng(long purpose, long n) {
    return new SplittableRandom(mix(seed, purpose, n));
  }

  private static long mix(long seed, long purpose, long n) {
    return ((seed * GOLDEN + purpose) * GOLDEN + n) * GOLDEN;
  }
}
