package dev.portfolio.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Embedder} must meet. Extend it once per implementation and implement
 * {@link #createEmbedder()}:
 *
 * <pre>{@code
 * class MyEmbedderTest extends EmbedderContract {
 *   @Override
 *   protected Embedder createEmbedder() {
 *     return new MyEmbedder(...);
 *   }
 * }
 * }</pre>
 *
 * <p>It checks that {@link Embedder#info()} is consistent, that {@code embed} returns one finite,
 * non-zero vector of the declared dimension per input in input order (each batched vector is
 * compared with the vector of the same text embedded alone: cosine above {@value #SAME_VECTOR}),
 * that batches larger than {@link EmbedderInfo#maxBatchSize()} work, that repeated calls agree,
 * that empty input is a no-op and null input a clear {@link InvalidInputException}, and that usage
 * is never negative. {@code info()} must not make a network call; this suite calls it before any
 * {@code embed}.
 *
 * <p>Test methods are public so that a subclass can override one, for example to disable it with a
 * reason. Each test gets a fresh embedder and closes it afterwards. Remote embedders make real
 * calls: about {@code largeBatchSize() + 40} texts per run.
 *
 * @since 0.1.0
 */
public abstract class EmbedderContract {
  /** Cosine similarity above which two vectors count as the same. */
  protected static final double SAME_VECTOR = 0.999;

  private static final List<String> TEXTS =
      List.of(
          "PostgreSQL stores rows in heap pages.",
          "The cat sat on the warm windowsill.",
          "Vector indexes speed up nearest neighbour search.",
          "Bread is baked from flour, water, salt and yeast.",
          "Exponential backoff spaces out retries.");

  /** The embedder under test, created before each test. */
  protected Embedder embedder;

  /**
   * Creates the embedder under test. Called once per test; the suite closes it.
   *
   * @return a new embedder
   */
  protected abstract Embedder createEmbedder();

  /**
   * Returns how many texts the large-batch test embeds (default: {@code min(maxBatchSize + 1,
   * 300)}). Override to test splitting with a larger count, or to spend fewer calls.
   *
   * @return the number of texts, at least 1
   */
  protected int largeBatchSize() {
    return Math.min(embedder.info().maxBatchSize() + 1, 300);
  }

  /** Creates the embedder under test. */
  @BeforeEach
  public void createEmbedderUnderTest() {
    embedder = createEmbedder();
    assertThat(embedder).as("createEmbedder()").isNotNull();
  }

  /** Closes the embedder under test. */
  @AfterEach
  public void closeEmbedderUnderTest() {
    if (embedder != null) {
      embedder.close();
    }
  }

  @Test
  public void infoIsConsistentAndNeedsNoEmbedCall() {
    EmbedderInfo info = embedder.info();

    assertThat(info).isNotNull();
    assertThat(info.provider()).isNotBlank();
    assertThat(info.model()).isNotBlank();
    assertThat(info.dimension()).isPositive();
    assertThat(info.maxBatchSize()).isPositive();
    assertThat(info.maxInputTokens()).isPositive();
    assertThat(info.modelRef()).isEqualTo(info.provider() + ":" + info.model());
    assertThat(embedder.info()).as("info() is stable").isEqualTo(info);
  }

  @Test
  public void embedReturnsOneVectorPerInputInInputOrder() {
    EmbeddingBatch batch = embedder.embed(TEXTS);

    assertThat(batch.embeddings()).hasSameSizeAs(TEXTS);
    for (int i = 0; i < TEXTS.size(); i++) {
      Embedding alone = embedder.embed(List.of(TEXTS.get(i))).embeddings().getFirst();
      assertThat(batch.embeddings().get(i).cosineSimilarity(alone))
          .as("batched vector %d against \"%s\" embedded alone", i, TEXTS.get(i))
          .isGreaterThan(SAME_VECTOR);
    }
  }

  @Test
  public void vectorsHaveTheDeclaredDimensionAndAreNotZero() {
    int dimension = embedder.info().dimension();

    List<Embedding> embeddings = embedder.embed(TEXTS).embeddings();

    assertThat(embeddings)
        .allSatisfy(
            e -> {
              // Components are finite by construction: Embedding.of rejects NaN and infinities.
              assertThat(e.dimension()).isEqualTo(dimension);
              assertThat(e.isZero()).as("zero vector").isFalse();
            });
  }

  @Test
  public void embedOfAnEmptyListReturnsAnEmptyBatch() {
    EmbeddingBatch batch = embedder.embed(List.of());

    assertThat(batch.embeddings()).isEmpty();
    assertThat(batch.usage().requests()).as("requests sent for no input").isZero();
  }

  @Test
  public void embedOfMoreTextsThanMaxBatchSizeReturnsEveryVectorInOrder() {
    int count = largeBatchSize();
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      texts.add("Item number " + i + " in a large batch about topic " + (i * 7919 % 1000) + ".");
    }

    List<Embedding> embeddings = embedder.embed(texts).embeddings();

    assertThat(embeddings).hasSize(count);
    int dimension = embedder.info().dimension();
    assertThat(embeddings).allSatisfy(e -> assertThat(e.dimension()).isEqualTo(dimension));
    int lastOfFirstBatch = Math.min(embedder.info().maxBatchSize(), count) - 1;
    for (int i :
        new int[] {0, lastOfFirstBatch, Math.min(lastOfFirstBatch + 1, count - 1), count - 1}) {
      Embedding alone = embedder.embed(List.of(texts.get(i))).embeddings().getFirst();
      assertThat(embeddings.get(i).cosineSimilarity(alone))
          .as("vector %d of %d against its text embedded alone", i, count)
          .isGreaterThan(SAME_VECTOR);
    }
  }

  @Test
  public void embedIsDeterministicForTheSameInput() {
    List<Embedding> first = embedder.embed(TEXTS).embeddings();
    List<Embedding> second = embedder.embed(TEXTS).embeddings();

    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(first.get(i).cosineSimilarity(second.get(i)))
          .as("text %d embedded twice", i)
          .isGreaterThan(SAME_VECTOR);
    }
  }

  @Test
  public void embedAcceptsQueriesAsWellAsDocuments() {
    EmbeddingBatch batch = embedder.embed(List.of("how do vector indexes work?"), InputType.QUERY);

    assertThat(batch.embeddings()).hasSize(1);
    assertThat(batch.embeddings().getFirst().dimension()).isEqualTo(embedder.info().dimension());
  }

  @Test
  public void embedRejectsANullList() {
    assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  public void embedRejectsANullElementNamingItsIndex() {
    List<String> texts = Arrays.asList("first", "second", null);

    assertThatThrownBy(() -> embedder.embed(texts))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageMatching("(?s).*\\b2\\b.*");
  }

  @Test
  public void usageIsNeverNegative() {
    EmbeddingBatch batch = embedder.embed(TEXTS);

    assertThat(batch.usage().tokens()).isGreaterThanOrEqualTo(0);
    assertThat(batch.usage().requests()).isGreaterThanOrEqualTo(0);
    assertThat(batch.usage().retries()).isGreaterThanOrEqualTo(0);
  }

  @Test
  public void embedHandlesUnicodeText() {
    List<String> texts =
        List.of(
            "Grüße aus Köln, naïve café",
            "向量索引加速最近邻搜索",
            "ベクトル検索",
            "emoji \ud83d\ude80\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 and flags \ud83c\uddeb\ud83c\uddf7",
            "combining e\u0301 and \u0627\u0644\u0639\u0631\u0628\u064a\u0629 right-to-left");

    List<Embedding> embeddings = embedder.embed(texts).embeddings();

    assertThat(embeddings).hasSize(texts.size());
    assertThat(embeddings)
        .allSatisfy(
            e -> {
              assertThat(e.dimension()).isEqualTo(embedder.info().dimension());
              assertThat(e.isZero()).isFalse();
            });
  }
}
