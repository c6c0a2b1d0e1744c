package dev.portfolio.embedders.onnx;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProviderConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The options of the {@code onnx} embedder, read and validated once.
 *
 * @param bundled the bundled model to use, or null when {@code modelPath} names a custom one
 * @param modelPath the custom model file, or null
 * @param tokenizerPath the custom tokenizer.json, or null
 * @param model the model id reported by {@code info()}
 * @param threads how many inference runs execute in parallel
 * @param intraOpThreads ONNX Runtime threads inside one run
 * @param batchSize texts per inference run
 * @param maxLength longest token sequence, special tokens included; longer texts are truncated
 * @param pooling how token vectors become one vector
 * @param normalize whether vectors are scaled to unit length
 * @param queryPrefix the text put in front of every {@code QUERY} input (empty for none)
 */
record OnnxSettings(
    BundledModel bundled,
    Path modelPath,
    Path tokenizerPath,
    String model,
    int threads,
    int intraOpThreads,
    int batchSize,
    int maxLength,
    Pooling pooling,
    boolean normalize,
    String queryPrefix) {

  /** How token vectors are combined. */
  enum Pooling {
    /** The mean of the token vectors under the attention mask (sentence-transformers default). */
    MEAN,
    /** The vector of the first token ({@code [CLS]}). */
    CLS
  }

  /** Default number of parallel inference runs: the processors, at most 4. */
  static int defaultThreads() {
    return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
  }

  static OnnxSettings read(Map<String, String> values) {
    ProviderConfig c = ProviderConfig.of(OnnxEmbedderProvider.ID, values);
    Optional<String> modelPathRaw = c.string("modelPath");
    Optional<String> tokenizerPathRaw = c.string("tokenizerPath");
    Optional<String> variantRaw = c.string("variant");
    Optional<String> bundledRaw = c.string("bundled");
    if (modelPathRaw.isPresent() != tokenizerPathRaw.isPresent()) {
      String missing = modelPathRaw.isEmpty() ? "modelPath" : "tokenizerPath";
      throw new InvalidInputException(
          missing,
          "onnx options 'modelPath' and 'tokenizerPath' go together: '"
              + missing
              + "' is missing. Set both to use a custom model, or neither to use the bundled"
              + " model.");
    }
    BundledModel bundled = null;
    Path modelPath = null;
    Path tokenizerPath = null;
    String defaultModelName;
    int maxPositions;
    Pooling defaultPooling = Pooling.MEAN;
    int defaultMaxLength = 256;
    String defaultQueryPrefix = "";
    if (modelPathRaw.isEmpty() || tokenizerPathRaw.isEmpty()) {
      bundled = BundledModel.parse(bundledRaw.orElse(BundledModel.MINILM), variantRaw.orElse(null));
      defaultModelName = bundled.modelName();
      maxPositions = 512;
      defaultPooling = bundled.pooling();
      defaultMaxLength = bundled.maxLength();
      defaultQueryPrefix = bundled.queryPrefix();
    } else {
      String option = variantRaw.isPresent() ? "variant" : "bundled";
      if (variantRaw.isPresent() || bundledRaw.isPresent()) {
        throw new InvalidInputException(
            option,
            "onnx option '"
                + option
                + "' selects a bundled model and cannot be combined with 'modelPath'. Remove one"
                + " of them.");
      }
      modelPath = Path.of(modelPathRaw.get());
      tokenizerPath = Path.of(tokenizerPathRaw.get());
      Path fileName = modelPath.getFileName();
      String file = fileName == null ? "model" : fileName.toString();
      defaultModelName = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
      maxPositions = 8192;
    }
    String model = c.string("model", defaultModelName);
    int threads = c.integer("threads", defaultThreads(), 1, 256);
    int intraOpThreads = c.integer("intraOpThreads", 1, 1, 64);
    int batchSize = c.integer("batchSize", 1, 1, 1024);
    int maxLength = c.integer("maxLength", defaultMaxLength, 8, maxPositions);
    Pooling pooling =
        parsePooling(c.string("pooling", defaultPooling.name().toLowerCase(Locale.ROOT)));
    boolean normalize = c.bool("normalize", true);
    String queryPrefix = queryPrefix(c.string("queryPrefix"), defaultQueryPrefix);
    c.rejectUnknown();
    return new OnnxSettings(
        bundled,
        modelPath,
        tokenizerPath,
        model,
        threads,
        intraOpThreads,
        batchSize,
        maxLength,
        pooling,
        normalize,
        queryPrefix);
  }

  /** {@code none} turns the prefix off; a given prefix is followed by one space. */
  private static String queryPrefix(Optional<String> raw, String defaultPrefix) {
    if (raw.isEmpty()) {
      return defaultPrefix;
    }
    String v = raw.get();
    return v.equalsIgnoreCase("none") ? "" : v + " ";
  }

  private static Pooling parsePooling(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "mean" -> Pooling.MEAN;
      case "cls" -> Pooling.CLS;
      default ->
          throw new InvalidInputException(
              "pooling", "onnx option 'pooling' must be mean or cls (was \"" + raw + "\")");
    };
  }
}
