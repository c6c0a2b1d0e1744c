package dev.portfolio.core.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.testkit.EmbedderContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HashingEmbedderTest extends EmbedderContract {

  @Override
  protected Embedder createEmbedder() {
    return new HashingEmbedder();
  }

  private static Embedding embed(Embedder embedder, String text) {
    return embedder.embed(List.of(text)).embeddings().getFirst();
  }

  @Test
  void infoDescribesTheHashingModel() {
    assertThat(embedder.info().provider()).isEqualTo("hashing");
    assertThat(embedder.info().model()).isEqualTo("hashing-v1");
    assertThat(embedder.info().modelRef()).isEqualTo("hashing:hashing-v1");
    assertThat(embedder.info().dimension()).isEqualTo(384);
    assertThat(embedder.info().maxBatchSize()).isEqualTo(10_000);
    assertThat(embedder.info().maxInputTokens()).isEqualTo(8192);
  }

  @Test
  void textsSharingWordsScoreHigherThanUnrelatedTexts() {
    Embedding query = embed(embedder, "how to tune the HNSW index for recall");
    Embedding related = embed(embedder, "Tuning an HNSW index: recall versus latency");
    Embedding unrelated = embed(embedder, "Coral reefs grow slowly in warm shallow seas");

    assertThat(query.cosineSimilarity(related)).isGreaterThan(0.2);
    assertThat(query.cosineSimilarity(related))
        .isGreaterThan(query.cosineSimilarity(unrelated) + 0.2);
  }

  @Test
  void characterTrigramsMakeSpellingVariantsSimilar() {
    Embedding color = embed(embedder, "colour");
    Embedding colors = embed(embedder, "colours");
    Embedding other = embed(embedder, "teapot");

    assertThat(color.cosineSimilarity(colors)).isGreaterThan(color.cosineSimilarity(other) + 0.2);
  }

  @Test
  void vectorsHaveUnitLength() {
    List<Embedding> embeddings =
        embedder.embed(List.of("a", "hello world", "x".repeat(10_000), "", "!!!")).embeddings();

    assertThat(embeddings).allSatisfy(e -> assertThat(e.norm()).isCloseTo(1.0, within(1e-5)));
  }

  @Test
  void textWithoutLettersOrDigitsEmbedsToTheFirstUnitVector() {
    float[] expected = new float[384];
    expected[0] = 1f;

    for (String text : List.of("", "   ", "?!...", "\ud83d\ude00\ud83d\ude80")) {
      assertThat(embed(embedder, text).toArray()).as("\"%s\"", text).containsExactly(expected);
    }
  }

  @Test
  void caseAndCompatibilityFormsDoNotChangeTheVector() {
    assertThat(embed(embedder, "ＨＥＬＬＯ Wörld"))
        .isEqualTo(embed(embedder, "hello wo\u0308rld"))
        .isEqualTo(embed(embedder, "Hello, WÖRLD!"));
  }

  @Test
  void vectorsAreIdenticalAcrossInstancesAndInputTypes() {
    Embedder other = new HashingEmbedder();
    String text = "Deterministic hashing needs no model files.";

    assertThat(embed(other, text)).isEqualTo(embed(embedder, text));
    assertThat(other.embed(List.of(text), InputType.QUERY).embeddings().getFirst())
        .isEqualTo(embed(embedder, text));
  }

  @Test
  void vectorsOfHashingV1NeverChange() {
    Embedder small = new HashingEmbedder(16);

    float[] vector = embed(small, "Hello, world!").toArray();

    // Pinned: a change here changes every stored hashing-v1 vector; bump MODEL_ID instead.
    float a = 0.20412415f;
    float b = 0.61237246f;
    assertThat(vector)
        .containsExactly(
            new float[] {0, 0, a, 0, a, 0, a, a, 0, 0, -b, 0, -a, b, 0, -a}, within(1e-6f));
  }

  @Test
  void usageCountsWordsAsTokens() {
    EmbeddingBatch batch = embedder.embed(List.of("one two three", "four, five!", "", "你好"));

    assertThat(batch.usage().tokens()).isEqualTo(7);
    assertThat(batch.usage().requests()).isEqualTo(1);
    assertThat(batch.usage().retries()).isZero();
  }

  @Test
  void nullElementIsRejectedNamingItsIndex() {
    assertThatThrownBy(() -> embedder.embed(Arrays.asList("a", null)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("texts[1] is null; every text must be non-null (use \"\" for an empty text).");
    assertThatThrownBy(() -> embedder.embed(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("texts must not be null");
  }

  @Test
  void dimensionIsConfigurable() {
    assertThat(embed(new HashingEmbedder(1), "anything").toArray()).hasSize(1);
    assertThat(embed(new HashingEmbedder(16_000), "anything").dimension()).isEqualTo(16_000);
    assertThatThrownBy(() -> new HashingEmbedder(0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("dimension must be between 1 and 16000 (was 0)");
  }

  @Test
  void concurrentCallsGiveTheSameVectorsAsSequentialOnes() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      texts.add("text number " + i + " about subject " + (i % 13));
    }
    List<Embedding> expected = embedder.embed(texts).embeddings();

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Embedding>>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        futures.add(pool.submit(() -> embedder.embed(texts).embeddings()));
      }
      for (Future<List<Embedding>> future : futures) {
        assertThat(future.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void providerIsFoundByIdWithItsDimensionOption() {
    try (Embedder created = Providers.embedder(Map.of("provider", "hashing", "dimension", "64"))) {
      assertThat(created).isInstanceOf(HashingEmbedder.class);
      assertThat(created.info().dimension()).isEqualTo(64);
      assertThat(created.info().modelRef()).isEqualTo("hashing:hashing-v1");
      assertThat(embed(created, "hello").dimension()).isEqualTo(64);
    }
  }

  @Test
  void providerDefaultsTo384Dimensions() {
    assertThat(new HashingEmbedderProvider().create(Map.of()).info().dimension()).isEqualTo(384);
    assertThat(Providers.available(EmbedderProvider.class))
        .anySatisfy(p -> assertThat(p).isInstanceOf(HashingEmbedderProvider.class));
  }

  @Test
  void providerRejectsUnknownOptionsListingTheKnownOnes() {
    assertThatThrownBy(() -> Providers.embedder(Map.of("provider", "hashing", "dim", "64")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Unknown hashing option [dim]. Known options: [dimension, provider].");
  }

  @Test
  void providerRejectsAnOutOfRangeDimension() {
    assertThatThrownBy(() -> new HashingEmbedderProvider().create(Map.of("dimension", "16001")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("hashing option 'dimension' must be between 1 and 16000 (was 16001)");
    assertThatThrownBy(() -> new HashingEmbedderProvider().create(Map.of("dimension", "big")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("hashing option 'dimension' must be an integer (was \"big\")");
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }

  private static org.assertj.core.data.Offset<Float> within(float offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }
}
