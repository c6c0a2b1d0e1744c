package dev.portfolio.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.NamedProvider;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.spi.VectorStoreProvider;
import dev.portfolio.core.testkit.VectorStoreContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InMemoryVectorStoreTest extends VectorStoreContract {
  @Override
  protected VectorStore createStore() {
    return new InMemoryVectorStore();
  }

  @Test
  void providerIsDiscoveredByTheIdMemory() {
    try (VectorStore found = Providers.vectorStore(Map.of("provider", "memory"))) {
      assertThat(found).isInstanceOf(InMemoryVectorStore.class);
      assertThat(found.listCollections()).isEmpty();
    }
    assertThat(Providers.available(VectorStoreProvider.class))
        .filteredOn(p -> p.id().equals("memory"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p).isInstanceOf(InMemoryVectorStoreProvider.class);
              assertThat(p.priority()).isZero();
            });
    assertThat(Providers.available(VectorStoreProvider.class))
        .extracting(NamedProvider::id)
        .contains("memory");
  }

  @Test
  void providerCreatesAFreshStoreEachTime() {
    VectorStoreProvider provider = new InMemoryVectorStoreProvider();
    VectorStore first = provider.create(Map.of());
    first.createCollection(CollectionSpec.of("docs", MODEL, 3));

    assertThat(provider.create(Map.of("provider", "memory")).listCollections()).isEmpty();
  }

  @Test
  void providerRejectsUnknownOptions() {
    assertThatThrownBy(() -> Providers.vectorStore(Map.of("provider", "memory", "capacity", "10")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Unknown memory option [capacity]. Known options: [provider].");
  }

  @Test
  void capabilitiesAreKeywordSearchDocumentHistoryAndMetadataFiltersOnly() {
    assertThat(store().capabilities())
        .containsExactlyInAnyOrder(
            StoreCapability.KEYWORD_SEARCH,
            StoreCapability.DOCUMENT_HISTORY,
            StoreCapability.METADATA_FILTERS);
    assertThat(store().supports(StoreCapability.DURABLE)).isFalse();
    assertThat(store().supports(StoreCapability.ANN_INDEX)).isFalse();
    assertThat(store().supports(StoreCapability.STORAGE_BYTES)).isFalse();
  }

  @Test
  void errorMessagesNameTheStateAndTheFix() {
    CollectionInfo c = newCollection(3, Distance.COSINE);

    assertThatThrownBy(() -> store().stats("nope"))
        .hasMessage(
            "Collection 'nope' does not exist. Create it with createCollection(...) first.");
    assertThatThrownBy(
            () -> store().createCollection(new CollectionSpec(c.name(), "m2", 4, Distance.L2)))
        .hasMessage(
            "Collection '"
                + c.name()
                + "' already exists as model=contract:model-a, dimension=3, distance=COSINE;"
                + " requested model=m2, dimension=4, distance=L2. Use another name, or drop the"
                + " collection first (that deletes its documents).");
    assertThatThrownBy(() -> store().search(VectorQuery.of(c.name(), vector(1, 0), 3)))
        .hasMessage(
            "Dimension mismatch: the query vector has 2 dimensions but collection '"
                + c.name()
                + "' stores 3 (model contract:model-a). Embed the query with the collection's"
                + " model.");
    assertThatThrownBy(
            () ->
                store()
                    .updateEmbeddings(
                        c.name(), List.of(new EmbeddingUpdate(42, vector(1, 0), MODEL, "h"))))
        .hasMessage(
            "Dimension mismatch: the embedding for chunk 42 has 2 dimensions but collection '"
                + c.name()
                + "' stores 3 (model contract:model-a). Nothing was written. Embed the chunks"
                + " with a model of 3 dimensions.");
    assertThatThrownBy(() -> store().upsert(c.name(), java.util.Arrays.asList(doc("a"), null)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("documents must not contain null (element 1 is null)");
  }

  @Test
  void embeddingSetErrorMessagesNameTheSetAndTheFix() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store().upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "a"))));
    long chunk = store().chunks(c.name(), "k").get(0).id();
    EmbeddingSet old = store().activeSet(c.name());
    EmbeddingSet building = store().createBuildingSet(c.name(), "m2", 4);
    String collection = c.name();

    assertThatThrownBy(() -> store().createBuildingSet(collection, "m3", 5))
        .hasMessage(
            "Collection '"
                + collection
                + "' already has building set "
                + building.id()
                + " for model m2 (4 dimensions); requested m3 (5 dimensions). Finish that switch"
                + " (activate the set) or drop it with dropSet("
                + building.id()
                + ") first.");
    assertThatThrownBy(
            () ->
                store()
                    .writeVectors(
                        collection,
                        building.id(),
                        List.of(new EmbeddingUpdate(chunk, vector(1, 0, 0), "m2", "h"))))
        .hasMessage(
            "Dimension mismatch: the vector for chunk "
                + chunk
                + " has 3 dimensions but embedding set "
                + building.id()
                + " of collection '"
                + collection
                + "' stores 4 (model m2). Nothing was written. Embed the chunks with that model.");
    assertThatThrownBy(
            () ->
                store()
                    .writeVectors(
                        collection,
                        building.id(),
                        List.of(new EmbeddingUpdate(chunk, vector(1, 0, 0, 0), "m9", "h"))))
        .hasMessage(
            "The vector for chunk "
                + chunk
                + " comes from model m9 but embedding set "
                + building.id()
                + " of collection '"
                + collection
                + "' holds vectors of model m2. Nothing was written. Write it into a set of its"
                + " model (createBuildingSet(...) makes one), or re-embed the chunks with m2.");
    assertThatThrownBy(() -> store().stats(collection, 999_999))
        .hasMessage(
            "Embedding set 999999 does not exist in collection '"
                + collection
                + "'. List the collection's sets with embeddingSets(\""
                + collection
                + "\").");
    assertThatThrownBy(() -> store().dropSet(collection, old.id()))
        .hasMessage(
            "Embedding set "
                + old.id()
                + " of collection '"
                + collection
                + "' is active and cannot be dropped. Activate another set first (activateSet or"
                + " rollback), or drop the whole collection.");

    store().activateSet(collection, building.id());
    assertThatThrownBy(
            () ->
                store()
                    .writeVectors(
                        collection,
                        old.id(),
                        List.of(new EmbeddingUpdate(chunk, vector(1, 0, 0), MODEL, "h"))))
        .hasMessage(
            "Embedding set "
                + old.id()
                + " of collection '"
                + collection
                + "' is retired and cannot be written to. Write into the active or the building"
                + " set, or make this one active again with activateSet(\""
                + collection
                + "\", "
                + old.id()
                + ").");
    assertThatThrownBy(() -> store().createBuildingSet(collection, "m2", 4))
        .hasMessage(
            "Collection '"
                + collection
                + "' already uses model m2 with 4 dimensions (active set "
                + building.id()
                + "); there is nothing to switch to. Re-embed into the active set instead.");
  }

  @Test
  void embeddingSetTimestampsComeFromTheClock() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    try (VectorStore s = new InMemoryVectorStore(clock)) {
      Instant t0 = clock.instant();
      s.createCollection(CollectionSpec.of("docs", MODEL, 3));
      assertThat(s.activeSet("docs").createdAt()).isEqualTo(t0);
      assertThat(s.activeSet("docs").activatedAt()).isEqualTo(t0);

      clock.advance(Duration.ofMinutes(1));
      EmbeddingSet building = s.createBuildingSet("docs", OTHER_MODEL, 5);
      assertThat(building.createdAt()).isEqualTo(t0.plus(Duration.ofMinutes(1)));
      assertThat(building.activatedAt()).isNull();

      clock.advance(Duration.ofMinutes(1));
      EmbeddingSet active = s.activateSet("docs", building.id());
      Instant t2 = t0.plus(Duration.ofMinutes(2));
      assertThat(active.activatedAt()).isEqualTo(t2);
      assertThat(active.createdAt()).isEqualTo(t0.plus(Duration.ofMinutes(1)));
      EmbeddingSet retired = s.embeddingSets("docs").get(0);
      assertThat(retired.state()).isEqualTo(SetState.RETIRED);
      assertThat(retired.retiredAt()).isEqualTo(t2);
      assertThat(retired.activatedAt()).as("when it last became active").isEqualTo(t0);

      clock.advance(Duration.ofMinutes(1));
      EmbeddingSet back = s.rollback("docs");
      assertThat(back.activatedAt()).isEqualTo(t0.plus(Duration.ofMinutes(3)));
      assertThat(back.retiredAt()).isNull();
    }
  }

  @Test
  void rollbackReturnsToTheMostRecentlyRetiredSet() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    try (VectorStore s = new InMemoryVectorStore(clock)) {
      s.createCollection(CollectionSpec.of("docs", MODEL, 3));
      long first = s.activeSet("docs").id();
      long second = s.createBuildingSet("docs", OTHER_MODEL, 4).id();
      clock.advance(Duration.ofSeconds(1));
      s.activateSet("docs", second);
      long third = s.createBuildingSet("docs", "m3", 5).id();
      clock.advance(Duration.ofSeconds(1));
      s.activateSet("docs", third);

      clock.advance(Duration.ofSeconds(1));
      assertThat(s.rollback("docs").id()).isEqualTo(second);
      assertThat(s.findCollection("docs").orElseThrow().spec())
          .isEqualTo(CollectionSpec.of("docs", OTHER_MODEL, 4));
      clock.advance(Duration.ofSeconds(1));
      assertThat(s.rollback("docs").id()).as("a rollback is undone by another").isEqualTo(third);
      assertThat(s.dropSet("docs", second)).isTrue();
      clock.advance(Duration.ofSeconds(1));
      assertThat(s.rollback("docs").id()).isEqualTo(first);
      assertThat(s.embeddingSets("docs"))
          .extracting(EmbeddingSet::state)
          .containsExactly(SetState.ACTIVE, SetState.RETIRED);
    }
  }

  @Test
  void replacingADocumentDropsItsOldChunksVectorsFromEverySet() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store().upsert(c.name(), List.of(doc("k", embedded(0, "same text", 1, 0, 0))));
    EmbeddingSet building = store().createBuildingSet(c.name(), OTHER_MODEL, 4);
    Chunk chunk = store().chunks(c.name(), "k").get(0);
    store()
        .writeVectors(
            c.name(),
            building.id(),
            List.of(
                new EmbeddingUpdate(
                    chunk.id(), vector(1, 0, 0, 0), OTHER_MODEL, chunk.contentHash())));

    store().upsert(c.name(), List.of(doc("k", embedded(0, "same text", 0, 1, 0))));

    assertThat(
            store()
                .listChunks(
                    ChunkQuery.of(c.name(), 10)
                        .inSet(building.id())
                        .withEmbeddingState(EmbeddingState.MISSING))
                .items())
        .as("a changed document gets new chunks, missing in the building set")
        .extracting(Chunk::text)
        .containsExactly("same text");
  }

  @Test
  void setIdZeroMeansTheActiveSetEverywhere() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    EmbeddingSet active = store().activeSet(c.name());

    assertThat(store().activateSet(c.name(), 0)).isEqualTo(active);
    assertThatThrownBy(() -> store().dropSet(c.name(), 0))
        .hasMessageContaining("is active and cannot be dropped");
    assertThat(store().stats(c.name(), 0)).isEqualTo(store().stats(c.name(), active.id()));
  }

  @Test
  void aChangedDocumentGetsNewChunkIdsAndAnUnchangedOneKeepsThem() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput v1 = doc("k", ChunkInput.of(0, "a"), ChunkInput.of(1, "b"));
    store().upsert(c.name(), List.of(v1));
    List<Long> before = ids(store().chunks(c.name(), "k"));

    store().upsert(c.name(), List.of(v1));
    assertThat(ids(store().chunks(c.name(), "k"))).isEqualTo(before);

    store().upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "a"), ChunkInput.of(1, "b2"))));
    List<Long> after = ids(store().chunks(c.name(), "k"));
    assertThat(after).doesNotContainAnyElementsOf(before);
    assertThat(after.get(0)).isGreaterThan(before.get(1));
  }

  @Test
  void upsertTreatsSourceWorkspaceAndChunkMetadataChangesAsUpdates() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store().upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "a"))));

    List<DocumentInput> variants =
        List.of(
            DocumentInput.builder("k").sourceId("s2").chunk(ChunkInput.of(0, "a")).build(),
            DocumentInput.builder("k")
                .sourceId("s2")
                .workspace("w")
                .chunk(ChunkInput.of(0, "a"))
                .build(),
            DocumentInput.builder("k")
                .sourceId("s2")
                .workspace("w")
                .chunk(new ChunkInput(0, "a", 0, null, null, Map.of("page", "1")))
                .build(),
            DocumentInput.builder("k")
                .sourceId("s2")
                .workspace("w")
                .chunk(new ChunkInput(0, "a", 5, null, null, Map.of("page", "1")))
                .build());
    for (DocumentInput v : variants) {
      assertThat(store().upsert(c.name(), List.of(v)).updated()).as("%s", v).isEqualTo(1);
    }
    assertThat(store().findDocument(c.name(), "k").orElseThrow().workspace()).isEqualTo("w");
  }

  @Test
  void reUpsertingTheTextOfAStaleChunkWithItsEmbeddingIsAnUpdate() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput input = doc("k", embedded(0, "text", 1, 0, 0));
    store().upsert(c.name(), List.of(input));
    Chunk chunk = store().chunks(c.name(), "k").get(0);
    store()
        .updateEmbeddings(
            c.name(), List.of(new EmbeddingUpdate(chunk.id(), vector(1, 0, 0), MODEL, "older")));

    assertThat(store().upsert(c.name(), List.of(input)).updated()).isEqualTo(1);
    assertThat(store().chunks(c.name(), "k").get(0).isStale()).isFalse();
  }

  @Test
  void updateStatusRejectsDeletedAndPointsToSoftDelete() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store().upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "a"))));

    assertThatThrownBy(() -> store().updateStatus(c.name(), "k", DocumentStatus.DELETED, null))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("status"))
        .hasMessageContaining("call softDelete(collection, key)");
    assertThat(store().findDocument(c.name(), "k").orElseThrow().status())
        .isEqualTo(DocumentStatus.PENDING);
  }

  @Test
  void updateStatusBringsBackASoftDeletedDocumentAndKeepsAttempts() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store().upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "a"))));
    store().updateStatus(c.name(), "k", DocumentStatus.FAILED, "boom");
    store().softDelete(c.name(), "k");

    store().updateStatus(c.name(), "k", DocumentStatus.READY, null);

    Document d = store().findDocument(c.name(), "k").orElseThrow();
    assertThat(d.status()).isEqualTo(DocumentStatus.READY);
    assertThat(d.deletedAt()).isNull();
    assertThat(d.error()).isNull();
    assertThat(d.attempts()).isEqualTo(1);
  }

  @Test
  void timestampsComeFromTheClock() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    try (VectorStore s = new InMemoryVectorStore(clock)) {
      CollectionInfo c = s.createCollection(CollectionSpec.of("docs", MODEL, 3));
      assertThat(c.createdAt()).isEqualTo(clock.instant());
      Instant t0 = clock.instant();
      s.upsert("docs", List.of(doc("k", ChunkInput.of(0, "a"))));

      clock.advance(Duration.ofMinutes(1));
      s.upsert("docs", List.of(doc("k", ChunkInput.of(0, "a"))));
      assertThat(s.findDocument("docs", "k").orElseThrow().updatedAt())
          .as("an unchanged document is not rewritten")
          .isEqualTo(t0);

      s.upsert("docs", List.of(doc("k", ChunkInput.of(0, "b"))));
      Document updated = s.findDocument("docs", "k").orElseThrow();
      assertThat(updated.createdAt()).isEqualTo(t0);
      assertThat(updated.updatedAt()).isEqualTo(t0.plus(Duration.ofMinutes(1)));

      clock.advance(Duration.ofMinutes(1));
      s.softDelete("docs", "k");
      assertThat(s.findDocument("docs", "k").orElseThrow().deletedAt())
          .isEqualTo(t0.plus(Duration.ofMinutes(2)));
    }
  }

  @Test
  void upsertWithStatusDeletedStoresASoftDeletedDocument() {
    CollectionInfo c = newCollection(3, Distance.COSINE);

    store()
        .upsert(
            c.name(),
            List.of(
                DocumentInput.builder("k")
                    .status(DocumentStatus.DELETED)
                    .chunk(embedded(0, "a", 1, 0, 0))
                    .build()));

    assertThat(store().findDocument(c.name(), "k").orElseThrow().deletedAt()).isNotNull();
    assertThat(store().search(VectorQuery.of(c.name(), vector(1, 0, 0), 5))).isEmpty();
    assertThat(store().restore(c.name(), "k")).isTrue();
    assertThat(store().search(VectorQuery.of(c.name(), vector(1, 0, 0), 5))).hasSize(1);
  }

  @Test
  void searchBreaksTiesByAscendingChunkId() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store()
        .upsert(
            c.name(),
            List.of(
                doc("first", embedded(0, "x", 1, 0, 0)),
                doc("second", embedded(0, "y", 2, 0, 0)),
                doc("third", embedded(0, "z", 3, 0, 0))));

    List<SearchHit> hits = store().search(VectorQuery.of(c.name(), vector(1, 0, 0), 2));

    assertThat(hits).extracting(SearchHit::documentKey).containsExactly("first", "second");
  }

  @Test
  void keywordSearchFoldsCaseAndUnicodeForms() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store()
        .upsert(
            c.name(),
            List.of(
                doc("decomposed", ChunkInput.of(0, "Un cafe\u0301 noir, s'il vous plaît")),
                doc("cjk", ChunkInput.of(0, "東京 大阪 京都")),
                doc("digits", ChunkInput.of(0, "Release 2025 notes: v2 (second)")),
                doc("fullwidth", ChunkInput.of(0, "ＦＵＬＬＷＩＤＴＨ letters"))));

    assertThat(keys(c, "CAFÉ")).containsExactly("decomposed");
    assertThat(keys(c, "大阪")).containsExactly("cjk");
    assertThat(keys(c, "2025")).containsExactly("digits");
    assertThat(keys(c, "v2")).containsExactly("digits");
    assertThat(keys(c, "fullwidth")).containsExactly("fullwidth");
    assertThat(keys(c, "!!! ...")).as("a query without words finds nothing").isEmpty();
  }

  @Test
  void keywordSearchWeighsTermFrequencyAmongChunksWithTheSameWords() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store()
        .upsert(
            c.name(),
            List.of(
                doc("once", ChunkInput.of(0, "kettle on the stove today")),
                doc("thrice", ChunkInput.of(0, "kettle kettle kettle stove")),
                doc("other", ChunkInput.of(0, "stove only"))));

    List<SearchHit> hits = store().keywordSearch(KeywordQuery.of(c.name(), "kettle stove", 10));

    assertThat(hits).extracting(SearchHit::documentKey).containsExactly("thrice", "once", "other");
    // BM25 scores: positive, the rarer word weighs more, its repeats saturate.
    assertThat(hits.get(2).score()).isPositive();
    assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
  }

  @Test
  void concurrentReadersAndWritersKeepTheStoreConsistent() throws Exception {
    CollectionInfo c = newCollection(4, Distance.COSINE);
    int threads = 8;
    int operationsPerThread = 300;
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        long seed = 1234L + t;
        results.add(pool.submit(() -> randomOperations(c.name(), seed, operationsPerThread)));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(operationsPerThread);
      }
    }

    SearchFilter everything =
        SearchFilter.builder()
            .status(DocumentStatus.PENDING)
            .status(DocumentStatus.PROCESSING)
            .status(DocumentStatus.READY)
            .status(DocumentStatus.FAILED)
            .status(DocumentStatus.DELETED)
            .build();
    List<Document> docs =
        store().listDocuments(new DocumentQuery(c.name(), everything, 0, 1000)).items();
    long liveChunks = 0;
    long allChunks = 0;
    for (Document d : docs) {
      List<Chunk> chunks = store().chunks(c.name(), d.key());
      Set<String> versions = new HashSet<>();
      chunks.forEach(ch -> versions.add(ch.text().substring(0, ch.text().indexOf(' '))));
      assertThat(versions).as("chunks of %s come from one upsert", d.key()).hasSizeLessThan(2);
      allChunks += chunks.size();
      if (d.status() != DocumentStatus.DELETED) {
        liveChunks += chunks.size();
      }
    }
    assertThat(store().listChunks(new ChunkQuery(c.name(), everything, null, 0, 10_000)).items())
        .hasSize((int) allChunks);
    assertThat(store().stats(c.name()).chunks()).isEqualTo(liveChunks);
    assertThat(
            store().stats(c.name()).documentsByStatus().values().stream().mapToLong(v -> v).sum())
        .isEqualTo(docs.size());
  }

  private int randomOperations(String collection, long seed, int operations) {
    Random random = new Random(seed);
    VectorStore s = store();
    for (int i = 0; i < operations; i++) {
      String key = "doc-" + random.nextInt(20);
      switch (random.nextInt(9)) {
        case 0, 1 -> {
          int chunks = 1 + random.nextInt(4);
          String version = "v" + seed + "-" + i;
          List<ChunkInput> inputs = new ArrayList<>();
          for (int o = 0; o < chunks; o++) {
            inputs.add(
                random.nextBoolean()
                    ? embedded(o, version + " chunk " + o, 1, o, random.nextInt(3), 1)
                    : ChunkInput.of(o, version + " chunk " + o));
          }
          assertThat(
                  s.upsert(collection, List.of(doc(key, inputs.toArray(ChunkInput[]::new))))
                      .failed())
              .isZero();
        }
        case 2 -> s.softDelete(collection, key);
        case 3 -> s.restore(collection, key);
        case 4 ->
            assertThat(s.search(VectorQuery.of(collection, vector(1, 1, 0, 1), 5)))
                .hasSizeLessThanOrEqualTo(5);
        case 5 -> s.keywordSearch(KeywordQuery.of(collection, "chunk", 5));
        case 6 -> {
          List<Chunk> missing =
              s.listChunks(ChunkQuery.of(collection, 10).withEmbeddingState(EmbeddingState.MISSING))
                  .items();
          List<EmbeddingUpdate> updates = new ArrayList<>();
          for (Chunk ch : missing) {
            updates.add(new EmbeddingUpdate(ch.id(), vector(0, 1, 0, 1), MODEL, ch.contentHash()));
          }
          assertThat(s.updateEmbeddings(collection, updates)).isLessThanOrEqualTo(updates.size());
        }
        case 7 -> {
          long previous = 0;
          ChunkQuery q = ChunkQuery.of(collection, 7);
          for (Page<Chunk> p = s.listChunks(q); ; p = s.listChunks(q)) {
            for (Chunk ch : p.items()) {
              assertThat(ch.id()).isGreaterThan(previous);
              previous = ch.id();
            }
            if (!p.hasNext()) {
              break;
            }
            q = q.after(p.nextAfter().getAsLong());
          }
        }
        default -> {
          if (random.nextInt(4) == 0) {
            s.deleteDocument(collection, key);
          } else {
            s.stats(collection);
          }
        }
      }
    }
    return operations;
  }

  private List<String> keys(CollectionInfo c, String words) {
    return store().keywordSearch(KeywordQuery.of(c.name(), words, 10)).stream()
        .map(SearchHit::documentKey)
        .toList();
  }

  private static List<Long> ids(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::id).toList();
  }

  /** A clock tests move by hand. */
  private static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
