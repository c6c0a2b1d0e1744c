package dev.portfolio.examples.eval;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.InputTokens;
import dev.portfolio.core.text.Chunker;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.core.text.TextChunk;
import dev.portfolio.embedders.onnx.OnnxEmbedderProvider;
import dev.portfolio.maintenance.ingest.DirectoryLoader;
import dev.portfolio.maintenance.ingest.IngestDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures how much of each chunk the bundled ONNX model (all-MiniLM-L6-v2, 256 tokens with its two
 * special tokens) actually reads, on a real corpus: the fraction of chunks longer than the model's
 * budget (cut silently by the tokenizer) and the fraction of tokens that never reach the model, for
 * the fixed old default (512 approximate tokens) and for chunks sized for the embedder ({@link
 * ChunkerOptions#forEmbedder}, counted with the model's WordPiece tokenizer).
 *
 * <p>Argument: the directory to read (default: the reStructuredText sources of the Python
 * documentation that Debian's {@code python3-doc} installs, {@value #DEFAULT_DIR}) and a glob
 * (default {@code **.txt}).
 */
public final class ChunkSizingReport {
  static final String DEFAULT_DIR = "/usr/share/doc/python3.11-doc/html/_sources";

  private ChunkSizingReport() {}

  /**
   * Runs the report.
   *
   * @param args {@code [directory] [glob]}
   */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : DEFAULT_DIR);
    String glob = args.length > 1 ? args[1] : "**.txt";
    if (!Files.isDirectory(dir)) {
      System.err.println(
          dir + " is missing: apt-get install -y python3-doc, or pass a directory of text files");
      System.exit(2);
    }
    try (Embedder onnx = new OnnxEmbedderProvider().create(Map.of())) {
      InputTokens budget = onnx.inputTokens();
      List<String> texts;
      try (Stream<IngestDocument> docs = DirectoryLoader.builder(dir).glob(glob).build().load()) {
        texts = docs.map(IngestDocument::text).filter(t -> t != null && !t.isBlank()).toList();
      }
      long chars = texts.stream().mapToLong(String::length).sum();
      System.out.printf(
          Locale.ROOT,
          "corpus: %s (%s), %d files, %.1f MB of text; model %s reads %d WordPiece tokens of"
              + " text (%d with [CLS] and [SEP])%n",
          dir,
          glob,
          texts.size(),
          chars / 1e6,
          onnx.info().modelRef(),
          budget.maxTokens(),
          onnx.info().maxInputTokens());
      report("old default (512 approximate tokens)", ChunkerOptions.defaults(), texts, budget);
      report("sized for the embedder", ChunkerOptions.forEmbedder(budget), texts, budget);
    }
  }

  private static void report(
      String label, ChunkerOptions options, List<String> texts, InputTokens budget) {
    Chunker chunker = new Chunker(options);
    long chunks = 0;
    long cut = 0;
    long tokens = 0;
    long lost = 0;
    for (String text : texts) {
      for (TextChunk c : chunker.chunk(text)) {
        int n = budget.count(c.text());
        chunks++;
        tokens += n;
        if (n > budget.maxTokens()) {
          cut++;
          lost += n - budget.maxTokens();
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%-38s size %3d overlap %2d: %7d chunks, %6.2f%% cut by the model, %6.2f%% of tokens"
            + " never embedded%n",
        label,
        options.size(),
        options.overlap(),
        chunks,
        100.0 * cut / chunks,
        100.0 * lost / tokens);
  }
}
