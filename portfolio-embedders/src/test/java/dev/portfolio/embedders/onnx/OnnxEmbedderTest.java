package dev.portfolio.embedders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxEmbedderTest {
  private static final List<String> SENTENCES =
      List.of(
          "The cat sits on the mat.",
          "A kitten is resting on a rug.",
          "PostgreSQL keeps old row versions until VACUUM removes them.",
          "Autovacuum cleans up dead tuples in Postgres tables.",
          "The central bank raised interest rates again.",
          "Inflation pushed the monetary authority to increase borrowing costs.");

  private static Embedder embedder;

  @BeforeAll
  static void open() {
    embedder = new OnnxEmbedderProvider().create(Map.of());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void exposesItsWordPieceTokenizerAsAnExactCounterWithoutTheSpecialTokens() {
    var tokens = embedder.inputTokens();
    assertThat(tokens.exact()).isTrue();
    assertThat(tokens.maxTokens()).isEqualTo(254);
    assertThat(tokens.count("The cat sits on the mat.")).isEqualTo(7);
    // Chunks sized with it reach the model whole: the tokenizer's encoding is not truncated.
    String prose = String.join(" ", java.util.Collections.nCopies(200, SENTENCES.get(2)));
    var chunker =
        new dev.portfolio.core.text.Chunker(
            dev.portfolio.core.text.ChunkerOptions.forEmbedder(tokens));
    var chunks = chunker.chunk(prose);
    assertThat(chunks).hasSizeGreaterThan(10);
    for (var chunk : chunks) {
      assertThat(tokens.fits(chunk.text())).isTrue();
      assertThat(chunk.tokenCount()).isLessThanOrEqualTo(254);
    }
    assertThat(chunks.get(0).tokenCount()).isGreaterThan(127);
  }

  @Test
  void describesTheQuantisedModelWithoutRunningIt() {
    EmbedderInfo info = embedder.info();
    assertThat(info.provider()).isEqualTo("onnx");
    assertThat(info.model()).isEqualTo("all-MiniLM-L6-v2-int8");
    assertThat(info.modelRef()).isEqualTo("onnx:all-MiniLM-L6-v2-int8");
    assertThat(info.dimension()).isEqualTo(384);
    assertThat(info.maxInputTokens()).isEqualTo(256);
  }

  @Test
  void producesUnitLength384DimensionalVectors() {
    EmbeddingBatch batch = embedder.embed(SENTENCES);
    assertThat(batch.embeddings()).hasSize(SENTENCES.size());
    for (Embedding e : batch.embeddings()) {
      assertThat(e.dimension()).isEqualTo(384);
      assertThat(e.norm()).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void givesIdenticalVectorsForIdenticalInputAcrossCallsAndBatchSizes() {
    String text = SENTENCES.get(1);
    Embedding alone = embedder.embed(List.of(text)).embeddings().get(0);
    Embedding again = embedder.embed(List.of(text)).embeddings().get(0);
    List<String> many = new ArrayList<>(SENTENCES);
    many.add(0, "a much longer sentence that pads every other text of a batch " + "x ".repeat(60));
    Embedding inBatch = embedder.embed(many).embeddings().get(2);
    assertThat(again).isEqualTo(alone);
    assertThat(inBatch).isEqualTo(alone);
  }

  @Test
  void keepsInputOrder() {
    List<Embedding> together = embedder.embed(SENTENCES).embeddings();
    for (int i = 0; i < SENTENCES.size(); i++) {
      assertThat(together.get(i))
          .isEqualTo(embedder.embed(List.of(SENTENCES.get(i))).embeddings().get(0));
    }
  }

  @Test
  void scoresRelatedSentencesHigherThanUnrelatedOnes() {
    List<Embedding> e = embedder.embed(SENTENCES).embeddings();
    for (int pair = 0; pair < 3; pair++) {
      Embedding a = e.get(2 * pair);
      Embedding related = e.get(2 * pair + 1);
      double relatedScore = a.cosineSimilarity(related);
      for (int other = 0; other < SENTENCES.size(); other++) {
        if (other / 2 != pair) {
          assertThat(relatedScore)
              .as(
                  "'%s' vs related '%s' and unrelated '%s'",
                  SENTENCES.get(2 * pair), SENTENCES.get(2 * pair + 1), SENTENCES.get(other))
              .isGreaterThan(a.cosineSimilarity(e.get(other)) + 0.1);
        }
      }
    }
  }

  @Test
  void reportsTokensIncludingSpecialTokensAndTruncatesLongTexts() {
    EmbeddingBatch batch = embedder.embed(List.of("Hello, World!", "word ".repeat(1000)));
    assertThat(batch.usage().tokens()).isEqualTo(6 + 256);
    assertThat(batch.usage().requests()).isZero();
    assertThat(batch.usage().retries()).isZero();
  }

  @Test
  void ignoresTheInputTypeBecauseTheModelIsSymmetric() {
    assertThat(embedder.embed(List.of("query text"), InputType.QUERY).embeddings())
        .isEqualTo(embedder.embed(List.of("query text"), InputType.DOCUMENT).embeddings());
  }

  @Test
  void returnsAnEmptyBatchForNoTexts() {
    EmbeddingBatch batch = embedder.embed(List.of());
    assertThat(batch.embeddings()).isEmpty();
    assertThat(batch.usage().tokens()).isZero();
  }

  @Test
  void embedsEmptyAndWhitespaceTextsAsTheSpecialTokensOnly() {
    List<Embedding> e = embedder.embed(List.of("", "   ")).embeddings();
    assertThat(e.get(0)).isEqualTo(e.get(1));
    assertThat(e.get(0).norm()).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void rejectsANullTextNamingItsIndex() {
    List<String> texts = Arrays.asList("a", null);
    assertThatThrownBy(() -> embedder.embed(texts))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("texts must not contain null (element 1 is null)");
  }

  @Test
  void runsSequentiallyWithOneThreadWithTheSameResults() {
    try (Embedder single = new OnnxEmbedderProvider().create(Map.of("threads", "1"))) {
      assertThat(single.embed(SENTENCES).embeddings())
          .isEqualTo(embedder.embed(SENTENCES).embeddings());
    }
  }

  @Test
  void fp32VariantAgreesWithTheQuantisedModelAndIsBatchInvariant() {
    try (Embedder fp32 = new OnnxEmbedderProvider().create(Map.of("variant", "fp32"));
        Embedder fp32Batched =
            new OnnxEmbedderProvider().create(Map.of("variant", "fp32", "batchSize", "4"))) {
      assertThat(fp32.info().modelRef()).isEqualTo("onnx:all-MiniLM-L6-v2");
      List<Embedding> full = fp32.embed(SENTENCES).embeddings();
      List<Embedding> quantised = embedder.embed(SENTENCES).embeddings();
      List<Embedding> batched = fp32Batched.embed(SENTENCES).embeddings();
      for (int i = 0; i < SENTENCES.size(); i++) {
        assertThat(full.get(i).cosineSimilarity(quantised.get(i))).isGreaterThan(0.95);
        assertThat(batched.get(i).l2Distance(full.get(i))).isLessThan(1e-5);
      }
    }
  }

  @Test
  void loadsACustomModelFromFiles(@TempDir Path dir) throws IOException {
    Path model = copyResource("all-minilm-l6-v2-q.onnx", dir.resolve("minilm.onnx"));
    Path tokenizer = copyResource("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tok.json"));
    try (Embedder custom =
        new OnnxEmbedderProvider()
            .create(Map.of("modelPath", model.toString(), "tokenizerPath", tokenizer.toString()))) {
      assertThat(custom.info().modelRef()).isEqualTo("onnx:minilm");
      assertThat(custom.info().dimension()).isEqualTo(384);
      assertThat(custom.embed(SENTENCES).embeddings())
          .isEqualTo(embedder.embed(SENTENCES).embeddings());
    }
  }

  @Test
  void isFoundByIdThroughDiscovery() {
    try (Embedder found = Providers.embedder(Map.of("provider", "onnx", "threads", "1"))) {
      assertThat(found.info().modelRef()).isEqualTo("onnx:all-MiniLM-L6-v2-int8");
    }
  }

  @Test
  void rejectsUnknownOptionsListingTheKnownOnes() {
    assertThatThrownBy(() -> new OnnxEmbedderProvider().create(Map.of("treads", "2")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Unknown onnx option [treads]. Known options: [")
        .hasMessageContaining("threads");
  }

  @Test
  void rejectsAModelPathWithoutTokenizerPath() {
    assertThatThrownBy(() -> new OnnxEmbedderProvider().create(Map.of("modelPath", "/x.onnx")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "onnx options 'modelPath' and 'tokenizerPath' go together: 'tokenizerPath' is"
                + " missing. Set both to use a custom model, or neither to use the bundled"
                + " model.");
  }

  @Test
  void rejectsAnUnknownVariant() {
    assertThatThrownBy(() -> new OnnxEmbedderProvider().create(Map.of("variant", "fp16")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("onnx option 'variant' must be quantized or fp32 (was \"fp16\")");
  }

  @Test
  void rejectsAMissingModelFile(@TempDir Path dir) throws IOException {
    Path tokenizer = copyResource("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tok.json"));
    Map<String, String> config =
        Map.of(
            "modelPath", dir.resolve("missing.onnx").toString(),
            "tokenizerPath", tokenizer.toString());
    assertThatThrownBy(() -> new OnnxEmbedderProvider().create(config))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "onnx option 'modelPath' names "
                + dir.resolve("missing.onnx")
                + ", which is not a readable file. Point it at an .onnx model file.");
  }

  @Test
  void rejectsAFileThatIsNotAnOnnxModel(@TempDir Path dir) throws IOException {
    Path tokenizer = copyResource("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tok.json"));
    Path notModel = Files.writeString(dir.resolve("bad.onnx"), "not a model");
    Map<String, String> config =
        Map.of("modelPath", notModel.toString(), "tokenizerPath", tokenizer.toString());
    assertThatThrownBy(() -> new OnnxEmbedderProvider().create(config))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageStartingWith("ONNX Runtime cannot load model " + notModel + ": ")
        .hasMessageEndingWith("Check that the file is an ONNX sentence-embedding model.")
        .extracting(e -> ((PortfolioException) e).code())
        .isEqualTo(ErrorCode.PROVIDER_FAILED);
  }

  @Test
  void refusesToEmbedAfterClose() {
    Embedder closed = new OnnxEmbedderProvider().create(Map.of("threads", "1"));
    closed.close();
    closed.close();
    assertThatThrownBy(() -> closed.embed(List.of("x")))
        .isInstanceOf(NonRetriableException.class)
        .hasMessage("The onnx embedder onnx:all-MiniLM-L6-v2-int8 is closed; create a new one.");
  }

  @Test
  void showsItsSettingsInToString() {
    assertThat(embedder.toString())
        .startsWith("OnnxEmbedder[model=onnx:all-MiniLM-L6-v2-int8, dimension=384, threads=")
        .endsWith(", batchSize=1, maxLength=256]");
  }

  private static Path copyResource(String name, Path target) throws IOException {
    try (InputStream in = OnnxEmbedderTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      Files.copy(in, target);
    }
    return target;
  }
}
