package dev.portfolio.embedders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.InputType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled bge-small-en-v1.5 model: its defaults, the query instruction, and retrieval. */
class OnnxBgeEmbedderTest {
  private static final String PREFIX = "Represent this sentence for searching relevant passages: ";
  private static final List<String> PASSAGES =
      List.of(
          "Vaccines expose the immune system to a harmless piece of a pathogen, so that it learns"
              + " to produce antibodies and memory cells before a real infection.",
          "A write-ahead log records every change before it reaches the data files, so a database"
              + " can replay it after a crash.",
          "Espresso is brewed by forcing hot water through finely ground coffee under pressure.",
          "Exponential backoff with jitter spreads retries of failed requests over time.");

  private static Embedder bge;

  @BeforeAll
  static void open() {
    bge = new OnnxEmbedderProvider().create(Map.of("bundled", "bge-small-en-v1.5"));
  }

  @AfterAll
  static void close() {
    bge.close();
  }

  @Test
  void describesTheModelWithItsOwnDefaults() {
    EmbedderInfo info = bge.info();
    assertThat(info.modelRef()).isEqualTo("onnx:bge-small-en-v1.5-int8");
    assertThat(info.dimension()).isEqualTo(384);
    assertThat(info.maxInputTokens()).isEqualTo(512);
    assertThat(bge.toString()).contains("maxLength=512");
  }

  @Test
  void queriesCarryTheInstructionAndDocumentsDoNot() {
    String query = "how do vaccines train the immune system";
    Embedding asQuery = bge.embedQuery(query);
    List<Embedding> asDocuments =
        bge.embed(List.of(query, PREFIX + query), InputType.DOCUMENT).embeddings();
    assertThat(asQuery.toArray()).isEqualTo(asDocuments.get(1).toArray());
    assertThat(cosine(asQuery, asDocuments.get(0))).isLessThan(0.999);
  }

  @Test
  void instructionCanBeReplacedOrTurnedOff() {
    String query = "crash recovery";
    try (Embedder none =
            new OnnxEmbedderProvider()
                .create(Map.of("bundled", "bge-small-en-v1.5", "queryPrefix", "none"));
        Embedder custom =
            new OnnxEmbedderProvider()
                .create(Map.of("bundled", "bge-small-en-v1.5", "queryPrefix", "query:"))) {
      assertThat(none.embedQuery(query).toArray())
          .isEqualTo(bge.embed(List.of(query)).embeddings().get(0).toArray());
      assertThat(custom.embedQuery(query).toArray())
          .isEqualTo(custom.embed(List.of("query: " + query)).embeddings().get(0).toArray());
    }
  }

  @Test
  void ranksThePassageThatAnswersEachQueryFirst() {
    List<Embedding> passages = bge.embed(PASSAGES).embeddings();
    List<String> queries =
        List.of(
            "how do vaccines train the immune system",
            "database crash recovery",
            "how is espresso made",
            "retrying failed HTTP calls");
    for (int q = 0; q < queries.size(); q++) {
      Embedding query = bge.embedQuery(queries.get(q));
      int best = 0;
      for (int p = 1; p < passages.size(); p++) {
        if (cosine(query, passages.get(p)) > cosine(query, passages.get(best))) {
          best = p;
        }
      }
      assertThat(best).as("best passage for '%s'", queries.get(q)).isEqualTo(q);
    }
  }

  @Test
  void theBundledTokenizerIsTheOneTheReferenceTestChecks() throws IOException {
    // The reference test compares our WordPiece ids with HuggingFace's on the MiniLM tokenizer;
    // bge-small ships the same vocabulary and normaliser, so that test covers it too.
    JsonNode bgeTokenizer = read("bge-small-en-v1.5-q-tokenizer.json");
    JsonNode miniLm = read("all-minilm-l6-v2-q-tokenizer.json");
    for (String part : List.of("model", "normalizer", "pre_tokenizer", "added_tokens")) {
      assertThat(bgeTokenizer.get(part)).as(part).isEqualTo(miniLm.get(part));
    }
  }

  @Test
  void rejectsUnknownModelsAndMissingPrecisions() {
    assertThatThrownBy(() -> new OnnxEmbedderProvider().create(Map.of("bundled", "e5-large")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "onnx option 'bundled' must be all-minilm-l6-v2 or bge-small-en-v1.5 (was"
                + " \"e5-large\")");
    assertThatThrownBy(
            () ->
                new OnnxEmbedderProvider()
                    .create(Map.of("bundled", "bge-small-en-v1.5", "variant", "fp32")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("must be quantized for bundled=bge-small-en-v1.5");
    assertThatThrownBy(
            () ->
                new OnnxEmbedderProvider()
                    .create(
                        Map.of(
                            "bundled", "bge-small-en-v1.5",
                            "modelPath", "/tmp/m.onnx",
                            "tokenizerPath", "/tmp/t.json")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'bundled' selects a bundled model and cannot be combined");
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in =
        OnnxBgeEmbedderTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private static double cosine(Embedding a, Embedding b) {
    return a.cosineSimilarity(b);
  }
}
