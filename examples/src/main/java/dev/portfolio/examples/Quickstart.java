package dev.portfolio.examples;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.progress.ConsoleProgressReporter;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.text.ChunkUnit;
import dev.portfolio.core.text.Chunker;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.core.text.Fingerprints;
import dev.portfolio.core.text.TextChunk;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The quickstart: ingests the bundled sample corpus into the embedded default (the in-memory store
 * and a local embedder, no database, no network), then runs vector, keyword and hybrid searches and
 * prints ranked hits. A second ingestion pass shows that unchanged documents cost no embedder call.
 * Then it runs diagnostics, switches the collection to a second local model (bge-small-en-v1.5
 * after all-MiniLM-L6-v2) through {@link Maintenance#switchModel}, with progress, prints the same
 * query's hits before and after, and runs diagnostics again.
 *
 * <p>Run it with {@code scripts/quickstart.sh [query ...]}; {@link QuickstartPg} tells the same
 * story on PostgreSQL + pgvector ({@code scripts/quickstart-pg.sh}). The embedder is the one named
 * by {@code -Dportfolio.embedder=<id>}, else the local ONNX model when {@code portfolio-embedders}
 * provides it, else the lexical {@code hashing} embedder.
 */
public final class Quickstart {
  private static final String COLLECTION = "quickstart";
  private static final String CORPUS = "/dev/portfolio/examples/corpus/";
  static final List<String> DEFAULT_QUERIES =
      List.of(
          "database crash recovery with a write-ahead log",
          "retry failed requests with exponential backoff and jitter",
          "coffee houses in Europe",
          "how do vaccines train the immune system");

  private final PrintStream out;

  private Quickstart(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the quickstart.
   *
   * @param args search queries to run instead of the built-in ones
   */
  public static void main(String[] args) {
    for (String a : args) {
      if (a.startsWith("-")) {
        System.err.println(
            "Unknown option "
                + a
                + ". Usage: scripts/quickstart.sh [query ...] (queries are plain words; choose"
                + " the embedder with -Dportfolio.embedder=<id>)");
        System.exit(2);
      }
    }
    try {
      new Quickstart(System.out).run(args.length == 0 ? DEFAULT_QUERIES : List.of(args));
    } catch (PortfolioException e) {
      System.err.println("quickstart failed [" + e.code() + "]: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Runs the quickstart, printing to {@code out}.
   *
   * @param out where the story goes (progress goes to standard error)
   * @param queries the queries to search; the first one is shown before and after the switch
   */
  static void run(PrintStream out, List<String> queries) {
    new Quickstart(out).run(queries);
  }

  private void run(List<String> queries) {
    try (Embedder embedder = Providers.embedder(Map.of("provider", chooseEmbedder()));
        VectorStore store = new InMemoryVectorStore()) {
      var info = embedder.info();
      out.printf(
          Locale.ROOT,
          "Portfolio quickstart: in-memory store, embedder %s (%d dimensions)%n%n",
          info.modelRef(),
          info.dimension());
      store.createCollection(CollectionSpec.of(COLLECTION, info.modelRef(), info.dimension()));
      List<Corpus.Entry> corpus = Corpus.load();
      Chunker chunker =
          new Chunker(
              ChunkerOptions.builder().unit(ChunkUnit.TOKENS).size(160).overlap(24).build());

      long start = System.nanoTime();
      Ingested first = ingest(store, embedder, chunker, corpus);
      out.printf(
          Locale.ROOT,
          "Ingested %d documents in %.2f s: %d inserted, %d updated, %d unchanged, %d failed;"
              + " %d chunks embedded%n",
          corpus.size(),
          (System.nanoTime() - start) / 1e9,
          first.result.inserted(),
          first.result.updated(),
          first.result.unchanged(),
          first.result.failed(),
          first.embeddedChunks);
      first.result.failures().forEach(f -> out.println("  failed: " + f.key() + ": " + f.reason()));

      Ingested second = ingest(store, embedder, chunker, corpus);
      out.printf(
          Locale.ROOT,
          "Second pass over the same corpus: %d documents skipped by fingerprint, %d chunks"
              + " embedded%n",
          second.skipped,
          second.embeddedChunks);

      CollectionStats stats = store.stats(COLLECTION);
      out.printf(
          Locale.ROOT,
          "Collection '%s': %d documents ready, %d chunks, %.1f%% embedded%n",
          COLLECTION,
          stats.documentsByStatus().get(DocumentStatus.READY),
          stats.chunks(),
          stats.coverage() * 100);

      for (String query : queries) {
        Embedding vector = embedder.embed(List.of(query), InputType.QUERY).embeddings().get(0);
        print("Vector search", query, store.search(VectorQuery.of(COLLECTION, vector, 3)));
        print("Keyword search", query, store.keywordSearch(KeywordQuery.of(COLLECTION, query, 3)));
        print(
            "Hybrid search",
            query,
            store.hybridSearch(HybridQuery.of(COLLECTION, vector, query, 3)));
      }

      switchModel(store, embedder, queries.get(0));
    }
  }

  /**
   * Switches the collection to a second local model with zero search downtime, and shows the same
   * query's hits before and after.
   */
  private void switchModel(VectorStore store, Embedder from, String query) {
    try (Embedder to = Providers.embedder(nextEmbedderConfig(from))) {
      out.printf(
          Locale.ROOT,
          "%nModel switch: %s -> %s (%d dimensions); searches keep answering from %s until the"
              + " new set is complete and activated%n",
          from.info().modelRef(),
          to.info().modelRef(),
          to.info().dimension(),
          from.info().modelRef());
      List<SearchHit> before = store.search(VectorQuery.of(COLLECTION, from.embedQuery(query), 3));
      Maintenance maintenance =
          Maintenance.builder().store(store).progress(new ConsoleProgressReporter()).build();
      out.printf("%nDiagnostics before the switch:%n%s%n", maintenance.diagnostics());
      SwitchResult result =
          maintenance.switchModel(
              COLLECTION, to, SwitchOptions.builder().dropRetired(false).build());
      out.println(result);
      print("Before, " + from.info().modelRef(), query, before);
      print(
          "After, " + to.info().modelRef(),
          query,
          store.search(VectorQuery.of(COLLECTION, to.embedQuery(query), 3)));
      out.printf("%nDiagnostics after the switch:%n%s%n", maintenance.diagnostics());
      out.printf(
          Locale.ROOT,
          "%nThe previous set is retained: maintenance.rollback(\"%s\") reactivates it,"
              + " maintenance.dropRetired(\"%s\") drops it.%n",
          COLLECTION,
          COLLECTION);
    }
  }

  /** The second model: bge-small-en-v1.5 after the bundled MiniLM, else a wider hashing model. */
  static Map<String, String> nextEmbedderConfig(Embedder from) {
    if (from.info().provider().equals("onnx")) {
      return Map.of("provider", "onnx", "bundled", "bge-small-en-v1.5");
    }
    return Map.of("provider", "hashing", "dimension", String.valueOf(from.info().dimension() * 2));
  }

  static String chooseEmbedder() {
    String named = System.getProperty(Providers.EMBEDDER_PROPERTY);
    if (named != null && !named.isBlank()) {
      return named;
    }
    boolean onnx =
        Providers.available(EmbedderProvider.class).stream().anyMatch(p -> p.id().equals("onnx"));
    return onnx ? "onnx" : "hashing";
  }

  /** Chunks, embeds and stores every changed document; skips those whose fingerprint matches. */
  private Ingested ingest(
      VectorStore store, Embedder embedder, Chunker chunker, List<Corpus.Entry> corpus) {
    List<DocumentInput> batch = new ArrayList<>();
    int embedded = 0;
    int skipped = 0;
    try (ProgressTracker progress =
        ProgressTracker.start(
            new ConsoleProgressReporter(), "ingest " + COLLECTION, corpus.size())) {
      for (Corpus.Entry doc : corpus) {
        Map<String, String> metadata = Map.of("title", doc.title(), "file", doc.file());
        String fingerprint = Fingerprints.fingerprint(doc.text(), metadata, metadata.keySet());
        Optional<Document> stored = store.findDocument(COLLECTION, doc.file());
        // Skip only a READY document with the same content: a FAILED or soft-deleted one is redone.
        if (stored.isPresent()
            && stored.get().status() == DocumentStatus.READY
            && fingerprint.equals(stored.get().fingerprint())) {
          skipped++;
          progress.advance(1, doc.title());
          continue;
        }
        List<TextChunk> chunks = chunker.chunk(doc.text());
        List<Embedding> vectors =
            embedder.embed(chunks.stream().map(TextChunk::text).toList()).embeddings();
        DocumentInput.Builder input =
            DocumentInput.builder(doc.file())
                .sourceId("corpus/" + doc.file())
                .fingerprint(fingerprint)
                .metadata(metadata);
        for (TextChunk chunk : chunks) {
          input.chunk(
              new ChunkInput(
                  chunk.ordinal(),
                  chunk.text(),
                  chunk.tokenCount(),
                  vectors.get(chunk.ordinal()),
                  embedder.info().modelRef(),
                  null));
        }
        batch.add(input.build());
        embedded += chunks.size();
        progress.advance(1, doc.title());
      }
      UpsertResult result = store.upsert(COLLECTION, batch);
      progress.succeed(result.written() + " documents written");
      return new Ingested(result, embedded, skipped);
    }
  }

  private void print(String kind, String query, List<SearchHit> hits) {
    printHits(out, kind, query, hits);
  }

  /**
   * Prints ranked hits, one line each: rank, score, title, snippet.
   *
   * @param out where to print
   * @param kind the kind of search, the heading
   * @param query the query
   * @param hits the hits
   */
  static void printHits(PrintStream out, String kind, String query, List<SearchHit> hits) {
    out.printf(Locale.ROOT, "%n%s: \"%s\"%n", kind, query);
    int rank = 1;
    for (SearchHit hit : hits) {
      String snippet = hit.text().replaceAll("\\s+", " ");
      if (snippet.length() > 90) {
        snippet = snippet.substring(0, 87) + "...";
      }
      out.printf(
          Locale.ROOT,
          "  %d. %8.4f  %-45s  %s%n",
          rank++,
          hit.score(),
          hit.metadata().getOrDefault("title", hit.documentKey()),
          snippet);
    }
    if (hits.isEmpty()) {
      out.println("  (no hits)");
    }
  }

  private record Ingested(UpsertResult result, int embeddedChunks, int skipped) {}

  /** The sample corpus bundled as class-path resources. */
  static final class Corpus {
    private Corpus() {}

    /**
     * One document of the corpus.
     *
     * @param file the resource file name, used as the document key
     * @param title the title (the first line without its leading '#')
     * @param text the whole text
     */
    record Entry(String file, String title, String text) {}

    static List<Entry> load() {
      List<Entry> entries = new ArrayList<>();
      for (String file : read("index.txt").split("\n")) {
        if (file.isBlank()) {
          continue;
        }
        String text = read(file.trim());
        String firstLine = text.lines().findFirst().orElse(file);
        entries.add(new Entry(file.trim(), firstLine.replaceFirst("^#\\s*", "").trim(), text));
      }
      return entries;
    }

    private static String read(String name) {
      try (InputStream in = Quickstart.class.getResourceAsStream(CORPUS + name)) {
        if (in == null) {
          throw new IllegalStateException("Missing corpus resource " + CORPUS + name);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read corpus resource " + CORPUS + name, e);
      }
    }
  }
}
