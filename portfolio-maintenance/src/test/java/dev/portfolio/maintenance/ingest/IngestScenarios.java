package dev.portfolio.maintenance.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.DocumentChange;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputTokens;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.text.ChunkUnit;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.CountingEmbedder;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RecordingReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ingestion behaviour, run against each store. */
abstract class IngestScenarios {
  static final int DIM = 16;

  abstract VectorStore store();

  String collection() {
    return "ingest-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Maintenance maintenance(VectorStore store, Embedder embedder) {
    return Fixture.maintenance(store, embedder, ProgressReporter.SILENT);
  }

  static List<IngestDocument> corpus(int n, String prefix) {
    List<IngestDocument> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(
          IngestDocument.builder(prefix + i)
              .text(
                  "Document "
                      + i
                      + " explains topic "
                      + (i * 7 % 13)
                      + ". It has a second sentence about item "
                      + i
                      + ".")
              .metadata("n", i)
              .build());
    }
    return docs;
  }

  /** Paragraphs of about 26 approximate tokens each, cut one per chunk by a 40-token chunker. */
  static String paragraphs(String tag, int count) {
    StringBuilder sb = new StringBuilder();
    for (int p = 0; p < count; p++) {
      sb.append("Paragraph ")
          .append(p)
          .append(" of ")
          .append(tag)
          .append(" talks about vacuum, indexes and the planner in some detail here.\n\n");
    }
    return sb.toString();
  }

  static ChunkerOptions small() {
    return ChunkerOptions.builder().unit(ChunkUnit.TOKENS).size(40).overlap(0).build();
  }

  @Test
  void aSecondRunOverUnchangedInputMakesNoEmbedderCallAndWritesNothing() {
    String c = collection();
    CountingEmbedder embedder = new CountingEmbedder(new HashingEmbedder(DIM));
    Maintenance m = maintenance(store(), embedder);
    List<IngestDocument> docs = corpus(25, "d");
    IngestOptions options = IngestOptions.builder().batchSize(10).build();

    IngestResult first = m.ingest(c, docs, options);
    int callsAfterFirst = embedder.calls();
    IngestResult second = m.ingest(c, docs, options);

    assertThat(first.added()).isEqualTo(25);
    assertThat(first.chunksEmbedded()).isEqualTo(25);
    assertThat(first.tokensUsed()).isPositive();
    assertThat(first.nextPosition()).isEqualTo(25);
    assertThat(first.remaining()).hasValue(0);
    assertThat(second.unchanged()).isEqualTo(25);
    assertThat(second.written()).isZero();
    assertThat(second.chunksEmbedded()).isZero();
    assertThat(second.embedderCalls()).isZero();
    assertThat(embedder.calls()).isEqualTo(callsAfterFirst);
    assertThat(store().findDocument(c, "d3").orElseThrow().status())
        .isEqualTo(DocumentStatus.READY);
    assertThat(store().findDocument(c, "d3").orElseThrow().metadata()).containsEntry("n", "3");
    Fixture.assertEveryChunkEmbeddedBy(store(), c, 0, new HashingEmbedder(DIM));
  }

  @Test
  void aKeyWrittenByOneBatchIsComparedWithThatWriteInTheNextBatch() {
    // The next batch's fingerprints are looked up while the batch before it is written: a key in
    // both must be compared with what the first batch wrote, not with what was stored before.
    String c = collection();
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    IngestOptions options = IngestOptions.builder().batchSize(2).build();
    m.ingest(c, List.of(IngestDocument.of("k", "version one")), options);

    IngestResult r =
        m.ingest(
            c,
            List.of(
                IngestDocument.of("a", "first batch"),
                IngestDocument.of("k", "version two"),
                IngestDocument.of("b", "second batch"),
                IngestDocument.of("k", "version one")),
            options);

    assertThat(r.added()).isEqualTo(2);
    assertThat(r.updated()).isEqualTo(2);
    assertThat(r.unchanged()).isZero();
    assertThat(store().chunks(c, "k")).extracting(Chunk::text).containsExactly("version one");
  }

  @Test
  void aKeyWrittenByOneBatchIsComparedWithThatWriteTwoBatchesLater() {
    String c = collection();
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    IngestOptions options = IngestOptions.builder().batchSize(2).build();
    m.ingest(c, List.of(IngestDocument.of("k", "version one")), options);

    IngestResult r =
        m.ingest(
            c,
            List.of(
                IngestDocument.of("a", "first batch"),
                IngestDocument.of("k", "version two"),
                IngestDocument.of("b", "second batch"),
                IngestDocument.of("c", "second batch too"),
                IngestDocument.of("d", "third batch"),
                IngestDocument.of("k", "version one")),
            options);

    assertThat(r.added()).isEqualTo(4);
    assertThat(r.updated()).isEqualTo(2);
    assertThat(store().chunks(c, "k")).extracting(Chunk::text).containsExactly("version one");
  }

  @Test
  void aChangedDocumentReembedsOnlyTheChunksWhoseTextChanged() {
    String c = collection();
    CountingEmbedder embedder = new CountingEmbedder(new HashingEmbedder(DIM));
    Maintenance m = maintenance(store(), embedder);
    IngestOptions options = IngestOptions.builder().chunker(small()).build();
    String original = paragraphs("alpha", 5);
    m.ingest(c, List.of(IngestDocument.of("doc", original)), options);
    List<Chunk> before = store().chunks(c, "doc");
    assertThat(before).hasSize(5);
    int calls = embedder.calls();

    String edited = original.replace("Paragraph 3 of alpha", "Paragraph 3 of beta");
    IngestResult r = m.ingest(c, List.of(IngestDocument.of("doc", edited)), options);

    assertThat(r.updated()).isEqualTo(1);
    assertThat(r.chunksEmbedded()).isEqualTo(1);
    assertThat(r.chunksReused()).isEqualTo(4);
    assertThat(embedder.calls()).isEqualTo(calls + 1);
    assertThat(embedder.count(store().chunks(c, "doc").get(3).text())).isEqualTo(1);
    assertThat(store().chunks(c, "doc"))
        .hasSize(5)
        .allMatch(ch -> ch.hasEmbedding() && !ch.isStale());
    Fixture.assertEveryChunkEmbeddedBy(store(), c, 0, new HashingEmbedder(DIM));
  }

  @Test
  void identicalChunkTextsOfABatchAreEmbeddedOnce() {
    String c = collection();
    CountingEmbedder embedder = new CountingEmbedder(new HashingEmbedder(DIM));
    Maintenance m = maintenance(store(), embedder);
    String same = "The same boilerplate footer appears in many documents.";

    IngestResult r =
        m.ingest(
            c,
            List.of(
                IngestDocument.of("a", same),
                IngestDocument.of("b", same),
                IngestDocument.of("c", same)),
            IngestOptions.defaults());

    assertThat(r.added()).isEqualTo(3);
    assertThat(r.chunksEmbedded()).isEqualTo(1);
    assertThat(embedder.count(same)).isEqualTo(1);
  }

  @Test
  void modesDecideWhatHappensToStoredAndNewDocuments() {
    String c = collection();
    CountingEmbedder embedder = new CountingEmbedder(new HashingEmbedder(DIM));
    Maintenance m = maintenance(store(), embedder);
    m.ingest(c, List.of(IngestDocument.of("a", "first text of a")), IngestOptions.defaults());
    List<IngestDocument> next =
        List.of(IngestDocument.of("a", "second text of a"), IngestDocument.of("b", "text of b"));

    IngestResult addOnly =
        m.ingest(c, next, IngestOptions.builder().mode(IngestMode.ADD_ONLY).build());
    assertThat(addOnly.added()).isEqualTo(1);
    assertThat(addOnly.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo("a");
              assertThat(f.position()).isZero();
              assertThat(f.reason())
                  .contains("stored already (status ready)")
                  .contains("Use UPSERT to update it");
            });
    assertThat(store().chunks(c, "a").get(0).text()).isEqualTo("first text of a");

    IngestResult skip =
        m.ingest(
            c,
            List.of(IngestDocument.of("a", "third text of a"), IngestDocument.of("c", "text of c")),
            IngestOptions.builder().mode(IngestMode.SKIP_EXISTING).build());
    assertThat(skip.skipped()).isEqualTo(1);
    assertThat(skip.added()).isEqualTo(1);
    assertThat(store().chunks(c, "a").get(0).text()).isEqualTo("first text of a");

    IngestResult updateOnly =
        m.ingest(
            c,
            List.of(IngestDocument.of("a", "fourth text of a"), IngestDocument.of("z", "new")),
            IngestOptions.builder().mode(IngestMode.UPDATE_ONLY).build());
    assertThat(updateOnly.updated()).isEqualTo(1);
    assertThat(updateOnly.failures())
        .extracting(IngestFailure::key, IngestFailure::reason)
        .containsExactly(
            tuple(
                "z",
                "document is not stored; mode UPDATE_ONLY updates stored documents only. Use"
                    + " UPSERT or ADD_ONLY to add it."));
    assertThat(store().findDocument(c, "z")).isEmpty();

    int calls = embedder.calls();
    IngestResult forced =
        m.ingest(
            c,
            List.of(IngestDocument.of("a", "fourth text of a")),
            IngestOptions.builder().force(true).build());
    assertThat(forced.updated()).isEqualTo(1);
    assertThat(forced.chunksEmbedded()).isEqualTo(1);
    assertThat(forced.chunksReused()).isZero();
    assertThat(embedder.calls()).isEqualTo(calls + 1);
  }

  @Test
  void fullSyncRemovesTheSourcesDocumentsMissingFromTheInputAndLeavesOtherSourcesAlone() {
    String c = collection();
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    IngestOptions sync =
        IngestOptions.builder().mode(IngestMode.FULL_SYNC).sourceId("wiki").jobId("job-7").build();
    m.ingest(
        c,
        List.of(
            IngestDocument.of("a", "alpha page"),
            IngestDocument.of("b", "beta page"),
            IngestDocument.of("c", "gamma page")),
        sync);
    m.ingest(
        c,
        List.of(IngestDocument.builder("other").sourceId("files").text("a file").build()),
        IngestOptions.defaults());

    IngestResult r =
        m.ingest(
            c,
            List.of(
                IngestDocument.of("a", "alpha page, edited"), IngestDocument.of("b", "beta page")),
            sync);

    assertThat(r.updated()).isEqualTo(1);
    assertThat(r.unchanged()).isEqualTo(1);
    assertThat(r.removed()).isEqualTo(1);
    assertThat(store().findDocument(c, "c")).isEmpty();
    assertThat(store().findDocument(c, "other")).isPresent();
    assertThat(store().history(c, "c"))
        .extracting(DocumentChange::kind, DocumentChange::jobId)
        .containsExactly(
            tuple(DocumentChange.Kind.ADDED, "job-7"), tuple(DocumentChange.Kind.REMOVED, "job-7"));
    assertThat(store().history(c, "a"))
        .extracting(DocumentChange::kind)
        .containsExactly(DocumentChange.Kind.ADDED, DocumentChange.Kind.UPDATED);

    IngestResult keep =
        m.ingest(
            c,
            List.of(IngestDocument.of("a", "alpha page, edited")),
            IngestOptions.builder()
                .mode(IngestMode.FULL_SYNC)
                .sourceId("wiki")
                .purgeRemoved(false)
                .build());
    assertThat(keep.removed()).isEqualTo(1);
    assertThat(store().findDocument(c, "b").orElseThrow().status())
        .isEqualTo(DocumentStatus.DELETED);

    IngestResult wrongSource =
        m.ingest(c, List.of(IngestDocument.builder("x").sourceId("files").text("x").build()), sync);
    assertThat(wrongSource.failures().get(0).reason())
        .isEqualTo(
            "document belongs to source \"files\" but this FULL_SYNC syncs source \"wiki\"; sync"
                + " each source on its own.");
  }

  @Test
  void aSoftDeletedDocumentIngestedAgainComesBackWithItsVectorsReused() {
    String c = collection();
    CountingEmbedder embedder = new CountingEmbedder(new HashingEmbedder(DIM));
    Maintenance m = maintenance(store(), embedder);
    List<IngestDocument> docs = List.of(IngestDocument.of("a", "a text that comes back"));
    m.ingest(c, docs, IngestOptions.defaults());
    store().softDelete(c, "a");
    int calls = embedder.calls();

    IngestResult r = m.ingest(c, docs, IngestOptions.defaults());

    assertThat(r.updated()).isEqualTo(1);
    assertThat(r.chunksReused()).isEqualTo(1);
    assertThat(embedder.calls()).isEqualTo(calls);
    assertThat(store().findDocument(c, "a").orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    assertThat(store().history(c, "a"))
        .extracting(DocumentChange::kind)
        .containsExactly(DocumentChange.Kind.ADDED, DocumentChange.Kind.RESTORED);
  }

  @Test
  void eachBadDocumentFailsWithAClearReasonAndTheRestOfItsBatchIsStored() {
    String c = collection();
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    String fiveMegabytes = "word ".repeat(1_048_576);
    List<IngestDocument> docs =
        List.of(
            IngestDocument.of("good-1", "a fine document"),
            IngestDocument.of("empty", "  \n "),
            IngestDocument.of("huge", fiveMegabytes),
            IngestDocument.of("surrogate", "broken \uD800 text"),
            IngestDocument.of("nul", "binary\0content"),
            IngestDocument.of("good-1", "the same key again"),
            IngestDocument.builder("meta")
                .text("fine text")
                .metadata("owner", new Object())
                .build(),
            IngestDocument.builder("nan").text("fine text").metadata("score", Double.NaN).build(),
            IngestDocument.of("good-2", "another fine document"));

    IngestResult r = m.ingest(c, docs, IngestOptions.defaults());

    assertThat(r.added()).isEqualTo(2);
    assertThat(r.failed()).isEqualTo(7);
    Map<String, String> reasons = new java.util.HashMap<>();
    r.failures().forEach(f -> reasons.merge(f.key(), f.reason(), (x, y) -> x + " | " + y));
    assertThat(reasons.get("empty")).startsWith("text is empty or only whitespace");
    assertThat(reasons.get("huge"))
        .isEqualTo(
            "text is 5242880 characters long; the limit is 1000000"
                + " (IngestOptions.maxTextLength). Split the document, or raise the limit.");
    assertThat(reasons.get("surrogate"))
        .startsWith("text contains an unpaired UTF-16 surrogate U+D800 at index 7");
    assertThat(reasons.get("nul")).startsWith("text contains a NUL character (U+0000) at index 6");
    assertThat(reasons.get("good-1"))
        .startsWith("key \"good-1\" appears more than once in this batch (first at position 0)");
    assertThat(reasons.get("meta"))
        .isEqualTo(
            "metadata key \"owner\" is not JSON-serialisable: it holds a java.lang.Object. Pass"
                + " strings, numbers, booleans, or lists and maps of them.");
    assertThat(reasons.get("nan")).contains("the number NaN has no JSON form");
    assertThat(r.failures())
        .extracting(IngestFailure::position)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(store().chunks(c, "good-1").get(0).text()).isEqualTo("a fine document");
    assertThat(store().findDocument(c, "good-2")).isPresent();
    for (String bad : List.of("empty", "huge", "surrogate", "nul", "meta", "nan")) {
      assertThat(store().findDocument(c, bad)).as(bad).isEmpty();
    }
  }

  @Test
  void metadataListsAndMapsAreStoredAsJson() {
    String c = collection();
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    m.ingest(
        c,
        List.of(
            IngestDocument.builder("a")
                .text("text")
                .metadata("tags", List.of("x", "y\"z"))
                .metadata("info", Map.of("pages", 3))
                .metadata("draft", false)
                .build()),
        IngestOptions.defaults());

    assertThat(store().findDocument(c, "a").orElseThrow().metadata())
        .containsEntry("tags", "[\"x\",\"y\\\"z\"]")
        .containsEntry("info", "{\"pages\":3}")
        .containsEntry("draft", "false");
  }

  @Test
  void aTokenBudgetStopsTheRunAtABatchBoundaryAndAResumedRunContinues() {
    String c = collection();
    CountingEmbedder embedder = new CountingEmbedder(new HashingEmbedder(DIM));
    Maintenance m = maintenance(store(), embedder);
    List<IngestDocument> docs = corpus(40, "b");
    List<Long> checkpoints = new ArrayList<>();
    IngestResult first =
        m.ingest(
            c,
            docs,
            IngestOptions.builder()
                .batchSize(10)
                .tokenBudget(400)
                .onBatch(p -> checkpoints.add(p.nextPosition()))
                .build());

    assertThat(first.stoppedByBudget()).isTrue();
    assertThat(first.complete()).isFalse();
    assertThat(first.added()).isBetween(10L, 30L);
    assertThat(first.added() % 10).isZero();
    assertThat(first.tokensUsed()).isLessThanOrEqualTo(400).isPositive();
    assertThat(first.nextPosition()).isEqualTo(first.added());
    assertThat(first.remaining()).hasValue(40 - first.added());
    assertThat(checkpoints).last().isEqualTo(first.nextPosition());
    assertThat(store().stats(c).liveDocuments()).isEqualTo(first.added());

    IngestResult resumed =
        m.ingest(
            c, docs, IngestOptions.builder().batchSize(10).startAt(first.nextPosition()).build());
    assertThat(resumed.added()).isEqualTo(40 - first.added());
    assertThat(resumed.read()).isEqualTo(40 - first.added());
    assertThat(resumed.complete()).isTrue();
    assertThat(store().stats(c).liveDocuments()).isEqualTo(40);

    IngestResult costly =
        m.ingest(
            collection(),
            docs,
            IngestOptions.builder().batchSize(10).costPer1kTokens(2.0).costBudget(0.5).build());
    assertThat(costly.stoppedByBudget()).isTrue();
    assertThat(costly.cost()).isLessThanOrEqualTo(0.5).isPositive();
  }

  @Test
  void aCostBudgetUsesTheEmbeddersPriceAndNeedsOne() {
    Embedder priced =
        dev.portfolio.core.discovery.Providers.embedder(
            Map.of(
                "provider", "hashing", "dimension", String.valueOf(DIM), "pricePer1kTokens", "2"));
    List<IngestDocument> docs = corpus(40, "p");
    IngestResult costly =
        maintenance(store(), priced)
            .ingest(
                collection(), docs, IngestOptions.builder().batchSize(10).costBudget(0.5).build());
    assertThat(costly.stoppedByBudget()).isTrue();
    assertThat(costly.cost()).isLessThanOrEqualTo(0.5).isPositive();
    assertThat(costly.cost()).isEqualTo(costly.tokensUsed() / 1000.0 * 2.0);

    String c = collection();
    assertThatThrownBy(
            () ->
                maintenance(store(), new HashingEmbedder(DIM))
                    .ingest(c, docs, IngestOptions.builder().costBudget(0.5).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "ingest.costBudget needs a price of 1,000 tokens: set ingest.costPer1kTokens, or the"
                + " embedder option pricePer1kTokens (hashing:hashing-v1 has none)");
  }

  @Test
  void truncationIsCountedWhenChunksAreLargerThanTheModelReads() {
    String c = collection();
    Embedder narrow = new NarrowEmbedder(new HashingEmbedder(DIM), 10);
    Maintenance m = maintenance(store(), narrow);
    String text = paragraphs("gamma", 3);

    IngestResult sized =
        m.ingest(c, List.of(IngestDocument.of("a", text)), IngestOptions.defaults());
    IngestResult oversized =
        m.ingest(
            c,
            List.of(IngestDocument.of("b", text)),
            IngestOptions.builder()
                .chunker(ChunkerOptions.builder().size(40).overlap(0).build())
                .build());

    assertThat(sized.chunksTruncated()).isZero();
    assertThat(store().chunks(c, "a")).allMatch(ch -> ch.tokenCount() <= 10);
    assertThat(oversized.chunksTruncated()).isEqualTo(oversized.chunksEmbedded()).isPositive();
  }

  @Test
  void aTitleAndSectionHeadingPrefixEveryChunkWithinTheBudget() {
    String c = collection();
    Embedder narrow = new NarrowEmbedder(new HashingEmbedder(DIM), 40);
    Maintenance m = maintenance(store(), narrow);
    String text = "# Guide\n\nIntro words here.\n\n## Vacuum\n\n" + paragraphs("delta", 4);

    IngestResult r =
        m.ingest(
            c,
            List.of(IngestDocument.builder("g").title("Guide").text(text).build()),
            IngestOptions.builder().titlePrefix(true).build());

    List<Chunk> chunks = store().chunks(c, "g");
    assertThat(chunks).hasSizeGreaterThan(2);
    assertThat(chunks.get(0).text()).startsWith("Guide\n\n# Guide");
    assertThat(chunks.get(chunks.size() - 1).text()).startsWith("Guide\nVacuum\n\n");
    assertThat(chunks).allMatch(ch -> ch.text().startsWith("Guide\n"));
    assertThat(chunks).allMatch(ch -> ch.tokenCount() <= 40);
    assertThat(r.chunksTruncated()).isZero();
  }

  @Test
  void aStreamIsReadLazilyAndAnUnknownRemainderIsEmpty() {
    String c = collection();
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    IngestResult r =
        m.ingest(
            c,
            IntStream.iterate(0, i -> i + 1)
                .limit(12)
                .mapToObj(i -> IngestDocument.of("s" + i, "streamed " + i)),
            IngestOptions.builder().batchSize(5).build());
    assertThat(r.added()).isEqualTo(12);
    assertThat(r.remaining()).isEmpty();
  }

  @Test
  void aStreamThatKnowsItsSizeGivesTheProgressATotalAndTheResultItsRemainder() {
    String c = collection();
    RecordingReporter progress = new RecordingReporter();
    Maintenance m = Fixture.maintenance(store(), new HashingEmbedder(DIM), progress);
    IngestResult r =
        m.ingest(
            c,
            IntStream.range(0, 12).mapToObj(i -> IngestDocument.of("k" + i, "sized " + i)),
            IngestOptions.builder().batchSize(5).build());
    assertThat(r.added()).isEqualTo(12);
    assertThat(r.remaining()).hasValue(0);
    assertThat(progress.events("started", "ingest " + c))
        .singleElement()
        .satisfies(e -> assertThat(e.total()).isEqualTo(12));
  }

  @Test
  void anEmbedderOfAnotherModelIsRefusedBeforeAnyWork() {
    String c = collection();
    store().createCollection(CollectionSpec.of(c, "other:model", DIM));
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    assertThatThrownBy(() -> m.ingest(c, corpus(2, "x"), IngestOptions.defaults()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Model mismatch: the embedder hashing:hashing-v1 yields 16")
        .hasMessageContaining("Maintenance.switchModel");
    assertThat(store().stats(c).liveDocuments()).isZero();
  }

  @Test
  void theDocumentLifecycleAddsUpdatesRemovesRestoresAndKeepsHistory() {
    String c = collection();
    Maintenance m = maintenance(store(), new HashingEmbedder(DIM));
    DocumentLifecycle docs = m.documents(c);

    assertThat(
            docs.add(List.of(IngestDocument.of("a", "one"), IngestDocument.of("b", "two"))).added())
        .isEqualTo(2);
    assertThat(docs.add(List.of(IngestDocument.of("a", "again"))).failed()).isEqualTo(1);
    assertThat(docs.update(List.of(IngestDocument.of("a", "one, edited"))).updated()).isEqualTo(1);
    assertThat(docs.exists("a")).isTrue();
    assertThat(docs.remove("a")).isTrue();
    assertThat(docs.remove("a")).isFalse();
    assertThat(docs.exists("a")).isFalse();
    assertThat(docs.get("a").orElseThrow().status()).isEqualTo(DocumentStatus.DELETED);
    assertThat(docs.stream(null).map(d -> d.key()).toList()).containsExactly("b");
    assertThat(docs.restore("a")).isTrue();
    assertThat(docs.exists("a")).isTrue();
    assertThat(docs.list(null, 0, 1).items()).extracting(d -> d.key()).containsExactly("a");
    assertThat(docs.list(null, 0, 1).nextAfter()).isPresent();
    assertThat(docs.history("a"))
        .extracting(DocumentChange::kind)
        .containsExactly(
            DocumentChange.Kind.ADDED,
            DocumentChange.Kind.UPDATED,
            DocumentChange.Kind.REMOVED,
            DocumentChange.Kind.RESTORED);
    assertThat(docs.history("a").get(1).fingerprint())
        .isNotEqualTo(docs.history("a").get(0).fingerprint())
        .isEqualTo(docs.get("a").orElseThrow().fingerprint());
    assertThat(docs.purge("b")).isTrue();
    assertThat(docs.get("b")).isEmpty();
    assertThat(docs.history("b"))
        .extracting(DocumentChange::kind)
        .containsExactly(DocumentChange.Kind.ADDED, DocumentChange.Kind.REMOVED);
  }

  @Test
  void aDirectoryIsLoadedWithRelativeKeysTitlesAndFileMetadataAndSyncedAgainCheaply(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    String c = collection();
    java.nio.file.Files.createDirectories(dir.resolve("guide"));
    java.nio.file.Files.writeString(dir.resolve("readme.md"), "# Read me\n\nHow to start.\n");
    java.nio.file.Files.writeString(dir.resolve("guide/vacuum.txt"), "Vacuum removes dead rows.\n");
    java.nio.file.Files.write(
        dir.resolve("guide/latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
    java.nio.file.Files.writeString(dir.resolve("image.png"), "not text");
    CountingEmbedder embedder = new CountingEmbedder(new HashingEmbedder(DIM));
    Maintenance m = maintenance(store(), embedder);
    DocumentLoader loader = DirectoryLoader.builder(dir).sourceId("docs").build();
    IngestOptions sync =
        IngestOptions.builder().mode(IngestMode.FULL_SYNC).sourceId("docs").build();

    IngestResult first = m.ingest(c, loader, sync);

    assertThat(first.added()).isEqualTo(2);
    assertThat(first.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.key()).isEqualTo("guide/latin1.txt"));
    var readme = store().findDocument(c, "readme.md").orElseThrow();
    assertThat(readme.sourceId()).isEqualTo("docs");
    assertThat(readme.metadata())
        .containsEntry("path", "readme.md")
        .containsEntry("title", "Read me")
        .containsKeys("size", "modified");
    assertThat(store().findDocument(c, "guide/vacuum.txt")).isPresent();

    int calls = embedder.calls();
    java.nio.file.Files.delete(dir.resolve("guide/vacuum.txt"));
    IngestResult second = m.ingest(c, loader, sync);
    assertThat(second.unchanged()).isEqualTo(1);
    assertThat(second.removed()).isEqualTo(1);
    assertThat(embedder.calls()).isEqualTo(calls);
    assertThat(store().findDocument(c, "guide/vacuum.txt")).isEmpty();
  }

  /** A hashing embedder that claims to read only a few (approximately counted) tokens. */
  static final class NarrowEmbedder implements Embedder {
    private final Embedder delegate;
    private final int tokens;

    NarrowEmbedder(Embedder delegate, int tokens) {
      this.delegate = delegate;
      this.tokens = tokens;
    }

    @Override
    public EmbedderInfo info() {
      return delegate.info();
    }

    @Override
    public InputTokens inputTokens() {
      return new InputTokens(dev.portfolio.core.text.TokenCounter.approximate(), tokens, true);
    }

    @Override
    public EmbeddingBatch embed(List<String> texts, InputType type) {
      return delegate.embed(texts, type);
    }
  }
}
