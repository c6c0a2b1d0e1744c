package dev.portfolio.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.ChunkAudit;
import dev.portfolio.core.inspect.ChunkAuditQuery;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.OperationLatency;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.inspect.VectorCheck;
import dev.portfolio.core.inspect.VectorScanPage;
import dev.portfolio.core.inspect.VectorScanQuery;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DeleteResult;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentChange;
import dev.portfolio.core.model.DocumentFingerprint;
import dev.portfolio.core.model.DocumentHit;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.text.Fingerprints;
import dev.portfolio.core.validation.Inputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link VectorStore} must show, as defined by the SPI's javadoc. Extend it
 * once per implementation and implement {@link #createStore()}:
 *
 * <pre>{@code
 * class MyStoreTest extends VectorStoreContract {
 *   @Override
 *   protected VectorStore createStore() {
 *     return new MyStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>Rules the kit follows, so that one shared database can serve every test:
 *
 * <ul>
 *   <li>{@link #createStore()} is called once before each test; the store is closed after it.
 *   <li>Each test works only in collections it creates with {@link #newCollection} or names with
 *       {@link #uniqueName}; they get a random suffix and are dropped after the test.
 *   <li>Tests never depend on each other's data or on their order.
 * </ul>
 *
 * <p>Semantics the kit pins down where the SPI leaves a choice:
 *
 * <ul>
 *   <li>{@link VectorStore#listCollections()} orders names by code point ({@link
 *       String#compareTo}), whatever the database's collation (in SQL: {@code COLLATE "C"}).
 *   <li>A page of {@link VectorStore#listDocuments} or {@link VectorStore#listChunks} carries a
 *       cursor ({@link Page#nextAfter()}, the id of its last item) exactly when it is full, so the
 *       page after a full last page is empty and carries none.
 *   <li>Two threads upserting the same key may see a retriable {@link PortfolioException} (for
 *       example {@link ErrorCode#CONFLICT}); the kit retries those, and in the end exactly one copy
 *       of the document must exist.
 * </ul>
 *
 * <p>Optional abilities are switched by {@link #supports(StoreCapability)}: where a capability is
 * missing, the test asserts that the operation fails with {@link ErrorCode#UNSUPPORTED} instead.
 *
 * @since 0.1.0
 */
public abstract class VectorStoreContract {
  /** The model reference the kit's collections are created with. */
  protected static final String MODEL = "contract:model-a";

  /** Another model reference, for chunks embedded by a model other than their collection's. */
  protected static final String OTHER_MODEL = "contract:model-b";

  /** A third model reference, for a second model switch. */
  private static final String THIRD_MODEL = "contract:model-c";

  private static final double SCORE_TOLERANCE = 1e-4;

  private VectorStore store;
  private final List<String> names = new ArrayList<>();

  /** Creates the contract; subclasses need no constructor arguments. */
  protected VectorStoreContract() {}

  /**
   * Creates the store under test. Called once before each test; the store is closed after it, so
   * return a new instance each time (it may share a database or {@code DataSource}).
   *
   * @return a new store; every collection a test touches has a fresh unique name
   */
  protected abstract VectorStore createStore();

  /**
   * Tells whether the store under test has a capability; tests of a missing one assert the {@link
   * ErrorCode#UNSUPPORTED} error instead (default: {@link VectorStore#supports}).
   *
   * @param capability the capability
   * @return true when the store has it
   */
  protected boolean supports(StoreCapability capability) {
    return store.supports(capability);
  }

  /**
   * Returns the store of the running test.
   *
   * @return the store {@link #createStore()} returned for this test
   */
  protected final VectorStore store() {
    return store;
  }

  /**
   * Returns a collection name no other test uses and drops that collection after the test.
   *
   * @param hint a short lower-case prefix, for example {@code "docs"}
   * @return {@code hint-<random>}, a valid collection name
   */
  protected final String uniqueName(String hint) {
    String name = hint + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    names.add(name);
    return name;
  }

  /**
   * Creates a collection with a unique name and the model {@link #MODEL}.
   *
   * @param dimension the vector dimension
   * @param distance the distance
   * @return the created collection
   */
  protected final CollectionInfo newCollection(int dimension, Distance distance) {
    return store.createCollection(new CollectionSpec(uniqueName("c"), MODEL, dimension, distance));
  }

  /**
   * Creates an embedding.
   *
   * @param values the components
   * @return the embedding
   */
  protected static Embedding vector(float... values) {
    return Embedding.of(values);
  }

  /**
   * Creates a chunk embedded by {@link #MODEL}.
   *
   * @param ordinal the ordinal
   * @param text the text
   * @param values the embedding's components
   * @return the chunk
   */
  protected static ChunkInput embedded(int ordinal, String text, float... values) {
    return ChunkInput.embedded(ordinal, text, Embedding.of(values), MODEL);
  }

  @BeforeEach
  final void openStore() {
    store = createStore();
    assertThat(store).as("createStore()").isNotNull();
  }

  @AfterEach
  final void closeStore() {
    try {
      for (String name : names) {
        try {
          store.dropCollection(name);
        } catch (RuntimeException e) {
          // best effort: the test's own assertions matter more than the clean-up
        }
      }
    } finally {
      store.close();
    }
  }

  // ---------------------------------------------------------------------------- collections

  @Test
  void createCollectionStoresTheSpec() {
    CollectionSpec spec = new CollectionSpec(uniqueName("spec"), MODEL, 5, Distance.L2);

    CollectionInfo created = store.createCollection(spec);

    assertThat(created.spec()).isEqualTo(spec);
    assertThat(created.createdAt()).isNotNull();
    assertThat(store.findCollection(spec.name()))
        .hasValueSatisfying(
            found -> {
              assertThat(found.id()).isEqualTo(created.id());
              assertThat(found.spec()).isEqualTo(spec);
            });
  }

  @Test
  void createCollectionIsIdempotentForAnEqualSpec() {
    CollectionSpec spec = new CollectionSpec(uniqueName("same"), MODEL, 3, Distance.COSINE);
    CollectionInfo first = store.createCollection(spec);

    CollectionInfo second = store.createCollection(spec);

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.spec()).isEqualTo(spec);
    assertThat(store.listCollections().stream().filter(c -> c.name().equals(spec.name())))
        .hasSize(1);
  }

  @Test
  void createCollectionWithAnotherSpecFailsWithAlreadyExists() {
    String name = uniqueName("conflict");
    store.createCollection(new CollectionSpec(name, MODEL, 3, Distance.COSINE));

    for (CollectionSpec other :
        List.of(
            new CollectionSpec(name, MODEL, 4, Distance.COSINE),
            new CollectionSpec(name, OTHER_MODEL, 3, Distance.COSINE),
            new CollectionSpec(name, MODEL, 3, Distance.L2))) {
      assertThatThrownBy(() -> store.createCollection(other))
          .as("createCollection(%s)", other)
          .isInstanceOfSatisfying(
              NonRetriableException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
          .hasMessageContaining("'" + name + "'")
          .hasMessageContaining("model=" + MODEL + ", dimension=3, distance=COSINE")
          .hasMessageContaining(
              "model="
                  + other.model()
                  + ", dimension="
                  + other.dimension()
                  + ", distance="
                  + other.distance());
    }
    assertThat(store.findCollection(name))
        .hasValueSatisfying(c -> assertThat(c.dimension()).isEqualTo(3));
  }

  @Test
  void listCollectionsIsOrderedByNameInCodePointOrder() {
    String prefix = "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    // '-' < '_' < letters by code point; a linguistic collation would ignore the punctuation
    List<String> expected = List.of(prefix + "-b", prefix + "_a", prefix + "a");
    names.addAll(expected);
    for (String name : List.of(expected.get(2), expected.get(0), expected.get(1))) {
      store.createCollection(CollectionSpec.of(name, MODEL, 3));
    }

    List<String> listed = store.listCollections().stream().map(CollectionInfo::name).toList();

    assertThat(listed.stream().filter(n -> n.startsWith(prefix)))
        .containsExactlyElementsOf(expected);
    assertThat(listed).isSortedAccordingTo(Comparator.naturalOrder());
  }

  @Test
  void dropCollectionRemovesItWithItsDocuments() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("d1", embedded(0, "one", 1, 0, 0))));

    assertThat(store.dropCollection(c.name())).isTrue();
    assertThat(store.dropCollection(c.name())).isFalse();
    assertThat(store.findCollection(c.name())).isEmpty();
    assertThat(store.listCollections()).extracting(CollectionInfo::name).doesNotContain(c.name());

    store.createCollection(c.spec());
    assertThat(store.findDocument(c.name(), "d1")).isEmpty();
    assertThat(store.stats(c.name()).chunks()).isZero();
  }

  @Test
  void replaceCollectionPutsTheReplacementInTheTargetsPlaceAtomically() {
    CollectionInfo target = newCollection(3, Distance.COSINE);
    CollectionInfo staging = newCollection(5, Distance.COSINE);
    store.upsert(target.name(), List.of(doc("old", embedded(0, "old words", 1, 0, 0))));
    store.upsert(
        staging.name(),
        List.of(
            doc("new-1", embedded(0, "new words", 0, 0, 0, 0, 1)),
            doc("new-2", embedded(0, "more new words", 0, 0, 0, 1, 0))));
    store.softDelete(staging.name(), "new-2");

    CollectionInfo replaced = store.replaceCollection(target.name(), staging.name());

    assertThat(replaced.name()).isEqualTo(target.name());
    assertThat(replaced.dimension()).isEqualTo(5);
    assertThat(store.findCollection(staging.name())).isEmpty();
    assertThat(store.findDocument(target.name(), "old")).isEmpty();
    assertThat(store.findDocument(target.name(), "new-1").orElseThrow().collection())
        .isEqualTo(target.name());
    assertThat(store.findDocument(target.name(), "new-2").orElseThrow().status())
        .isEqualTo(DocumentStatus.DELETED);
    assertThat(store.chunks(target.name(), "new-1"))
        .extracting(Chunk::collection, Chunk::text)
        .containsExactly(tuple(target.name(), "new words"));
    assertThat(store.search(VectorQuery.of(target.name(), vector(0, 0, 0, 0, 1), 5)))
        .extracting(SearchHit::documentKey)
        .containsExactly("new-1");
    assertThat(store.embeddingSets(target.name()))
        .extracting(EmbeddingSet::collection)
        .containsOnly(target.name());
    assertThat(store.stats(target.name()).chunks()).as("chunks of live documents").isEqualTo(1);

    String fresh = uniqueName("fresh");
    assertThat(store.replaceCollection(fresh, target.name()).name())
        .as("a target that does not exist is a rename")
        .isEqualTo(fresh);
    assertThat(store.findCollection(target.name())).isEmpty();
    assertThat(store.chunks(fresh, "new-1")).hasSize(1);

    assertThatThrownBy(() -> store.replaceCollection(fresh, uniqueName("missing")))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> store.replaceCollection(fresh, fresh))
        .isInstanceOfSatisfying(
            PortfolioException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThat(store.chunks(fresh, "new-1")).as("failed replaces change nothing").hasSize(1);
  }

  @Test
  void collectionsKeepTheirOwnDimensionAndDocuments() {
    CollectionInfo small = newCollection(3, Distance.COSINE);
    CollectionInfo large = newCollection(5, Distance.COSINE);

    store.upsert(small.name(), List.of(doc("same-key", embedded(0, "small", 1, 0, 0))));
    store.upsert(large.name(), List.of(doc("same-key", embedded(0, "large", 0, 0, 0, 0, 1))));

    assertThat(store.chunks(small.name(), "same-key"))
        .extracting(Chunk::text)
        .containsExactly("small");
    assertThat(store.chunks(large.name(), "same-key"))
        .extracting(Chunk::text)
        .containsExactly("large");
    assertThat(store.search(VectorQuery.of(large.name(), vector(0, 0, 0, 0, 1), 5)))
        .extracting(SearchHit::text)
        .containsExactly("large");
  }

  @Test
  void invalidCollectionNamesAreRejectedWithTheRule() {
    assertInvalidName(
        () -> store.findCollection("Docs"),
        "Invalid collection name \"Docs\": it contains upper-case letters; use \"docs\"."
            + " Names must match ^[a-z0-9][a-z0-9_-]{0,62}$.");
    assertInvalidName(
        () -> store.dropCollection("my docs"),
        "Invalid collection name \"my docs\": it must start with a-z or 0-9 and contain only a-z,"
            + " 0-9, '_' and '-'.");
    assertInvalidName(
        () -> store.upsert("", List.of()), "Invalid collection name \"\": it is empty.");
    assertInvalidName(
        () -> store.stats("-leading-dash"),
        "Invalid collection name \"-leading-dash\": it must start with a-z or 0-9");
    assertInvalidName(
        () -> store.findDocument("x".repeat(64), "k"), "it is 64 characters long (at most 63)");
    assertInvalidName(
        () -> store.createCollection(CollectionSpec.of("bad;drop", MODEL, 3)),
        "Invalid collection name \"bad;drop\"");
  }

  @Test
  void everyOperationOnAMissingCollectionFailsWithNotFound() {
    String missing = uniqueName("missing");
    Map<String, ThrowingCallable> operations = new LinkedHashMap<>();
    operations.put("upsert", () -> store.upsert(missing, List.of(doc("k", ChunkInput.of(0, "t")))));
    operations.put("upsert(empty)", () -> store.upsert(missing, List.of()));
    operations.put("findDocument", () -> store.findDocument(missing, "k"));
    operations.put("chunks", () -> store.chunks(missing, "k"));
    operations.put("listDocuments", () -> store.listDocuments(DocumentQuery.of(missing, 10)));
    operations.put("listChunks", () -> store.listChunks(ChunkQuery.of(missing, 10)));
    operations.put(
        "streamChunks",
        () -> {
          try (Stream<Chunk> s = store.streamChunks(ChunkQuery.of(missing, 10))) {
            s.count();
          }
        });
    operations.put("updateEmbeddings", () -> store.updateEmbeddings(missing, List.of()));
    operations.put(
        "updateStatus", () -> store.updateStatus(missing, "k", DocumentStatus.READY, null));
    operations.put("deleteDocument", () -> store.deleteDocument(missing, "k"));
    operations.put("deleteBySource", () -> store.deleteBySource(missing, "s"));
    operations.put("deleteBySource(limit)", () -> store.deleteBySource(missing, "s", 10));
    operations.put("softDelete", () -> store.softDelete(missing, "k"));
    operations.put("restore", () -> store.restore(missing, "k"));
    operations.put("search", () -> store.search(VectorQuery.of(missing, vector(1, 0, 0), 5)));
    operations.put("stats", () -> store.stats(missing));
    operations.put("stats(setId)", () -> store.stats(missing, 0));
    operations.put("storageBytes", () -> store.storageBytes(missing));
    operations.put("embeddingSets", () -> store.embeddingSets(missing));
    operations.put("activeSet", () -> store.activeSet(missing));
    operations.put("buildingSet", () -> store.buildingSet(missing));
    operations.put("createBuildingSet", () -> store.createBuildingSet(missing, OTHER_MODEL, 5));
    operations.put("writeVectors", () -> store.writeVectors(missing, 0, List.of()));
    operations.put("activateSet", () -> store.activateSet(missing, 1));
    operations.put("rollback", () -> store.rollback(missing));
    operations.put("dropSet", () -> store.dropSet(missing, 1));
    if (supports(StoreCapability.KEYWORD_SEARCH)) {
      operations.put("keywordSearch", () -> store.keywordSearch(KeywordQuery.of(missing, "w", 5)));
      operations.put(
          "hybridSearch",
          () -> store.hybridSearch(HybridQuery.of(missing, vector(1, 0, 0), "w", 5)));
    }

    operations.forEach(
        (name, operation) ->
            assertThatThrownBy(operation)
                .as(name)
                .isInstanceOfSatisfying(
                    PortfolioException.class,
                    e -> assertThat(e.code()).as(name).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("Collection '" + missing + "' does not exist"));
  }

  // ---------------------------------------------------------------------------- upsert

  @Test
  void upsertCountsInsertedUpdatedAndUnchangedDocuments() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput one = doc("one", embedded(0, "first", 1, 0, 0));
    DocumentInput two = doc("two", embedded(0, "second", 0, 1, 0));

    assertThat(store.upsert(c.name(), List.of(one, two)))
        .isEqualTo(new UpsertResult(2, 0, 0, List.of()));
    assertThat(store.upsert(c.name(), List.of(one, two)))
        .isEqualTo(new UpsertResult(0, 0, 2, List.of()));

    DocumentInput changed = doc("two", embedded(0, "second, edited", 0, 1, 0));
    DocumentInput three = doc("three", ChunkInput.of(0, "third"));
    assertThat(store.upsert(c.name(), List.of(one, changed, three)))
        .isEqualTo(new UpsertResult(1, 1, 1, List.of()));
    assertThat(store.chunks(c.name(), "two"))
        .extracting(Chunk::text)
        .containsExactly("second, edited");
  }

  @Test
  void upsertOfAnEmptyListIsANoOp() {
    CollectionInfo c = newCollection(3, Distance.COSINE);

    assertThat(store.upsert(c.name(), List.of())).isEqualTo(new UpsertResult(0, 0, 0, List.of()));
    assertThat(store.listDocuments(DocumentQuery.of(c.name(), 10)).items()).isEmpty();
  }

  @Test
  void upsertTreatsAnyChangeOfStatusMetadataFingerprintOrChunksAsAnUpdate() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput base =
        DocumentInput.builder("k")
            .fingerprint("fp-1")
            .metadata("lang", "en")
            .chunk(embedded(0, "text", 1, 0, 0))
            .build();
    store.upsert(c.name(), List.of(base));
    long id = store.findDocument(c.name(), "k").orElseThrow().id();

    List<DocumentInput> variants =
        List.of(
            DocumentInput.builder("k")
                .fingerprint("fp-2")
                .metadata("lang", "en")
                .chunk(embedded(0, "text", 1, 0, 0))
                .build(),
            DocumentInput.builder("k")
                .fingerprint("fp-2")
                .metadata("lang", "de")
                .chunk(embedded(0, "text", 1, 0, 0))
                .build(),
            DocumentInput.builder("k")
                .fingerprint("fp-2")
                .metadata("lang", "de")
                .status(DocumentStatus.PROCESSING)
                .chunk(embedded(0, "text", 1, 0, 0))
                .build(),
            DocumentInput.builder("k")
                .fingerprint("fp-2")
                .metadata("lang", "de")
                .status(DocumentStatus.PROCESSING)
                .chunk(embedded(0, "text", 0, 1, 0))
                .build(),
            DocumentInput.builder("k")
                .fingerprint("fp-2")
                .metadata("lang", "de")
                .status(DocumentStatus.PROCESSING)
                .chunk(ChunkInput.embedded(0, "text", vector(0, 1, 0), OTHER_MODEL))
                .build(),
            DocumentInput.builder("k")
                .fingerprint("fp-2")
                .metadata("lang", "de")
                .status(DocumentStatus.PROCESSING)
                .chunk(ChunkInput.of(0, "text"))
                .build());

    for (DocumentInput variant : variants) {
      assertThat(store.upsert(c.name(), List.of(variant)))
          .as("upsert of %s", variant)
          .isEqualTo(new UpsertResult(0, 1, 0, List.of()));
      assertThat(store.upsert(c.name(), List.of(variant)))
          .as("repeated upsert of %s", variant)
          .isEqualTo(new UpsertResult(0, 0, 1, List.of()));
    }
    Document stored = store.findDocument(c.name(), "k").orElseThrow();
    assertThat(stored.id()).as("an update keeps the document id").isEqualTo(id);
    assertThat(stored.fingerprint()).isEqualTo("fp-2");
    assertThat(stored.metadata()).isEqualTo(Map.of("lang", "de"));
    assertThat(stored.status()).isEqualTo(DocumentStatus.PROCESSING);
    assertThat(store.chunks(c.name(), "k"))
        .singleElement()
        .satisfies(
            chunk -> {
              assertThat(chunk.embedding()).isNull();
              assertThat(chunk.embeddingModel()).isNull();
            });
  }

  @Test
  void upsertReplacesChunksOfExistingDocument() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc(
                "k",
                embedded(0, "old zero", 1, 0, 0),
                embedded(1, "old one", 0, 1, 0),
                embedded(2, "old two", 0, 0, 1))));
    Set<Long> oldIds = ids(store.chunks(c.name(), "k"));

    UpsertResult result =
        store.upsert(
            c.name(),
            List.of(doc("k", embedded(0, "new zero", 1, 1, 0), ChunkInput.of(1, "new one"))));

    assertThat(result.updated()).isEqualTo(1);
    List<Chunk> chunks = store.chunks(c.name(), "k");
    assertThat(chunks)
        .extracting(Chunk::ordinal, Chunk::text)
        .containsExactly(tuple(0, "new zero"), tuple(1, "new one"));
    assertThat(chunks.get(1).embedding()).isNull();
    List<Chunk> all = store.listChunks(ChunkQuery.of(c.name(), 100)).items();
    assertThat(all).extracting(Chunk::text).containsExactlyInAnyOrder("new zero", "new one");
    Set<Long> removed = new HashSet<>(oldIds);
    removed.removeAll(ids(chunks));
    assertThat(ids(all)).doesNotContainAnyElementsOf(removed);
    assertThat(store.stats(c.name()).chunks()).isEqualTo(2);
    assertThat(store.search(VectorQuery.of(c.name(), vector(0, 0, 1), 10)))
        .extracting(SearchHit::text)
        .containsExactly("new zero");
  }

  @Test
  void upsertRejectsBadDocumentsAndStoresTheGoodOnes() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("kept", embedded(0, "kept v1", 1, 0, 0))));

    List<DocumentInput> batch =
        List.of(
            doc("good-1", embedded(0, "good one", 1, 0, 0), embedded(1, "good one b", 0, 1, 0)),
            doc("wrong-dim", embedded(0, "fine", 1, 0, 0), embedded(1, "four", 1, 0, 0, 0)),
            doc("nul", ChunkInput.of(0, "a\u0000b")),
            doc("blank", ChunkInput.of(0, "fine"), ChunkInput.of(1, " \t\n ")),
            doc("oversize", ChunkInput.of(0, "x".repeat(Inputs.MAX_CHUNK_TEXT_LENGTH + 1))),
            doc("dup-ordinal", ChunkInput.of(0, "zero"), ChunkInput.of(0, "zero again")),
            DocumentInput.builder("null-meta")
                .metadata("owner", null)
                .chunk(ChunkInput.of(0, "t"))
                .build(),
            doc("kept", embedded(0, "kept v2", 0, 1, 0), ChunkInput.of(1, "")),
            doc("good-2", ChunkInput.of(0, "good two")),
            doc("good-1", embedded(0, "impostor", 0, 0, 1)));

    UpsertResult result = store.upsert(c.name(), batch);

    assertThat(result.inserted()).isEqualTo(2);
    assertThat(result.updated()).isZero();
    assertThat(result.unchanged()).isZero();
    Map<String, String> reasons = new TreeMap<>();
    result.failures().forEach(f -> reasons.merge(f.key(), f.reason(), (x, y) -> x + " | " + y));
    assertThat(reasons)
        .containsOnlyKeys(
            "wrong-dim", "nul", "blank", "oversize", "dup-ordinal", "null-meta", "kept", "good-1");
    assertThat(reasons.get("wrong-dim"))
        .contains("chunk 1: the embedding has 4 dimensions but the collection stores 3");
    assertThat(reasons.get("nul"))
        .contains("chunk 0: text contains a NUL character (U+0000) at index 1");
    assertThat(reasons.get("blank")).contains("chunk 1: text is empty or blank");
    assertThat(reasons.get("oversize"))
        .contains("chunk 0: text is 100001 characters long; the limit is 100000");
    assertThat(reasons.get("dup-ordinal")).contains("chunk ordinal 0 appears more than once");
    assertThat(reasons.get("null-meta")).contains("metadata key \"owner\" has a null value");
    assertThat(reasons.get("kept")).contains("chunk 1: text is empty or blank");
    assertThat(reasons.get("good-1")).contains("appears more than once in this batch");

    assertThat(store.chunks(c.name(), "good-1"))
        .extracting(Chunk::text)
        .containsExactly("good one", "good one b");
    assertThat(store.chunks(c.name(), "good-2"))
        .extracting(Chunk::text)
        .containsExactly("good two");
    for (String bad :
        List.of("wrong-dim", "nul", "blank", "oversize", "dup-ordinal", "null-meta")) {
      assertThat(store.findDocument(c.name(), bad)).as(bad).isEmpty();
      assertThat(store.chunks(c.name(), bad)).as(bad).isEmpty();
    }
    assertThat(store.chunks(c.name(), "kept"))
        .as("a rejected update leaves the stored version whole")
        .extracting(Chunk::text)
        .containsExactly("kept v1");
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 100)).items())
        .extracting(Chunk::text)
        .containsExactlyInAnyOrder("kept v1", "good one", "good one b", "good two");
  }

  @Test
  void upsertOfADocumentWithoutChunksIsReportedAndNothingIsStored() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("existing", embedded(0, "kept", 1, 0, 0))));

    UpsertResult result =
        store.upsert(
            c.name(),
            List.of(doc("empty"), doc("existing"), doc("fine", ChunkInput.of(0, "fine"))));

    assertThat(result.inserted()).isEqualTo(1);
    assertThat(result.updated()).isZero();
    assertThat(result.failures())
        .extracting(UpsertResult.Failure::key)
        .containsExactlyInAnyOrder("empty", "existing");
    assertThat(result.failures())
        .allSatisfy(f -> assertThat(f.reason()).contains("document has no chunks"));
    assertThat(store.findDocument(c.name(), "empty")).isEmpty();
    assertThat(store.chunks(c.name(), "existing"))
        .as("the stored version stays whole")
        .extracting(Chunk::text)
        .containsExactly("kept");
    assertThat(store.stats(c.name()).chunks()).isEqualTo(2);
  }

  @Test
  void nonFiniteVectorsCannotEvenBeConstructed() {
    assertThatThrownBy(() -> Embedding.of(1f, Float.NaN, 0f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("embedding component 1 is NaN");
    assertThatThrownBy(() -> Embedding.of(0f, 0f, Float.POSITIVE_INFINITY))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("embedding component 2 is Infinity");
  }

  @Test
  void unicodeTextRoundTripsUnchanged() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    List<String> texts =
        List.of(
            "emoji 👩‍💻🚀 and a flag 🇫🇷",
            "東京の天気は晴れです。中文也可以。한국어도",
            "combining marks: e\u0301 n\u0303 a\u0308 (not normalised)",
            "right-to-left: שלום עולם, مرحبا بالعالم",
            "math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and a zero-width\u200Bspace");
    List<ChunkInput> chunks = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      chunks.add(embedded(i, texts.get(i), 1, i, 0));
    }
    String key = "ключ-🔑-鍵";
    store.upsert(
        c.name(), List.of(DocumentInput.builder(key).sourceId("源/ファイル.md").chunks(chunks).build()));

    List<Chunk> stored = store.chunks(c.name(), key);

    assertThat(stored).extracting(Chunk::text).containsExactlyElementsOf(texts);
    assertThat(stored)
        .allSatisfy(
            ch -> assertThat(ch.contentHash()).isEqualTo(Fingerprints.sha256Hex(ch.text())));
    assertThat(store.findDocument(c.name(), key))
        .hasValueSatisfying(
            d -> {
              assertThat(d.key()).isEqualTo(key);
              assertThat(d.sourceId()).isEqualTo("源/ファイル.md");
            });
    assertThat(store.search(VectorQuery.of(c.name(), vector(1, 1, 0), 1)))
        .extracting(SearchHit::text)
        .containsExactly(texts.get(1));
  }

  @Test
  void metadataRoundTripsOnDocumentsChunksAndHits() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    Map<String, String> docMeta =
        Map.of(
            "title", "Ünïcödé ✓ \"quoted\" {json: [1]}",
            "empty", "",
            "path", "/a/b\\c",
            "multi", "line one\nline two");
    Map<String, String> chunkMeta = Map.of("page", "3", "heading", "Überschrift");
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("m")
                .workspace("tenant-1")
                .metadata(docMeta)
                .chunk(new ChunkInput(0, "with metadata", 7, vector(1, 0, 0), MODEL, chunkMeta))
                .build()));

    Document d = store.findDocument(c.name(), "m").orElseThrow();
    assertThat(d.metadata()).isEqualTo(docMeta);
    assertThat(d.workspace()).isEqualTo("tenant-1");
    assertThat(store.chunks(c.name(), "m"))
        .singleElement()
        .satisfies(
            ch -> {
              assertThat(ch.metadata()).isEqualTo(chunkMeta);
              assertThat(ch.tokenCount()).isEqualTo(7);
            });
    assertThat(store.search(VectorQuery.of(c.name(), vector(1, 0, 0), 1)))
        .singleElement()
        .satisfies(hit -> assertThat(hit.metadata()).isEqualTo(docMeta));
  }

  @Test
  void upsertStoresTheGivenOrDerivedStatus() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("all-embedded", embedded(0, "a", 1, 0, 0)),
            doc("some-missing", embedded(0, "a", 1, 0, 0), ChunkInput.of(1, "b")),
            DocumentInput.builder("explicit")
                .status(DocumentStatus.PROCESSING)
                .chunk(ChunkInput.of(0, "c"))
                .build()));

    assertThat(status(c, "all-embedded")).isEqualTo(DocumentStatus.READY);
    assertThat(status(c, "some-missing")).isEqualTo(DocumentStatus.PENDING);
    assertThat(status(c, "explicit")).isEqualTo(DocumentStatus.PROCESSING);
  }

  @Test
  void upsertBringsBackASoftDeletedDocumentWithTheGivenStatus() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput input = doc("k", embedded(0, "text", 1, 0, 0));
    store.upsert(c.name(), List.of(input));
    store.softDelete(c.name(), "k");

    UpsertResult result = store.upsert(c.name(), List.of(input));

    assertThat(result.written()).isEqualTo(1);
    Document d = store.findDocument(c.name(), "k").orElseThrow();
    assertThat(d.status()).isEqualTo(DocumentStatus.READY);
    assertThat(d.deletedAt()).isNull();
    assertThat(store.search(VectorQuery.of(c.name(), vector(1, 0, 0), 5))).hasSize(1);
  }

  @Test
  void chunksAreReturnedInOrdinalOrderAndUnknownKeysAreEmpty() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("k", ChunkInput.of(2, "two"), ChunkInput.of(0, "zero"), ChunkInput.of(1, "one"))));

    assertThat(store.chunks(c.name(), "k")).extracting(Chunk::ordinal).containsExactly(0, 1, 2);
    assertThat(store.chunks(c.name(), "k"))
        .allSatisfy(
            ch -> {
              assertThat(ch.collection()).isEqualTo(c.name());
              assertThat(ch.documentKey()).isEqualTo("k");
            });
    assertThat(store.chunks(c.name(), "unknown")).isEmpty();
    assertThat(store.findDocument(c.name(), "unknown")).isEmpty();
  }

  // ---------------------------------------------------------------------------- vector search

  @ParameterizedTest
  @EnumSource(Distance.class)
  void searchRanksByTheCollectionsDistance(Distance distance) {
    CollectionInfo c = newCollection(4, distance);
    Map<String, Embedding> vectors = new LinkedHashMap<>();
    vectors.put("a", vector(2, 0, 0, 0));
    vectors.put("b", vector(0.5f, 0.1f, 0, 0));
    vectors.put("c", vector(3, 3, 0, 0));
    vectors.put("d", vector(1, 0.5f, 0, 0));
    vectors.put("e", vector(0, 1, 0, 0));
    vectors.put("f", vector(-1, 0, 0, 0));
    List<DocumentInput> docs = new ArrayList<>();
    vectors.forEach(
        (key, v) -> docs.add(doc(key, ChunkInput.embedded(0, "chunk " + key, v, MODEL))));
    docs.add(doc("no-embedding", ChunkInput.of(0, "never matches a vector search")));
    store.upsert(c.name(), docs);
    Embedding query = vector(1, 0, 0, 0);

    List<SearchHit> hits = store.search(VectorQuery.of(c.name(), query, 10));

    List<String> bruteForce =
        vectors.keySet().stream()
            .sorted(Comparator.comparingDouble(k -> distance.distance(query, vectors.get(k))))
            .toList();
    Map<Distance, List<String>> handChecked =
        Map.of(
            Distance.COSINE, List.of("a", "b", "d", "c", "e", "f"),
            Distance.L2, List.of("d", "b", "a", "e", "f", "c"),
            Distance.INNER_PRODUCT, List.of("c", "a", "d", "b", "e", "f"));
    assertThat(bruteForce).isEqualTo(handChecked.get(distance));
    assertThat(hits).extracting(SearchHit::documentKey).containsExactlyElementsOf(bruteForce);
    for (SearchHit hit : hits) {
      double expected = distance.score(distance.distance(query, vectors.get(hit.documentKey())));
      assertThat(hit.score())
          .as("score of %s", hit.documentKey())
          .isCloseTo(expected, within(SCORE_TOLERANCE));
    }
    assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo(Comparator.reverseOrder());
  }

  @Test
  void searchHitCarriesTheChunkAndItsDocumentsIdentity() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("doc-1")
                .sourceId("file:///a.md")
                .metadata("lang", "en")
                .chunk(embedded(0, "far", 0, 1, 0))
                .chunk(embedded(1, "near", 1, 0, 0))
                .build()));
    Chunk near = store.chunks(c.name(), "doc-1").get(1);

    SearchHit hit = store.search(VectorQuery.of(c.name(), vector(1, 0, 0), 1)).get(0);

    assertThat(hit.collection()).isEqualTo(c.name());
    assertThat(hit.documentKey()).isEqualTo("doc-1");
    assertThat(hit.sourceId()).isEqualTo("file:///a.md");
    assertThat(hit.chunkId()).isEqualTo(near.id());
    assertThat(hit.ordinal()).isEqualTo(1);
    assertThat(hit.text()).isEqualTo("near");
    assertThat(hit.score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
    assertThat(hit.metadata()).isEqualTo(Map.of("lang", "en"));
  }

  @Test
  void searchReturnsAtMostLimitHitsAndLimitsOutOfRangeAreRejected() {
    CollectionInfo c = newCollection(3, Distance.L2);
    List<DocumentInput> docs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      docs.add(doc("d" + i, embedded(0, "chunk " + i, i, 0, 0)));
    }
    store.upsert(c.name(), docs);

    assertThat(store.search(VectorQuery.of(c.name(), vector(0, 0, 0), 3)))
        .extracting(SearchHit::documentKey)
        .containsExactly("d0", "d1", "d2");
    assertThat(store.search(VectorQuery.of(c.name(), vector(0, 0, 0), 1))).hasSize(1);
    assertThat(store.search(VectorQuery.of(c.name(), vector(0, 0, 0), VectorQuery.MAX_LIMIT)))
        .hasSize(12);
    assertThatThrownBy(() -> VectorQuery.of(c.name(), vector(0, 0, 0), 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("limit must be between 1 and 1000 (was 0)");
    assertThatThrownBy(() -> VectorQuery.of(c.name(), vector(0, 0, 0), 1001))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("limit must be between 1 and 1000 (was 1001)");
    assertThatThrownBy(() -> ChunkQuery.of(c.name(), 10_001))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("limit must be between 1 and 10000 (was 10001)");
    assertThatThrownBy(() -> DocumentQuery.of(c.name(), 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("limit must be between 1 and 10000 (was 0)");
  }

  @Test
  void searchWithAVectorOfAnotherDimensionFailsWithDimensionMismatch() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", embedded(0, "t", 1, 0, 0))));

    assertThatThrownBy(() -> store.search(VectorQuery.of(c.name(), vector(1, 0, 0, 0), 5)))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH))
        .hasMessageContaining("has 4 dimensions but collection '" + c.name() + "' stores 3");
  }

  @Test
  void anAllZeroQueryVectorIsRejectedInACosineCollectionOnly() {
    CollectionInfo cosine = newCollection(3, Distance.COSINE);
    CollectionInfo l2 = newCollection(3, Distance.L2);
    CollectionInfo inner = newCollection(3, Distance.INNER_PRODUCT);
    for (CollectionInfo c : List.of(cosine, l2, inner)) {
      store.upsert(c.name(), List.of(doc("k", embedded(0, "t", 1, 0, 0))));
    }

    assertFailsWith(
            ErrorCode.INVALID_ARGUMENT,
            () -> store.search(VectorQuery.of(cosine.name(), vector(0, 0, 0), 5)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("all zeros");
    assertThat(keys(store.search(VectorQuery.of(l2.name(), vector(0, 0, 0), 5))))
        .containsExactly("k");
    assertThat(keys(store.search(VectorQuery.of(inner.name(), vector(0, 0, 0), 5))))
        .containsExactly("k");
  }

  @Test
  void aStoredAllZeroVectorNeverMatchesACosineSearch() {
    CollectionInfo cosine = newCollection(3, Distance.COSINE);
    CollectionInfo l2 = newCollection(3, Distance.L2);
    for (CollectionInfo c : List.of(cosine, l2)) {
      store.upsert(
          c.name(),
          List.of(
              doc("zero", embedded(0, "zero", 0, 0, 0)),
              doc("real", embedded(0, "real", 1, 0, 0)),
              doc("later", ChunkInput.of(0, "later"))));
      Chunk later = store.chunks(c.name(), "later").get(0);
      store.updateEmbeddings(
          c.name(),
          List.of(new EmbeddingUpdate(later.id(), vector(0, 0, 0), MODEL, later.contentHash())));
    }

    assertThat(keys(store.search(VectorQuery.of(cosine.name(), vector(1, 1, 1), 10))))
        .containsExactly("real");
    assertThat(keys(store.search(VectorQuery.of(l2.name(), vector(1, 1, 1), 10))))
        .as("other distances rank zero vectors like any other")
        .containsExactlyInAnyOrder("zero", "real", "later");
  }

  @Test
  void filtersRestrictSearchesAndListingsBySourceWorkspaceStatusMetadataAndKey() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            filterDoc("d1", "s1", "w1", null, Map.of("lang", "en", "team", "x"), 1, 0, 0),
            filterDoc("d2", "s1", "w2", DocumentStatus.FAILED, Map.of("lang", "de"), 0, 1, 0),
            filterDoc("d3", "s2", "w1", DocumentStatus.PENDING, Map.of("lang", "en"), 0, 0, 1),
            filterDoc("d4", "s2", null, null, Map.of("lang", "en", "team", "x"), 1, 1, 0),
            filterDoc("d5", "s3", "w1", null, Map.of("lang", "en"), 1, 0, 1)));
    store.softDelete(c.name(), "d5");

    Map<SearchFilter, Set<String>> expectations = new LinkedHashMap<>();
    expectations.put(SearchFilter.none(), Set.of("d1", "d2", "d3", "d4"));
    expectations.put(SearchFilter.builder().sourceId("s1").build(), Set.of("d1", "d2"));
    expectations.put(
        SearchFilter.builder().sourceId("s1").sourceId("s3").build(), Set.of("d1", "d2"));
    expectations.put(SearchFilter.builder().workspace("w1").build(), Set.of("d1", "d3"));
    expectations.put(SearchFilter.builder().status(DocumentStatus.FAILED).build(), Set.of("d2"));
    expectations.put(
        SearchFilter.builder().status(DocumentStatus.READY).status(DocumentStatus.PENDING).build(),
        Set.of("d1", "d3", "d4"));
    expectations.put(
        SearchFilter.builder().metadata("lang", "en").build(), Set.of("d1", "d3", "d4"));
    expectations.put(
        SearchFilter.builder().sourceId("s2").metadata("lang", "en").metadata("team", "x").build(),
        Set.of("d4"));
    expectations.put(SearchFilter.builder().sourceId("s1").workspace("w1").build(), Set.of("d1"));
    expectations.put(SearchFilter.builder().metadata("lang", "fr").build(), Set.of());
    expectations.put(
        SearchFilter.builder().documentKey("d1").documentKey("d4").build(), Set.of("d1", "d4"));
    expectations.put(SearchFilter.builder().documentKeys(List.of("d5", "nope")).build(), Set.of());
    expectations.put(
        SearchFilter.builder().documentKey("d2").documentKey("d3").sourceId("s2").build(),
        Set.of("d3"));

    expectations.forEach(
        (filter, expected) -> {
          assertThat(
                  keys(
                      store.search(
                          VectorQuery.of(c.name(), vector(1, 1, 1), 100).withFilter(filter))))
              .as("search with %s", filter)
              .isEqualTo(expected);
          assertThat(
                  store.listDocuments(new DocumentQuery(c.name(), filter, 0, 100)).items().stream()
                      .map(Document::key)
                      .collect(Collectors.toSet()))
              .as("listDocuments with %s", filter)
              .isEqualTo(expected);
          assertThat(
                  store.listChunks(ChunkQuery.of(c.name(), 100).withFilter(filter)).items().stream()
                      .map(Chunk::documentKey)
                      .collect(Collectors.toSet()))
              .as("listChunks with %s", filter)
              .isEqualTo(expected);
          if (supports(StoreCapability.KEYWORD_SEARCH)) {
            assertThat(keys(store.keywordSearch(new KeywordQuery(c.name(), "shared", 100, filter))))
                .as("keywordSearch with %s", filter)
                .isEqualTo(expected);
          }
        });
    assertThat(
            store
                .listDocuments(
                    new DocumentQuery(
                        c.name(),
                        SearchFilter.builder().status(DocumentStatus.DELETED).build(),
                        0,
                        100))
                .items())
        .extracting(Document::key)
        .containsExactly("d5");
  }

  @Test
  void includeDeletedListsSoftDeletedDocumentsToo() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("live").sourceId("s1").chunk(ChunkInput.of(0, "live")).build(),
            DocumentInput.builder("hidden")
                .sourceId("s1")
                .chunk(ChunkInput.of(0, "hidden"))
                .build(),
            DocumentInput.builder("other")
                .sourceId("s2")
                .chunk(ChunkInput.of(0, "other"))
                .build()));
    store.softDelete(c.name(), "hidden");
    SearchFilter all = SearchFilter.builder().includeDeleted().build();
    SearchFilter firstSource = SearchFilter.builder().sourceId("s1").includeDeleted().build();

    assertThat(documentKeys(c, all)).containsExactlyInAnyOrder("live", "hidden", "other");
    assertThat(documentKeys(c, firstSource)).containsExactlyInAnyOrder("live", "hidden");
    assertThat(documentKeys(c, SearchFilter.none())).containsExactlyInAnyOrder("live", "other");
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 100).withFilter(all)).items())
        .extracting(Chunk::documentKey)
        .containsExactlyInAnyOrder("live", "hidden", "other");
  }

  // ---------------------------------------------------------------------------- deletes

  @Test
  void deleteDocumentRemovesItAndCountsItsChunks() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc(
                "gone",
                embedded(0, "a", 1, 0, 0),
                embedded(1, "b", 0, 1, 0),
                ChunkInput.of(2, "c")),
            doc("stays", embedded(0, "d", 1, 0, 0))));

    assertThat(store.deleteDocument(c.name(), "gone")).isEqualTo(new DeleteResult(1, 3));
    assertThat(store.deleteDocument(c.name(), "gone")).isEqualTo(DeleteResult.NONE);

    assertThat(store.findDocument(c.name(), "gone")).isEmpty();
    assertThat(store.chunks(c.name(), "gone")).isEmpty();
    assertThat(keys(store.search(VectorQuery.of(c.name(), vector(1, 0, 0), 10))))
        .containsExactly("stays");
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 100)).items()).hasSize(1);
  }

  @Test
  void deleteBySourceRemovesEveryDocumentOfTheSourceAndCountsChunks() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            sourced("a1", "src-a", 2),
            sourced("a2", "src-a", 3),
            sourced("a3", "src-a", 1),
            sourced("b1", "src-b", 4)));
    store.softDelete(c.name(), "a3");

    assertThat(store.deleteBySource(c.name(), "src-a")).isEqualTo(new DeleteResult(3, 6));
    assertThat(store.deleteBySource(c.name(), "src-a")).isEqualTo(DeleteResult.NONE);
    assertThat(store.deleteBySource(c.name(), "no-such-source")).isEqualTo(DeleteResult.NONE);

    assertThat(store.listDocuments(DocumentQuery.of(c.name(), 10)).items())
        .extracting(Document::key)
        .containsExactly("b1");
    assertThat(store.stats(c.name()).chunks()).isEqualTo(4);
  }

  @Test
  void deleteBySourceInBatchesRemovesTheLowestIdsFirstUntilNothingIsLeft() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            sourced("a1", "src-a", 2),
            sourced("b1", "src-b", 4),
            sourced("a2", "src-a", 3),
            sourced("a3", "src-a", 1)));
    store.softDelete(c.name(), "a3");
    List<String> byId =
        store.listDocuments(DocumentQuery.of(c.name(), 10)).items().stream()
            .filter(d -> d.sourceId().equals("src-a"))
            .map(Document::key)
            .toList();

    DeleteResult first = store.deleteBySource(c.name(), "src-a", 2);

    assertThat(first.documents()).isEqualTo(2);
    assertThat(store.findDocument(c.name(), byId.get(0))).isEmpty();
    assertThat(store.findDocument(c.name(), byId.get(1))).isEmpty();
    assertThat(store.findDocument(c.name(), "b1")).isPresent();
    DeleteResult second = store.deleteBySource(c.name(), "src-a", 2);
    assertThat(second).as("the soft-deleted a3 too").isEqualTo(new DeleteResult(1, 1));
    assertThat(first.chunks() + second.chunks()).isEqualTo(6);
    assertThat(store.deleteBySource(c.name(), "src-a", 2)).isEqualTo(DeleteResult.NONE);
    assertThat(store.stats(c.name()).chunks()).isEqualTo(4);
    assertThatThrownBy(() -> store.deleteBySource(c.name(), "src-b", 0))
        .isInstanceOf(dev.portfolio.core.error.InvalidInputException.class);
  }

  @Test
  void softDeleteHidesADocumentUntilRestored() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("embedded", embedded(0, "hidden words", 1, 0, 0)),
            doc("partial", embedded(0, "hidden too", 1, 0, 0), ChunkInput.of(1, "no vector")),
            doc("visible", embedded(0, "visible words", 0, 1, 0))));

    assertThat(store.softDelete(c.name(), "embedded")).isTrue();
    assertThat(store.softDelete(c.name(), "partial")).isTrue();
    assertThat(store.softDelete(c.name(), "embedded")).as("already deleted").isFalse();
    assertThat(store.softDelete(c.name(), "unknown")).isFalse();

    Document deleted = store.findDocument(c.name(), "embedded").orElseThrow();
    assertThat(deleted.status()).isEqualTo(DocumentStatus.DELETED);
    assertThat(deleted.deletedAt()).isNotNull();
    assertThat(store.chunks(c.name(), "embedded")).as("chunks are kept").hasSize(1);
    assertThat(keys(store.search(VectorQuery.of(c.name(), vector(1, 0, 0), 10))))
        .containsExactly("visible");
    assertThat(store.listDocuments(DocumentQuery.of(c.name(), 10)).items())
        .extracting(Document::key)
        .containsExactly("visible");
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 10)).items())
        .extracting(Chunk::documentKey)
        .containsExactly("visible");
    if (supports(StoreCapability.KEYWORD_SEARCH)) {
      assertThat(keys(store.keywordSearch(KeywordQuery.of(c.name(), "hidden", 10)))).isEmpty();
    }
    assertThat(store.stats(c.name()).liveDocuments()).isEqualTo(1);

    assertThat(store.restore(c.name(), "embedded")).isTrue();
    assertThat(store.restore(c.name(), "partial")).isTrue();
    assertThat(store.restore(c.name(), "visible")).as("not deleted").isFalse();
    assertThat(store.restore(c.name(), "unknown")).isFalse();

    Document restored = store.findDocument(c.name(), "embedded").orElseThrow();
    assertThat(restored.status()).isEqualTo(DocumentStatus.READY);
    assertThat(restored.deletedAt()).isNull();
    assertThat(status(c, "partial")).isEqualTo(DocumentStatus.PENDING);
    assertThat(keys(store.search(VectorQuery.of(c.name(), vector(1, 0, 0), 10))))
        .containsExactlyInAnyOrder("embedded", "partial", "visible");
  }

  // ---------------------------------------------------------------------------- paging

  @Test
  void keysetPagingVisitsEveryChunkExactlyOnce() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    int documents = 250;
    int chunksPerDocument = 10;
    List<DocumentInput> batch = new ArrayList<>();
    for (int d = 0; d < documents; d++) {
      List<ChunkInput> chunks = new ArrayList<>();
      for (int o = 0; o < chunksPerDocument; o++) {
        String text = "doc " + d + " chunk " + o;
        chunks.add(o % 2 == 0 ? embedded(o, text, d, o, 1) : ChunkInput.of(o, text));
      }
      batch.add(DocumentInput.builder("doc-" + d).chunks(chunks).build());
      if (batch.size() == 50) {
        assertThat(store.upsert(c.name(), batch).inserted()).isEqualTo(50);
        batch.clear();
      }
    }

    List<Long> visited = new ArrayList<>();
    ChunkQuery query = ChunkQuery.of(c.name(), 100);
    int pages = 0;
    while (true) {
      Page<Chunk> page = store.listChunks(query);
      pages++;
      assertPageCursor(page, 100, Chunk::id);
      page.items().forEach(ch -> visited.add(ch.id()));
      if (!page.hasNext()) {
        break;
      }
      query = query.after(page.nextAfter().getAsLong());
      assertThat(pages).as("pages").isLessThanOrEqualTo(26);
    }

    assertThat(pages).isEqualTo(26);
    assertThat(visited).hasSize(documents * chunksPerDocument).doesNotHaveDuplicates();
    assertThat(visited).isSortedAccordingTo(Comparator.naturalOrder());

    int present = 0;
    ChunkQuery embeddedOnly =
        ChunkQuery.of(c.name(), 100).withEmbeddingState(EmbeddingState.PRESENT);
    for (Page<Chunk> page = store.listChunks(embeddedOnly); ; ) {
      assertPageCursor(page, 100, Chunk::id);
      assertThat(page.items()).allSatisfy(ch -> assertThat(ch.embedding()).isNotNull());
      present += page.items().size();
      if (!page.hasNext()) {
        break;
      }
      page = store.listChunks(embeddedOnly.after(page.nextAfter().getAsLong()));
    }
    assertThat(present).isEqualTo(documents * chunksPerDocument / 2);
  }

  @Test
  void documentPagesFollowAscendingIdsAndEndWithAShortPage() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    List<DocumentInput> docs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      docs.add(doc("doc-" + i, ChunkInput.of(0, "text " + i)));
    }
    store.upsert(c.name(), docs);

    List<Document> seen = new ArrayList<>();
    Page<Document> page = store.listDocuments(DocumentQuery.of(c.name(), 10));
    List<Integer> sizes = new ArrayList<>();
    while (true) {
      assertPageCursor(page, 10, Document::id);
      sizes.add(page.items().size());
      seen.addAll(page.items());
      if (!page.hasNext()) {
        break;
      }
      page =
          store.listDocuments(DocumentQuery.of(c.name(), 10).after(page.nextAfter().getAsLong()));
    }

    assertThat(sizes).containsExactly(10, 10, 5);
    assertThat(seen).extracting(Document::key).doesNotHaveDuplicates().hasSize(25);
    assertThat(seen).extracting(Document::id).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(seen.get(0).key()).as("ids increase in insertion order").isEqualTo("doc-0");
  }

  @Test
  void streamChunksYieldsEveryMatchingChunkInIdOrder() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    List<DocumentInput> docs = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      docs.add(
          doc(
              "doc-" + d,
              embedded(0, "embedded " + d, 1, d, 0),
              ChunkInput.of(1, "missing a " + d),
              ChunkInput.of(2, "missing b " + d)));
    }
    store.upsert(c.name(), docs);

    List<Chunk> all;
    try (Stream<Chunk> stream = store.streamChunks(ChunkQuery.of(c.name(), 7))) {
      all = stream.toList();
    }
    List<Chunk> missing;
    try (Stream<Chunk> stream =
        store.streamChunks(ChunkQuery.of(c.name(), 4).withEmbeddingState(EmbeddingState.MISSING))) {
      missing = stream.toList();
    }
    List<Chunk> firstFive;
    try (Stream<Chunk> stream = store.streamChunks(ChunkQuery.of(c.name(), 2))) {
      firstFive = stream.limit(5).toList();
    }

    assertThat(all)
        .hasSize(90)
        .extracting(Chunk::id)
        .doesNotHaveDuplicates()
        .isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(missing).hasSize(60).allSatisfy(ch -> assertThat(ch.embedding()).isNull());
    assertThat(missing).extracting(Chunk::id).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(firstFive).containsExactlyElementsOf(all.subList(0, 5));
  }

  @Test
  void embeddingStateSelectsMissingPresentAndStaleChunks() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc(
                "k",
                ChunkInput.of(0, "missing"),
                embedded(1, "current", 1, 0, 0),
                embedded(2, "will be stale", 0, 1, 0))));
    Chunk stale = store.chunks(c.name(), "k").get(2);
    store.updateEmbeddings(
        c.name(),
        List.of(
            new EmbeddingUpdate(
                stale.id(), vector(0, 1, 1), MODEL, Fingerprints.sha256Hex("older text"))));

    assertThat(textsIn(c, EmbeddingState.ANY))
        .containsExactly("missing", "current", "will be stale");
    assertThat(textsIn(c, EmbeddingState.MISSING)).containsExactly("missing");
    assertThat(textsIn(c, EmbeddingState.PRESENT)).containsExactly("current", "will be stale");
    assertThat(textsIn(c, EmbeddingState.STALE)).containsExactly("will be stale");
    assertThat(store.chunks(c.name(), "k"))
        .extracting(Chunk::isStale)
        .containsExactly(false, false, true);
  }

  // ---------------------------------------------------------------------------- updates

  @Test
  void updateEmbeddingsSetsVectorModelAndTextHash() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "zero"), ChunkInput.of(1, "one"))));
    List<Chunk> missing =
        store
            .listChunks(ChunkQuery.of(c.name(), 10).withEmbeddingState(EmbeddingState.MISSING))
            .items();
    assertThat(missing).hasSize(2);
    List<EmbeddingUpdate> updates = new ArrayList<>();
    for (int i = 0; i < missing.size(); i++) {
      updates.add(
          new EmbeddingUpdate(
              missing.get(i).id(), vector(1, i, 0), OTHER_MODEL, missing.get(i).contentHash()));
    }
    updates.add(new EmbeddingUpdate(Long.MAX_VALUE - 7, vector(1, 1, 1), MODEL, "unknown-chunk"));

    assertThat(store.updateEmbeddings(c.name(), updates)).isEqualTo(2);
    assertThat(store.updateEmbeddings(c.name(), List.of())).isZero();

    List<Chunk> chunks = store.chunks(c.name(), "k");
    assertThat(chunks)
        .allSatisfy(
            ch -> {
              assertThat(ch.embeddingModel()).isEqualTo(OTHER_MODEL);
              assertThat(ch.embeddedTextHash()).isEqualTo(ch.contentHash());
              assertThat(ch.isStale()).isFalse();
            });
    assertThat(chunks.get(1).embedding()).isEqualTo(vector(1, 1, 0));
    assertThat(textsIn(c, EmbeddingState.MISSING)).isEmpty();
    assertThat(keys(store.search(VectorQuery.of(c.name(), vector(1, 1, 0), 1))))
        .containsExactly("k");
  }

  @Test
  void updateEmbeddingsWithAWrongDimensionWritesNothing() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "zero"), ChunkInput.of(1, "one"))));
    List<Chunk> chunks = store.chunks(c.name(), "k");

    assertThatThrownBy(
            () ->
                store.updateEmbeddings(
                    c.name(),
                    List.of(
                        new EmbeddingUpdate(
                            chunks.get(0).id(),
                            vector(1, 0, 0),
                            MODEL,
                            chunks.get(0).contentHash()),
                        new EmbeddingUpdate(
                            chunks.get(1).id(),
                            vector(1, 0, 0, 0),
                            MODEL,
                            chunks.get(1).contentHash()))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH))
        .hasMessageContaining("chunk " + chunks.get(1).id())
        .hasMessageContaining("has 4 dimensions but collection '" + c.name() + "' stores 3");

    assertThat(store.chunks(c.name(), "k")).allSatisfy(ch -> assertThat(ch.embedding()).isNull());
  }

  @Test
  void updateEmbeddingsIgnoresChunksOfOtherCollections() {
    CollectionInfo mine = newCollection(3, Distance.COSINE);
    CollectionInfo other = newCollection(3, Distance.COSINE);
    store.upsert(other.name(), List.of(doc("theirs", ChunkInput.of(0, "not mine"))));
    Chunk theirs = store.chunks(other.name(), "theirs").get(0);

    int updated =
        store.updateEmbeddings(
            mine.name(),
            List.of(
                new EmbeddingUpdate(theirs.id(), vector(1, 0, 0), MODEL, theirs.contentHash())));

    assertThat(updated).isZero();
    assertThat(store.chunks(other.name(), "theirs").get(0).embedding()).isNull();
  }

  @Test
  void updateStatusFailedRecordsTheErrorAndCountsAttempts() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "text"))));
    assertThat(store.findDocument(c.name(), "k").orElseThrow().attempts()).isZero();

    assertThat(store.updateStatus(c.name(), "k", DocumentStatus.FAILED, "timeout")).isTrue();
    Document once = store.findDocument(c.name(), "k").orElseThrow();
    assertThat(once.status()).isEqualTo(DocumentStatus.FAILED);
    assertThat(once.error()).isEqualTo("timeout");
    assertThat(once.attempts()).isEqualTo(1);

    store.updateStatus(c.name(), "k", DocumentStatus.FAILED, "HTTP 500: ünexpected");
    Document twice = store.findDocument(c.name(), "k").orElseThrow();
    assertThat(twice.error()).isEqualTo("HTTP 500: ünexpected");
    assertThat(twice.attempts()).isEqualTo(2);

    // NUL cannot be stored by PostgreSQL: every store replaces it by U+FFFD.
    store.updateStatus(c.name(), "k", DocumentStatus.FAILED, "bad\0byte");
    assertThat(store.findDocument(c.name(), "k").orElseThrow().error()).isEqualTo("bad\uFFFDbyte");

    assertThat(store.updateStatus(c.name(), "k", DocumentStatus.PROCESSING, "ignored")).isTrue();
    Document processing = store.findDocument(c.name(), "k").orElseThrow();
    assertThat(processing.status()).isEqualTo(DocumentStatus.PROCESSING);
    assertThat(processing.error()).isNull();

    assertThat(store.updateStatus(c.name(), "unknown", DocumentStatus.READY, null)).isFalse();
    assertThat(store.findDocument(c.name(), "unknown")).isEmpty();
  }

  @Test
  void statsCountDocumentsByStatusAndChunksByEmbeddingState() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc(
                "ready",
                embedded(0, "a", 1, 0, 0),
                ChunkInput.embedded(1, "b", vector(0, 1, 0), OTHER_MODEL),
                embedded(2, "c", 0, 0, 1)),
            doc("pending", ChunkInput.of(0, "d"), embedded(1, "e", 1, 1, 0)),
            doc("failed", ChunkInput.of(0, "f")),
            doc("deleted", embedded(0, "g", 1, 0, 0), ChunkInput.of(1, "h"))));
    store.updateStatus(c.name(), "failed", DocumentStatus.FAILED, "boom");
    store.softDelete(c.name(), "deleted");
    Chunk stale = store.chunks(c.name(), "ready").get(2);
    store.updateEmbeddings(
        c.name(),
        List.of(new EmbeddingUpdate(stale.id(), vector(0, 0, 1), MODEL, "hash-of-older-text")));

    CollectionStats stats = store.stats(c.name());

    assertThat(stats.collection()).isEqualTo(c.name());
    assertThat(stats.documentsByStatus())
        .containsOnlyKeys(DocumentStatus.values())
        .containsEntry(DocumentStatus.READY, 1L)
        .containsEntry(DocumentStatus.PENDING, 1L)
        .containsEntry(DocumentStatus.PROCESSING, 0L)
        .containsEntry(DocumentStatus.FAILED, 1L)
        .containsEntry(DocumentStatus.DELETED, 1L);
    assertThat(stats.liveDocuments()).isEqualTo(3);
    assertThat(stats.chunks()).as("chunks of live documents").isEqualTo(6);
    assertThat(stats.embeddedChunks()).isEqualTo(4);
    assertThat(stats.missingChunks()).isEqualTo(2);
    assertThat(stats.staleChunks()).isEqualTo(1);
    assertThat(stats.foreignModelChunks()).isEqualTo(1);

    CollectionStats empty = store.stats(newCollection(3, Distance.COSINE).name());
    assertThat(empty.documentsByStatus()).containsOnlyKeys(DocumentStatus.values());
    assertThat(empty.documentsByStatus().values()).containsOnly(0L);
    assertThat(empty.chunks()).isZero();
    assertThat(empty.coverage()).isEqualTo(1.0);
  }

  @Test
  void storageBytesArePresentAndGrowWhenTheStoreCanTellAndEmptyOtherwise() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", embedded(0, "some text", 1, 0, 0))));

    assertFailsWith(ErrorCode.NOT_FOUND, () -> store.storageBytes(uniqueName("missing")))
        .hasMessageContaining("does not exist");
    if (!supports(StoreCapability.STORAGE_BYTES)) {
      assertThat(store.storageBytes(c.name())).as("unknown, never a made-up 0").isEmpty();
      return;
    }
    OptionalLong before = store.storageBytes(c.name());
    assertThat(before).isPresent();
    assertThat(before.getAsLong()).isPositive();

    List<DocumentInput> more = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String text =
          IntStream.range(0, 20)
              .mapToObj(x -> UUID.randomUUID().toString())
              .collect(Collectors.joining(" "));
      more.add(doc("more-" + i, embedded(0, text, 1, i, 0)));
    }
    store.upsert(c.name(), more);

    OptionalLong after = store.storageBytes(c.name());
    assertThat(after).isPresent();
    assertThat(after.getAsLong()).isGreaterThan(before.getAsLong());
  }

  // ---------------------------------------------------------------------------- keyword / hybrid

  @Test
  void keywordSearchRanksARareWordAboveCommonWords() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    List<DocumentInput> docs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      docs.add(doc("common-" + i, ChunkInput.of(0, "the process reads the file " + i)));
    }
    docs.add(doc("rare", ChunkInput.of(0, "a zeppelin and nothing else")));
    docs.add(doc("both-common", ChunkInput.of(0, "the process and the file")));
    store.upsert(c.name(), docs);
    KeywordQuery query = KeywordQuery.of(c.name(), "the process zeppelin", 3);
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      assertUnsupported(() -> store.keywordSearch(query));
      return;
    }

    List<SearchHit> hits = store.keywordSearch(query);

    // BM25: "zeppelin" is in one chunk of ten, "the" and "process" in nine.
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).documentKey()).isEqualTo("rare");
    assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(store.keywordSearch(KeywordQuery.of(c.name(), "... !!", 3))).isEmpty();
  }

  @Test
  void keywordSearchRanksChunksWithEveryWordFirstWhenTheWordsAreEquallyRare() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("k1", ChunkInput.of(0, "The quick brown fox jumps")),
            doc("k2", ChunkInput.of(0, "Quick thinking saves the day")),
            doc("k3", ChunkInput.of(0, "Brown bread and brown sugar")),
            doc("k4", ChunkInput.of(0, "A quick, brown dog")),
            doc("k5", ChunkInput.of(0, "Nothing relevant here"))));
    KeywordQuery query = KeywordQuery.of(c.name(), "quick brown", 10);
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      assertUnsupported(() -> store.keywordSearch(query));
      return;
    }

    List<SearchHit> hits = store.keywordSearch(query);

    assertThat(hits).hasSizeGreaterThanOrEqualTo(2);
    assertThat(hits.subList(0, 2))
        .extracting(SearchHit::documentKey)
        .containsExactlyInAnyOrder("k1", "k4");
    assertThat(hits).extracting(SearchHit::documentKey).doesNotContain("k5");
    assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(hits)
        .allSatisfy(
            hit -> assertThat(hit.text().toLowerCase(Locale.ROOT)).containsAnyOf("quick", "brown"));
    assertThat(store.keywordSearch(KeywordQuery.of(c.name(), "quick brown", 1)))
        .singleElement()
        .satisfies(hit -> assertThat(hit.documentKey()).isIn("k1", "k4"));
    assertThat(store.keywordSearch(KeywordQuery.of(c.name(), "xylophone", 10))).isEmpty();
  }

  @Test
  void keywordSearchSplitsWordsTheSameWayInEveryStore() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("web", ChunkInput.of(0, "Visit example.com or mail user@example.org, pi is 3.14")),
            doc("pastry", ChunkInput.of(0, "ÉCLAIR ÜBER ALLES in Zürich")),
            doc("other", ChunkInput.of(0, "nothing to see here"))));
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      assertUnsupported(() -> store.keywordSearch(KeywordQuery.of(c.name(), "example", 10)));
      return;
    }

    // Punctuation separates words; case and accents' composition are folded (KeywordTokenizer).
    assertThat(keys(store.keywordSearch(KeywordQuery.of(c.name(), "example", 10))))
        .containsExactly("web");
    assertThat(keys(store.keywordSearch(KeywordQuery.of(c.name(), "3.14", 10))))
        .containsExactly("web");
    assertThat(keys(store.keywordSearch(KeywordQuery.of(c.name(), "éclair", 10))))
        .containsExactly("pastry");
    assertThat(keys(store.keywordSearch(KeywordQuery.of(c.name(), "ZÜRICH", 10))))
        .containsExactly("pastry");
  }

  @Test
  void keywordSearchHonoursTheFilterAndFindsChunksWithoutEmbeddings() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("a")
                .sourceId("s-a")
                .chunk(ChunkInput.of(0, "lantern oil"))
                .build(),
            DocumentInput.builder("b")
                .sourceId("s-b")
                .chunk(embedded(0, "lantern glass", 1, 0, 0))
                .build()));
    KeywordQuery query =
        new KeywordQuery(c.name(), "lantern", 10, SearchFilter.builder().sourceId("s-a").build());
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      assertUnsupported(() -> store.keywordSearch(query));
      return;
    }

    assertThat(keys(store.keywordSearch(query))).containsExactly("a");
    assertThat(keys(store.keywordSearch(KeywordQuery.of(c.name(), "lantern", 10))))
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void hybridSearchPrefersAChunkRankedInBothLists() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("vector-only", embedded(0, "unrelated words entirely", 1, 0, 0)),
            doc("both", embedded(0, "alpha beta report", 0.9f, 0.1f, 0)),
            doc("words-only", ChunkInput.of(0, "alpha beta, alpha beta, alpha beta")),
            doc("neither", embedded(0, "nothing to see", 0, 0, 1))));
    HybridQuery query = HybridQuery.of(c.name(), vector(1, 0, 0), "alpha beta", 3);
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      assertUnsupported(() -> store.hybridSearch(query));
      return;
    }

    List<SearchHit> hits = store.hybridSearch(query);

    assertThat(hits).hasSize(3);
    assertThat(hits.get(0).documentKey()).isEqualTo("both");
    assertThat(keys(hits)).containsExactlyInAnyOrder("both", "vector-only", "words-only");
    double k = HybridQuery.DEFAULT_RRF_K;
    assertThat(hits.get(0).score()).isGreaterThanOrEqualTo(2 / (k + 2) - 1e-9);
    assertThat(hits.get(1).score()).isLessThanOrEqualTo(1 / (k + 1) + 1e-9);
    assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo(Comparator.reverseOrder());
  }

  // ---------------------------------------------------------------------------- document level

  @Test
  void searchDocumentsReturnsDistinctDocumentsRankedByTheirBestChunk() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    // Every chunk of "crowded" is nearer to the query than any other document's chunk.
    DocumentInput.Builder crowded = DocumentInput.builder("crowded");
    for (int i = 0; i < 40; i++) {
      crowded.chunk(embedded(i, "crowded chunk " + i, 1, 0.001f * i, 0));
    }
    store.upsert(
        c.name(),
        List.of(
            crowded.build(),
            doc("near", embedded(0, "near", 1, 0.2f, 0), embedded(1, "near, aside", 0, 0, 1)),
            doc("far", embedded(0, "far", 1, 0.6f, 0)),
            doc("opposite", embedded(0, "opposite", -1, 0, 0))));

    List<DocumentHit> docs = store.searchDocuments(VectorQuery.of(c.name(), vector(1, 0, 0), 3));

    assertThat(docs).extracting(DocumentHit::documentKey).containsExactly("crowded", "near", "far");
    assertThat(docs)
        .allSatisfy(
            d -> {
              assertThat(d.collection()).isEqualTo(c.name());
              assertThat(d.score()).isEqualTo(d.best().score());
              assertThat(d.chunks())
                  .extracting(SearchHit::documentKey)
                  .containsOnly(d.documentKey());
              assertThat(d.chunks())
                  .extracting(SearchHit::score)
                  .isSortedAccordingTo(Comparator.reverseOrder());
            });
    assertThat(docs.get(0).chunks()).hasSize(40);
    assertThat(docs.get(0).best().ordinal()).isZero();
    assertThat(docs.get(1).best().text()).isEqualTo("near");
    assertThat(docs).extracting(DocumentHit::score).isSortedAccordingTo(Comparator.reverseOrder());
    // Fewer documents than asked for when no more exist.
    assertThat(store.searchDocuments(VectorQuery.of(c.name(), vector(1, 0, 0), 10)))
        .extracting(DocumentHit::documentKey)
        .containsExactly("crowded", "near", "far", "opposite");
    assertThat(
            store.searchDocuments(
                VectorQuery.of(c.name(), vector(1, 0, 0), 10)
                    .withFilter(SearchFilter.builder().sourceId("nobody").build())))
        .isEmpty();
  }

  @Test
  void keywordSearchDocumentsFetchesMoreChunksUntilItHasEnoughDocuments() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput.Builder crowded = DocumentInput.builder("crowded");
    for (int i = 0; i < 30; i++) {
      crowded.chunk(ChunkInput.of(i, "zephyr zephyr zephyr " + i));
    }
    List<DocumentInput> docs = new ArrayList<>();
    docs.add(crowded.build());
    docs.add(doc("single", ChunkInput.of(0, "a zephyr among many other words in a longer chunk")));
    for (int i = 0; i < 10; i++) {
      docs.add(doc("filler-" + i, ChunkInput.of(0, "nothing to see here " + i)));
    }
    store.upsert(c.name(), docs);
    KeywordQuery query = KeywordQuery.of(c.name(), "zephyr", 2);
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      assertUnsupported(() -> store.keywordSearchDocuments(query));
      return;
    }

    List<DocumentHit> hits = store.keywordSearchDocuments(query);

    assertThat(hits).extracting(DocumentHit::documentKey).containsExactly("crowded", "single");
    assertThat(hits.get(0).chunks()).hasSize(30);
    assertThat(hits.get(1).chunks())
        .singleElement()
        .satisfies(h -> assertThat(h.ordinal()).isZero());
    assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    assertThat(store.keywordSearchDocuments(KeywordQuery.of(c.name(), "zephyr", 10))).hasSize(2);
    assertThat(store.keywordSearchDocuments(KeywordQuery.of(c.name(), "xylophone", 10))).isEmpty();
  }

  @Test
  void hybridSearchDocumentsCollapsesTheFusedChunksToDocuments() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput.Builder crowded = DocumentInput.builder("crowded");
    for (int i = 0; i < 20; i++) {
      crowded.chunk(embedded(i, "alpha report part " + i, 1, 0.001f * i, 0));
    }
    store.upsert(
        c.name(),
        List.of(
            crowded.build(),
            doc("second", embedded(0, "alpha alone", 0.8f, 0.2f, 0)),
            doc("third", embedded(0, "unrelated words", 0, 1, 0))));
    HybridQuery query = HybridQuery.of(c.name(), vector(1, 0, 0), "alpha", 2);
    if (!supports(StoreCapability.KEYWORD_SEARCH)) {
      assertUnsupported(() -> store.hybridSearchDocuments(query));
      return;
    }

    List<DocumentHit> hits = store.hybridSearchDocuments(query);

    assertThat(hits).extracting(DocumentHit::documentKey).containsExactly("crowded", "second");
    assertThat(hits.get(0).chunks()).hasSizeGreaterThan(1);
    assertThat(hits).allSatisfy(d -> assertThat(d.score()).isEqualTo(d.best().score()));
    assertThat(store.hybridSearchDocuments(HybridQuery.of(c.name(), vector(1, 0, 0), "alpha", 5)))
        .extracting(DocumentHit::documentKey)
        .containsExactly("crowded", "second", "third");
  }

  // ---------------------------------------------------------------------------- concurrency

  @Test
  void concurrentUpsertsOfOneKeyLeaveExactlyOneCopy() throws Exception {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    int rounds = 10;
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < rounds; round++) {
        String key = "contended-" + round;
        DocumentInput first =
            doc(key, embedded(0, "first a", 1, 0, 0), embedded(1, "first b", 0, 1, 0));
        DocumentInput second =
            doc(
                key,
                ChunkInput.of(0, "second a"),
                ChunkInput.of(1, "second b"),
                ChunkInput.of(2, "second c"));
        CountDownLatch start = new CountDownLatch(1);
        Future<UpsertResult> a = pool.submit(() -> upsertWhenReady(start, c.name(), first));
        Future<UpsertResult> b = pool.submit(() -> upsertWhenReady(start, c.name(), second));
        start.countDown();
        UpsertResult ra = a.get(60, TimeUnit.SECONDS);
        UpsertResult rb = b.get(60, TimeUnit.SECONDS);

        assertThat(ra.inserted() + rb.inserted()).as("round %d inserted", round).isEqualTo(1);
        assertThat(ra.written() + rb.written()).as("round %d written", round).isEqualTo(2);
        List<String> texts = store.chunks(c.name(), key).stream().map(Chunk::text).toList();
        assertThat(texts)
            .as("round %d: the chunks of one version, never a mix", round)
            .isIn(List.of("first a", "first b"), List.of("second a", "second b", "second c"));
      }
    }
    List<Document> docs = store.listDocuments(DocumentQuery.of(c.name(), 100)).items();
    assertThat(docs).hasSize(rounds).extracting(Document::key).doesNotHaveDuplicates();
    long chunks = docs.stream().mapToLong(d -> store.chunks(c.name(), d.key()).size()).sum();
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 1000)).items())
        .as("no orphan chunks")
        .hasSize((int) chunks);
    assertThat(store.stats(c.name()).chunks()).isEqualTo(chunks);
  }

  // ---------------------------------------------------------------------------- embedding sets

  @Test
  void aNewCollectionHasExactlyOneActiveSetOfItsModelAndDimension() {
    CollectionInfo c = newCollection(3, Distance.COSINE);

    List<EmbeddingSet> sets = store.embeddingSets(c.name());

    assertThat(sets)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.collection()).isEqualTo(c.name());
              assertThat(s.model()).isEqualTo(MODEL);
              assertThat(s.dimension()).isEqualTo(3);
              assertThat(s.state()).isEqualTo(SetState.ACTIVE);
              assertThat(s.createdAt()).isNotNull();
              assertThat(s.retiredAt()).isNull();
            });
    assertThat(store.activeSet(c.name()).id()).isEqualTo(sets.get(0).id());
    assertThat(store.buildingSet(c.name())).isEmpty();
  }

  @Test
  void createBuildingSetReturnsTheSameBuildingSetWhenAskedAgain() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    EmbeddingSet active = store.activeSet(c.name());

    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);

    assertThat(building.state()).isEqualTo(SetState.BUILDING);
    assertThat(building.collection()).isEqualTo(c.name());
    assertThat(building.model()).isEqualTo(OTHER_MODEL);
    assertThat(building.dimension()).isEqualTo(5);
    assertThat(building.createdAt()).isNotNull();
    assertThat(building.activatedAt()).isNull();
    assertThat(building.id()).isNotEqualTo(active.id());
    assertThat(store.createBuildingSet(c.name(), OTHER_MODEL, 5).id())
        .as("asking again resumes the same switch")
        .isEqualTo(building.id());
    List<EmbeddingSet> sets = store.embeddingSets(c.name());
    assertThat(sets)
        .extracting(EmbeddingSet::id)
        .containsExactlyInAnyOrder(active.id(), building.id())
        .isSorted();
    assertThat(sets)
        .extracting(EmbeddingSet::state)
        .containsExactlyInAnyOrder(SetState.ACTIVE, SetState.BUILDING);
    assertThat(store.buildingSet(c.name()))
        .hasValueSatisfying(b -> assertThat(b.id()).isEqualTo(building.id()));
    assertThat(store.activeSet(c.name()).id()).isEqualTo(active.id());
    assertThat(store.findCollection(c.name()))
        .as("the collection keeps its model until the switch")
        .hasValueSatisfying(found -> assertThat(found.spec()).isEqualTo(c.spec()));
  }

  @Test
  void createBuildingSetConflictsWithAnotherSwitchOrTheActiveModel() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);

    for (ThrowingCallable another :
        List.<ThrowingCallable>of(
            () -> store.createBuildingSet(c.name(), THIRD_MODEL, 5),
            () -> store.createBuildingSet(c.name(), OTHER_MODEL, 6))) {
      assertFailsWith(ErrorCode.CONFLICT, another)
          .hasMessageContaining("already has building set " + building.id());
    }
    assertFailsWith(ErrorCode.CONFLICT, () -> store.createBuildingSet(c.name(), MODEL, 3));
    assertThat(store.embeddingSets(c.name())).hasSize(2);
    assertThat(store.buildingSet(c.name()))
        .hasValueSatisfying(b -> assertThat(b.id()).isEqualTo(building.id()));

    CollectionInfo fresh = newCollection(3, Distance.COSINE);
    assertFailsWith(ErrorCode.CONFLICT, () -> store.createBuildingSet(fresh.name(), MODEL, 3))
        .hasMessageContaining("already uses model " + MODEL + " with 3 dimensions");
    assertThat(store.embeddingSets(fresh.name())).hasSize(1);
    assertThat(store.createBuildingSet(fresh.name(), MODEL, 4).state())
        .as("the same model with another dimension is a switch")
        .isEqualTo(SetState.BUILDING);
  }

  @Test
  void createBuildingSetRejectsAnInvalidModelOrDimension() {
    CollectionInfo c = newCollection(3, Distance.COSINE);

    assertFailsWith(
            ErrorCode.INVALID_ARGUMENT, () -> store.createBuildingSet(c.name(), OTHER_MODEL, 0))
        .hasMessageContaining("dimension must be between 1 and 16000 (was 0)");
    assertFailsWith(
            ErrorCode.INVALID_ARGUMENT,
            () -> store.createBuildingSet(c.name(), OTHER_MODEL, Inputs.MAX_DIMENSION + 1))
        .hasMessageContaining("dimension must be between 1 and 16000 (was 16001)");
    assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> store.createBuildingSet(c.name(), " ", 5))
        .hasMessageContaining("model must not be blank");
    assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> store.createBuildingSet(c.name(), null, 5))
        .hasMessageContaining("model must not be null");
    assertThat(store.embeddingSets(c.name())).hasSize(1);
  }

  @Test
  void writeVectorsFillsTheBuildingSetAndWhatIsMissingThereShrinks() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("a", embedded(0, "alpha", 1, 0, 0), ChunkInput.of(1, "alpha two")),
            doc("b", embedded(0, "beta", 0, 1, 0)),
            doc("c", ChunkInput.of(0, "gamma"))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);

    List<Chunk> missing = chunksIn(c, building.id(), EmbeddingState.MISSING);
    assertThat(missing)
        .as("a new set misses every chunk, whatever the active set holds")
        .extracting(Chunk::text)
        .containsExactlyInAnyOrder("alpha", "alpha two", "beta", "gamma");
    assertThat(missing)
        .allSatisfy(
            ch -> {
              assertThat(ch.embedding()).isNull();
              assertThat(ch.embeddingModel()).isNull();
            });

    assertThat(store.writeVectors(c.name(), building.id(), vectorsFor(missing.subList(0, 2), 5)))
        .isEqualTo(2);
    List<Chunk> stillMissing = chunksIn(c, building.id(), EmbeddingState.MISSING);
    assertThat(ids(stillMissing))
        .as("a resumed switch asks what is still missing")
        .isEqualTo(ids(missing.subList(2, 4)));
    assertThat(store.writeVectors(c.name(), building.id(), vectorsFor(stillMissing, 5)))
        .isEqualTo(2);
    assertThat(chunksIn(c, building.id(), EmbeddingState.MISSING)).isEmpty();

    assertThat(chunksIn(c, building.id(), EmbeddingState.PRESENT))
        .hasSize(4)
        .allSatisfy(
            ch -> {
              assertThat(ch.embedding()).isEqualTo(textVector(ch.text(), 5));
              assertThat(ch.embeddingModel()).isEqualTo(OTHER_MODEL);
              assertThat(ch.embeddedTextHash()).isEqualTo(ch.contentHash());
            });
    assertThat(textsIn(c, EmbeddingState.MISSING))
        .as("the active set is untouched")
        .containsExactlyInAnyOrder("alpha two", "gamma");
    assertThat(chunksIn(c, 0, EmbeddingState.PRESENT))
        .allSatisfy(
            ch -> {
              assertThat(ch.embeddingModel()).isEqualTo(MODEL);
              assertThat(ch.embedding().dimension()).isEqualTo(3);
            });
  }

  @Test
  void embeddingStateIsJudgedInTheQueriedSet() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(doc("k", embedded(0, "current", 1, 0, 0), embedded(1, "edited", 0, 1, 0))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    List<Chunk> chunks = store.chunks(c.name(), "k");
    Chunk edited = chunks.get(1);
    store.writeVectors(
        c.name(),
        building.id(),
        List.of(
            new EmbeddingUpdate(
                chunks.get(0).id(),
                textVector("current", 5),
                OTHER_MODEL,
                chunks.get(0).contentHash()),
            new EmbeddingUpdate(
                edited.id(),
                textVector("older text", 5),
                OTHER_MODEL,
                Fingerprints.sha256Hex("older text"))));

    assertThat(chunksIn(c, building.id(), EmbeddingState.STALE))
        .singleElement()
        .satisfies(
            ch -> {
              assertThat(ch.text()).isEqualTo("edited");
              assertThat(ch.isStale()).isTrue();
              assertThat(ch.embedding()).isEqualTo(textVector("older text", 5));
            });
    assertThat(chunksIn(c, building.id(), EmbeddingState.PRESENT)).hasSize(2);
    assertThat(chunksIn(c, 0, EmbeddingState.STALE)).isEmpty();
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 10).inSet(building.id())).items())
        .extracting(Chunk::embeddingModel)
        .containsOnly(OTHER_MODEL);
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 10)).items())
        .extracting(Chunk::embeddingModel)
        .containsOnly(MODEL);
  }

  @Test
  void writeVectorsWithAWrongDimensionOrModelWritesNothing() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "zero"), ChunkInput.of(1, "one"))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    List<Chunk> chunks = store.chunks(c.name(), "k");
    Chunk first = chunks.get(0);
    Chunk second = chunks.get(1);
    EmbeddingUpdate good =
        new EmbeddingUpdate(first.id(), vector(1, 0, 0, 0, 0), OTHER_MODEL, first.contentHash());

    assertFailsWith(
            ErrorCode.DIMENSION_MISMATCH,
            () ->
                store.writeVectors(
                    c.name(),
                    building.id(),
                    List.of(
                        good,
                        new EmbeddingUpdate(
                            second.id(), vector(1, 0, 0), OTHER_MODEL, second.contentHash()))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("chunk " + second.id())
        .hasMessageContaining("has 3 dimensions but embedding set " + building.id());
    assertFailsWith(
            ErrorCode.INVALID_ARGUMENT,
            () ->
                store.writeVectors(
                    c.name(),
                    building.id(),
                    List.of(
                        good,
                        new EmbeddingUpdate(
                            second.id(), vector(0, 1, 0, 0, 0), MODEL, second.contentHash()))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("chunk " + second.id())
        .hasMessageContaining("comes from model " + MODEL);
    assertFailsWith(
            ErrorCode.INVALID_ARGUMENT,
            () ->
                store.writeVectors(
                    c.name(),
                    0,
                    List.of(
                        new EmbeddingUpdate(
                            first.id(), vector(1, 0, 0), OTHER_MODEL, first.contentHash()))))
        .as("the active set takes only its own model's vectors too")
        .hasMessageContaining("comes from model " + OTHER_MODEL);

    assertThat(chunksIn(c, building.id(), EmbeddingState.MISSING)).hasSize(2);
    assertThat(chunksIn(c, 0, EmbeddingState.MISSING)).hasSize(2);
  }

  @Test
  void writeVectorsSkipsUnknownChunksAndChunksOfOtherCollectionsAndTheLastVectorWins() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    CollectionInfo other = newCollection(5, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("mine", ChunkInput.of(0, "mine"))));
    store.upsert(other.name(), List.of(doc("theirs", ChunkInput.of(0, "theirs"))));
    store.createBuildingSet(other.name(), OTHER_MODEL, 5);
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    Chunk mine = store.chunks(c.name(), "mine").get(0);
    Chunk theirs = store.chunks(other.name(), "theirs").get(0);

    int written =
        store.writeVectors(
            c.name(),
            building.id(),
            List.of(
                new EmbeddingUpdate(
                    mine.id(), vector(1, 0, 0, 0, 0), OTHER_MODEL, mine.contentHash()),
                new EmbeddingUpdate(Long.MAX_VALUE - 7, vector(1, 1, 1, 1, 1), OTHER_MODEL, "gone"),
                new EmbeddingUpdate(
                    theirs.id(), vector(0, 0, 1, 0, 0), OTHER_MODEL, theirs.contentHash()),
                new EmbeddingUpdate(
                    mine.id(), vector(0, 1, 0, 0, 0), OTHER_MODEL, mine.contentHash())));

    assertThat(written).as("one chunk received a vector").isEqualTo(1);
    assertThat(chunksIn(c, building.id(), EmbeddingState.PRESENT))
        .singleElement()
        .satisfies(ch -> assertThat(ch.embedding()).isEqualTo(vector(0, 1, 0, 0, 0)));
    assertThat(store.listChunks(ChunkQuery.of(other.name(), 10)).items())
        .singleElement()
        .satisfies(ch -> assertThat(ch.embedding()).isNull());
    assertThat(
            store
                .listChunks(
                    ChunkQuery.of(other.name(), 10)
                        .inSet(store.buildingSet(other.name()).orElseThrow().id()))
                .items())
        .singleElement()
        .satisfies(ch -> assertThat(ch.embedding()).isNull());
    assertThat(store.writeVectors(c.name(), building.id(), List.of())).isZero();
  }

  @Test
  void writeVectorsIntoARetiredSetFailsWithConflict() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", embedded(0, "text", 1, 0, 0))));
    Chunk chunk = store.chunks(c.name(), "k").get(0);
    EmbeddingSet old = store.activeSet(c.name());
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    store.activateSet(c.name(), building.id());

    assertFailsWith(
            ErrorCode.CONFLICT,
            () ->
                store.writeVectors(
                    c.name(),
                    old.id(),
                    List.of(
                        new EmbeddingUpdate(
                            chunk.id(), vector(0, 1, 0), MODEL, chunk.contentHash()))))
        .hasMessageContaining("is retired");
    assertThat(chunksIn(c, old.id(), EmbeddingState.PRESENT))
        .singleElement()
        .satisfies(ch -> assertThat(ch.embedding()).isEqualTo(vector(1, 0, 0)));

    assertThat(
            store.writeVectors(
                c.name(),
                0,
                List.of(
                    new EmbeddingUpdate(
                        chunk.id(), vector(0, 0, 1, 0, 0), OTHER_MODEL, chunk.contentHash()))))
        .as("0 writes into the active set, now the new one")
        .isEqualTo(1);
    assertThat(chunksIn(c, building.id(), EmbeddingState.PRESENT)).hasSize(1);
  }

  @Test
  void searchesReadTheActiveSetAtEveryStepOfAModelSwitch() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("a", embedded(0, "a", 1, 0, 0)),
            doc("b", embedded(0, "b", 0, 1, 0)),
            doc("c", embedded(0, "c", 0, 0, 1))));
    Embedding oldQuery = vector(1, 0.5f, 0);
    Embedding newQuery = vector(1, 0.5f, 0, 0, 0);
    List<String> oldRanking = List.of("a", "b", "c");
    List<String> newRanking = List.of("b", "c", "a");
    EmbeddingSet old = store.activeSet(c.name());
    assertThat(ranking(c, oldQuery)).isEqualTo(oldRanking);

    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    assertThat(ranking(c, oldQuery)).as("after createBuildingSet").isEqualTo(oldRanking);
    assertDimensionMismatch(c, newQuery);

    Map<String, Embedding> newVectors =
        Map.of(
            "a", vector(0, 0, 0, 0, 1),
            "b", vector(1, 0, 0, 0, 0),
            "c", vector(0, 1, 0, 0, 0));
    List<EmbeddingUpdate> updates = new ArrayList<>();
    for (Chunk ch : chunksIn(c, building.id(), EmbeddingState.MISSING)) {
      updates.add(
          new EmbeddingUpdate(
              ch.id(), newVectors.get(ch.documentKey()), OTHER_MODEL, ch.contentHash()));
    }
    assertThat(store.writeVectors(c.name(), building.id(), updates)).isEqualTo(3);
    assertThat(ranking(c, oldQuery)).as("after writeVectors").isEqualTo(oldRanking);
    assertDimensionMismatch(c, newQuery);

    EmbeddingSet activated = store.activateSet(c.name(), building.id());
    assertThat(activated.id()).isEqualTo(building.id());
    assertThat(activated.state()).isEqualTo(SetState.ACTIVE);
    assertThat(activated.activatedAt()).isNotNull();
    assertThat(ranking(c, newQuery)).as("after activateSet").isEqualTo(newRanking);
    assertDimensionMismatch(c, oldQuery);
    assertThat(store.listChunks(ChunkQuery.of(c.name(), 10)).items())
        .as("chunks carry the active set's vectors")
        .allSatisfy(ch -> assertThat(ch.embedding()).isEqualTo(newVectors.get(ch.documentKey())));
    assertThat(store.embeddingSets(c.name()))
        .filteredOn(s -> s.id() == old.id())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.state()).isEqualTo(SetState.RETIRED);
              assertThat(s.retiredAt()).isNotNull();
            });
    assertThat(store.buildingSet(c.name())).isEmpty();

    EmbeddingSet rolledBack = store.rollback(c.name());
    assertThat(rolledBack.id()).isEqualTo(old.id());
    assertThat(rolledBack.state()).isEqualTo(SetState.ACTIVE);
    assertThat(ranking(c, oldQuery)).as("after rollback").isEqualTo(oldRanking);
    assertDimensionMismatch(c, newQuery);
    assertThat(store.findCollection(c.name()))
        .hasValueSatisfying(found -> assertThat(found.spec()).isEqualTo(c.spec()));

    assertThat(store.dropSet(c.name(), building.id())).isTrue();
    assertThat(ranking(c, oldQuery)).as("after dropSet of the retired set").isEqualTo(oldRanking);
    assertThat(store.embeddingSets(c.name()))
        .singleElement()
        .satisfies(s -> assertThat(s.id()).isEqualTo(old.id()));
  }

  @Test
  void aModelSwitchAcrossDimensionsMovesTheCollectionToTheNewModel() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("first", embedded(0, "first", 1, 0, 0)),
            doc("second", embedded(0, "second", 0, 1, 0), ChunkInput.of(1, "second, more"))));

    EmbeddingSet previous = store.activeSet(c.name());
    for (int dimension : new int[] {5, 8}) {
      String model = "contract:model-" + dimension;
      EmbeddingSet building = store.createBuildingSet(c.name(), model, dimension);
      List<EmbeddingUpdate> updates = new ArrayList<>();
      for (Chunk ch : chunksIn(c, building.id(), EmbeddingState.MISSING)) {
        int axis = ch.documentKey().equals("first") ? dimension - 1 : ch.ordinal();
        updates.add(new EmbeddingUpdate(ch.id(), unit(dimension, axis), model, ch.contentHash()));
      }
      assertThat(store.writeVectors(c.name(), building.id(), updates)).isEqualTo(3);
      assertThat(store.stats(c.name(), building.id()).missingChunks()).isZero();

      store.activateSet(c.name(), building.id());

      CollectionInfo found = store.findCollection(c.name()).orElseThrow();
      assertThat(found.id()).isEqualTo(c.id());
      assertThat(found.spec())
          .isEqualTo(new CollectionSpec(c.name(), model, dimension, Distance.COSINE));
      assertThat(store.activeSet(c.name()).model()).isEqualTo(model);
      assertThat(keys(store.search(VectorQuery.of(c.name(), unit(dimension, dimension - 1), 1))))
          .containsExactly("first");
      assertThat(store.dropSet(c.name(), previous.id())).isTrue();
      assertThat(store.embeddingSets(c.name()))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.state()).isEqualTo(SetState.ACTIVE);
                assertThat(s.dimension()).isEqualTo(dimension);
              });
      previous = building;
    }

    UpsertResult result =
        store.upsert(
            c.name(),
            List.of(
                doc("new", ChunkInput.embedded(0, "new", unit(8, 3), "contract:model-8")),
                doc("old-size", embedded(0, "old size", 1, 0, 0))));
    assertThat(result.inserted()).isEqualTo(1);
    assertThat(result.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo("old-size");
              assertThat(f.reason()).contains("the embedding has 3 dimensions");
            });
    assertThat(keys(store.search(VectorQuery.of(c.name(), unit(8, 3), 1)))).containsExactly("new");
  }

  @Test
  void statsCountTheCoverageOfOneSet() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("a", embedded(0, "a0", 1, 0, 0), embedded(1, "a1", 0, 1, 0)),
            doc("b", ChunkInput.of(0, "b0"), ChunkInput.of(1, "b1")),
            doc("hidden", embedded(0, "h0", 1, 0, 0))));
    store.softDelete(c.name(), "hidden");
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    List<Chunk> live = chunksIn(c, building.id(), EmbeddingState.ANY);
    Chunk b0 = live.stream().filter(ch -> ch.text().equals("b0")).findFirst().orElseThrow();
    Chunk b1 = live.stream().filter(ch -> ch.text().equals("b1")).findFirst().orElseThrow();
    store.writeVectors(
        c.name(),
        building.id(),
        List.of(
            new EmbeddingUpdate(b0.id(), textVector("b0", 5), OTHER_MODEL, b0.contentHash()),
            new EmbeddingUpdate(b1.id(), textVector("b", 5), OTHER_MODEL, "hash-of-older-text")));

    CollectionStats inBuilding = store.stats(c.name(), building.id());
    CollectionStats inActive = store.stats(c.name(), 0);

    assertThat(inBuilding.collection()).isEqualTo(c.name());
    assertThat(inBuilding.documentsByStatus()).isEqualTo(inActive.documentsByStatus());
    assertThat(inBuilding.chunks()).isEqualTo(4);
    assertThat(inBuilding.embeddedChunks()).isEqualTo(2);
    assertThat(inBuilding.missingChunks()).isEqualTo(2);
    assertThat(inBuilding.staleChunks()).isEqualTo(1);
    assertThat(inBuilding.foreignModelChunks()).isZero();
    assertThat(inActive.chunks()).isEqualTo(4);
    assertThat(inActive.embeddedChunks()).isEqualTo(2);
    assertThat(inActive.staleChunks()).isZero();
    assertThat(store.stats(c.name())).isEqualTo(inActive);
    assertThat(store.stats(c.name(), store.activeSet(c.name()).id())).isEqualTo(inActive);

    store.activateSet(c.name(), building.id());
    store.upsert(c.name(), List.of(doc("late", ChunkInput.embedded(0, "late", unit(5, 0), MODEL))));
    assertThat(store.stats(c.name()).foreignModelChunks())
        .as("a vector of a model other than the set's")
        .isEqualTo(1);
  }

  @Test
  void operationsOnASetOfAnotherCollectionFailWithNotFound() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    CollectionInfo other = newCollection(3, Distance.COSINE);
    long foreign = store.createBuildingSet(other.name(), OTHER_MODEL, 4).id();
    long dropped = store.createBuildingSet(c.name(), OTHER_MODEL, 4).id();
    assertThat(store.dropSet(c.name(), dropped)).isTrue();

    for (long setId : new long[] {foreign, dropped}) {
      assertFailsWith(ErrorCode.NOT_FOUND, () -> store.stats(c.name(), setId))
          .hasMessageContaining("Embedding set " + setId + " does not exist in collection");
      assertFailsWith(ErrorCode.NOT_FOUND, () -> store.activateSet(c.name(), setId))
          .hasMessageContaining("Embedding set " + setId + " does not exist in collection");
      assertThat(store.dropSet(c.name(), setId)).isFalse();
    }
    assertThat(store.buildingSet(other.name()))
        .as("the other collection's set is left alone")
        .hasValueSatisfying(s -> assertThat(s.id()).isEqualTo(foreign));
    assertThat(store.embeddingSets(c.name()))
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(SetState.ACTIVE));
  }

  @Test
  void theActiveSetCannotBeDroppedAndActivatingItChangesNothing() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    EmbeddingSet active = store.activeSet(c.name());

    assertFailsWith(ErrorCode.CONFLICT, () -> store.dropSet(c.name(), active.id()))
        .hasMessageContaining("is active and cannot be dropped");
    assertFailsWith(ErrorCode.CONFLICT, () -> store.rollback(c.name()))
        .hasMessageContaining("has no retired embedding set to roll back to");
    EmbeddingSet again = store.activateSet(c.name(), active.id());

    assertThat(again.id()).isEqualTo(active.id());
    assertThat(again.state()).isEqualTo(SetState.ACTIVE);
    assertThat(store.embeddingSets(c.name()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(active.id());
              assertThat(s.state()).isEqualTo(SetState.ACTIVE);
            });
    assertThat(store.findCollection(c.name()))
        .hasValueSatisfying(found -> assertThat(found.spec()).isEqualTo(c.spec()));
  }

  @Test
  void dropSetRemovesTheSetWithItsVectorsAndReturnsFalseTheSecondTime() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", ChunkInput.of(0, "zero"), ChunkInput.of(1, "one"))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    store.writeVectors(
        c.name(), building.id(), vectorsFor(chunksIn(c, building.id(), EmbeddingState.ANY), 5));

    assertThat(store.dropSet(c.name(), building.id())).isTrue();
    assertThat(store.dropSet(c.name(), building.id())).isFalse();

    assertThat(store.embeddingSets(c.name()))
        .extracting(EmbeddingSet::id)
        .containsExactly(store.activeSet(c.name()).id());
    assertThat(store.buildingSet(c.name())).isEmpty();
    EmbeddingSet restarted = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    assertThat(restarted.id()).isNotEqualTo(building.id());
    assertThat(chunksIn(c, restarted.id(), EmbeddingState.MISSING))
        .as("a new set starts empty")
        .hasSize(2);
  }

  @Test
  void documentsUpsertedWhileASetIsBuildingAreMissingInIt() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    DocumentInput kept = doc("kept", embedded(0, "kept", 1, 0, 0));
    store.upsert(c.name(), List.of(kept, doc("edited", embedded(0, "edited v1", 0, 1, 0))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    store.writeVectors(
        c.name(), building.id(), vectorsFor(chunksIn(c, building.id(), EmbeddingState.ANY), 5));
    assertThat(chunksIn(c, building.id(), EmbeddingState.MISSING)).isEmpty();

    store.upsert(
        c.name(),
        List.of(
            kept,
            doc("edited", embedded(0, "edited v2", 0, 1, 0)),
            doc("late", embedded(0, "late", 0, 0, 1))));

    assertThat(chunksIn(c, building.id(), EmbeddingState.MISSING))
        .extracting(Chunk::text)
        .contains("late")
        .doesNotContain("kept");
    // Whether an edited chunk is missing (new row) or stale (old vector kept) is the store's
    // choice:
    // either way it is listed for re-embedding, and only the unchanged chunk is current.
    List<String> toEmbed = new ArrayList<>();
    for (EmbeddingState state : List.of(EmbeddingState.MISSING, EmbeddingState.STALE)) {
      chunksIn(c, building.id(), state).forEach(ch -> toEmbed.add(ch.text()));
    }
    assertThat(toEmbed).containsExactlyInAnyOrder("edited v2", "late");
    assertThat(chunksIn(c, building.id(), EmbeddingState.PRESENT))
        .as("an unchanged document keeps its vectors in every set")
        .extracting(Chunk::text)
        .contains("kept");
    assertThat(textsIn(c, EmbeddingState.PRESENT))
        .as("embeddings given with chunks go into the active set")
        .containsExactlyInAnyOrder("kept", "edited v2", "late");
    CollectionStats stats = store.stats(c.name(), building.id());
    assertThat(stats.missingChunks() + stats.staleChunks()).isEqualTo(2);
  }

  @Test
  void deletingADocumentRemovesItsVectorsFromEverySet() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("gone", embedded(0, "gone a", 1, 0, 0), embedded(1, "gone b", 0, 1, 0)),
            DocumentInput.builder("purged")
                .sourceId("src-purged")
                .chunk(embedded(0, "purged", 1, 1, 0))
                .build(),
            doc("stays", embedded(0, "stays", 0, 0, 1))));
    EmbeddingSet retired = store.activeSet(c.name());
    EmbeddingSet active = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    store.writeVectors(
        c.name(), active.id(), vectorsFor(chunksIn(c, active.id(), EmbeddingState.ANY), 5));
    store.activateSet(c.name(), active.id());
    EmbeddingSet building = store.createBuildingSet(c.name(), THIRD_MODEL, 4);
    store.writeVectors(
        c.name(),
        building.id(),
        vectorsFor(chunksIn(c, building.id(), EmbeddingState.ANY), 4, THIRD_MODEL));
    List<Long> sets = List.of(retired.id(), active.id(), building.id());
    for (long setId : sets) {
      assertThat(store.stats(c.name(), setId).embeddedChunks()).as("set %d", setId).isEqualTo(4);
    }

    store.deleteDocument(c.name(), "gone");
    store.deleteBySource(c.name(), "src-purged");

    for (long setId : sets) {
      assertThat(chunksIn(c, setId, EmbeddingState.PRESENT))
          .as("set %d", setId)
          .extracting(Chunk::text)
          .containsExactly("stays");
      CollectionStats stats = store.stats(c.name(), setId);
      assertThat(stats.chunks()).as("set %d", setId).isEqualTo(1);
      assertThat(stats.embeddedChunks()).as("set %d", setId).isEqualTo(1);
    }

    store.upsert(c.name(), List.of(doc("stays", ChunkInput.of(0, "stays, new text"))));
    for (long setId : sets) {
      CollectionStats stats = store.stats(c.name(), setId);
      assertThat(stats.embeddedChunks() - stats.staleChunks())
          .as("set %d: no current vector for replaced text", setId)
          .isZero();
    }
  }

  @Test
  void restoreJudgesEmbeddingsInTheActiveSet() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("old-only", embedded(0, "old only", 1, 0, 0)),
            doc("both", embedded(0, "both", 0, 1, 0))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    Chunk both = store.chunks(c.name(), "both").get(0);
    store.writeVectors(
        c.name(),
        building.id(),
        List.of(new EmbeddingUpdate(both.id(), unit(5, 1), OTHER_MODEL, both.contentHash())));
    store.activateSet(c.name(), building.id());
    store.softDelete(c.name(), "old-only");
    store.softDelete(c.name(), "both");

    assertThat(store.restore(c.name(), "old-only")).isTrue();
    assertThat(store.restore(c.name(), "both")).isTrue();

    assertThat(status(c, "old-only")).isEqualTo(DocumentStatus.PENDING);
    assertThat(status(c, "both")).isEqualTo(DocumentStatus.READY);
  }

  // ---------------------------------------------------------------------------- inspection

  @Test
  void snapshotCountsEveryCollectionWithItsSetsDocumentsAndSources() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            sourced("a1", "src-a", 2),
            sourced("a2", "src-a", 1),
            sourced("b1", "src-b", 1),
            doc("pending", ChunkInput.of(0, "no vector")),
            doc("failed", ChunkInput.of(0, "broken")),
            doc("foreign", ChunkInput.embedded(0, "other", vector(0, 1, 0), OTHER_MODEL)),
            sourced("gone", "src-gone", 2)));
    store.updateStatus(c.name(), "failed", DocumentStatus.FAILED, "boom");
    store.softDelete(c.name(), "gone");
    Chunk stale = store.chunks(c.name(), "b1").get(0);
    store.updateEmbeddings(
        c.name(), List.of(new EmbeddingUpdate(stale.id(), vector(0, 0, 1), MODEL, "older")));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    Chunk a1 = store.chunks(c.name(), "a1").get(0);
    store.writeVectors(
        c.name(),
        building.id(),
        List.of(new EmbeddingUpdate(a1.id(), textVector("x", 5), OTHER_MODEL, a1.contentHash())));
    CollectionInfo empty = newCollection(4, Distance.L2);

    StoreSnapshot snapshot = store.snapshot(null);

    assertThat(snapshot.workspace()).isNull();
    assertThat(snapshot.takenAt()).isNotNull();
    assertThat(snapshot.collections())
        .extracting(CollectionSnapshot::name)
        .contains(c.name(), empty.name())
        .isSortedAccordingTo(Comparator.naturalOrder());
    CollectionSnapshot snap = snapshot.collection(c.name()).orElseThrow();
    CollectionStats stats = store.stats(c.name());
    assertThat(snap.distance()).isEqualTo(Distance.COSINE);
    assertThat(snap.documentsByStatus()).isEqualTo(stats.documentsByStatus());
    assertThat(snap.documents(DocumentStatus.FAILED)).isEqualTo(1);
    assertThat(snap.documents(DocumentStatus.DELETED)).isEqualTo(1);
    assertThat(snap.chunks()).as("chunks of live documents").isEqualTo(stats.chunks()).isEqualTo(7);
    assertThat(snap.sources())
        .as("src-a, src-b, pending, failed, foreign; not the deleted one")
        .isEqualTo(5);
    assertThat(snap.sets()).extracting(s -> s.set().id()).isSorted();
    SetSnapshot active = snap.activeSet();
    assertThat(active.set()).isEqualTo(store.activeSet(c.name()));
    assertThat(active.vectors()).isEqualTo(stats.embeddedChunks()).isEqualTo(5);
    assertThat(snap.missing(active)).isEqualTo(2);
    assertThat(active.staleVectors()).isEqualTo(1);
    assertThat(active.foreignModelVectors()).isEqualTo(1);
    SetSnapshot inBuilding = snap.buildingSet().orElseThrow();
    assertThat(inBuilding.set().id()).isEqualTo(building.id());
    assertThat(inBuilding.vectors()).isEqualTo(1);
    assertThat(inBuilding.staleVectors()).isZero();
    assertThat(snap.missing(inBuilding)).isEqualTo(6);
    CollectionSnapshot none = snapshot.collection(empty.name()).orElseThrow();
    assertThat(none.chunks()).isZero();
    assertThat(none.sources()).isZero();
    assertThat(none.documentsByStatus()).containsOnlyKeys(DocumentStatus.values());
    assertThat(none.activeSet().vectors()).isZero();

    if (supports(StoreCapability.ANN_INDEX)) {
      assertThat(active.annIndex()).isEqualTo(AnnIndexState.VALID);
      assertThat(inBuilding.annIndex())
          .as("a building set gets its index when activated")
          .isEqualTo(AnnIndexState.MISSING);
    } else {
      assertThat(active.annIndex()).isEqualTo(AnnIndexState.NOT_APPLICABLE);
      assertThat(inBuilding.annIndex()).isEqualTo(AnnIndexState.NOT_APPLICABLE);
    }
    if (supports(StoreCapability.STORAGE_BYTES)) {
      assertThat(snap.dataBytes()).isPresent();
      assertThat(snap.dataBytes().getAsLong()).isPositive();
      assertThat(active.bytes()).isPresent();
      assertThat(snapshot.relations()).isNotEmpty();
      assertThat(snapshot.relationBytes().getAsLong()).isPositive();
    } else {
      assertThat(snap.dataBytes()).as("unknown, never a made-up 0").isEmpty();
      assertThat(active.bytes()).isEmpty();
      assertThat(snapshot.relations()).isEmpty();
      assertThat(snapshot.relationBytes()).isEmpty();
    }
    assertThat(snapshot.configuration()).isNotEmpty();
    assertThat(snapshot.configuration().values())
        .noneMatch(v -> v != null && v.toLowerCase(Locale.ROOT).matches(".*password=[^*].*"));
  }

  @Test
  void snapshotOfAWorkspaceCountsOnlyItsDocuments() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("x1")
                .workspace("team-x")
                .sourceId("s1")
                .chunk(embedded(0, "x one", 1, 0, 0))
                .chunk(ChunkInput.of(1, "x two"))
                .build(),
            DocumentInput.builder("x2")
                .workspace("team-x")
                .sourceId("s2")
                .chunk(embedded(0, "x three", 0, 1, 0))
                .build(),
            DocumentInput.builder("y1")
                .workspace("team-y")
                .chunk(embedded(0, "y one", 0, 0, 1))
                .build(),
            doc("shared", embedded(0, "no workspace", 1, 1, 0))));

    CollectionSnapshot x = store.snapshot("team-x").collection(c.name()).orElseThrow();
    CollectionSnapshot all = store.snapshot(null).collection(c.name()).orElseThrow();

    assertThat(store.snapshot("team-x").workspace()).isEqualTo("team-x");
    assertThat(x.liveDocuments()).isEqualTo(2);
    assertThat(x.chunks()).isEqualTo(3);
    assertThat(x.sources()).isEqualTo(2);
    assertThat(x.activeSet().vectors()).isEqualTo(2);
    assertThat(all.liveDocuments()).isEqualTo(4);
    assertThat(all.chunks()).isEqualTo(5);
    assertThat(all.activeSet().vectors()).isEqualTo(4);
    if (supports(StoreCapability.STORAGE_BYTES)) {
      assertThat(x.dataBytes().getAsLong()).isLessThan(all.dataBytes().getAsLong());
    }
    assertThat(store.snapshot("nobody").collection(c.name()).orElseThrow().chunks()).isZero();
  }

  @Test
  void scanVectorsNamesZeroForeignAndStaleVectorsPageByPage() {
    CollectionInfo c = newCollection(3, Distance.L2);
    store.upsert(
        c.name(),
        List.of(
            doc("fine", embedded(0, "fine one", 1, 0, 0), embedded(1, "fine two", 0, 1, 0)),
            doc("zero", embedded(0, "zero", 0, 0, 0)),
            doc("foreign", ChunkInput.embedded(0, "foreign", vector(1, 1, 0), OTHER_MODEL)),
            doc("stale", embedded(0, "stale", 1, 1, 1)),
            doc("missing", ChunkInput.of(0, "no vector")),
            doc("hidden", embedded(0, "hidden zero", 0, 0, 0))));
    store.softDelete(c.name(), "hidden");
    long staleId = store.chunks(c.name(), "stale").get(0).id();
    store.updateEmbeddings(
        c.name(), List.of(new EmbeddingUpdate(staleId, vector(1, 1, 1), MODEL, "older")));
    long zeroId = store.chunks(c.name(), "zero").get(0).id();
    long foreignId = store.chunks(c.name(), "foreign").get(0).id();
    long hiddenId = store.chunks(c.name(), "hidden").get(0).id();

    List<VectorCheck> suspects = new ArrayList<>();
    int examined = 0;
    int pages = 0;
    VectorScanQuery query = VectorScanQuery.of(c.name(), 0, 2);
    while (query != null) {
      VectorScanPage page = store.scanVectors(query);
      pages++;
      suspects.addAll(page.suspects());
      examined += page.examined();
      assertThat(page.nextAfter().isPresent()).isEqualTo(page.examined() == 2);
      query = page.nextAfter().isPresent() ? query.after(page.nextAfter().getAsLong()) : null;
    }

    assertThat(examined).as("every vector, a soft-deleted document's too").isEqualTo(6);
    assertThat(pages).isGreaterThanOrEqualTo(3);
    assertThat(suspects).extracting(VectorCheck::chunkId).isSorted();
    Map<Long, List<String>> problems = new TreeMap<>();
    suspects.forEach(v -> problems.put(v.chunkId(), v.problems()));
    assertThat(problems)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                zeroId, List.of("zero"),
                foreignId, List.of("model"),
                staleId, List.of("stale"),
                hiddenId, List.of("zero")));
    VectorCheck foreign =
        suspects.stream().filter(v -> v.chunkId() == foreignId).findFirst().orElseThrow();
    assertThat(foreign.model()).isEqualTo(OTHER_MODEL);
    assertThat(foreign.dimension()).isEqualTo(3);
    assertThat(foreign.nonFinite()).isFalse();
    assertThat(foreign.orphan()).isFalse();
  }

  @Test
  void scanVectorsWithASampleRateExaminesTheSameChunksInEveryStore() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    List<DocumentInput> docs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      docs.add(doc("d" + i, embedded(0, "text " + i, 1, i, 0)));
    }
    store.upsert(c.name(), docs);
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 5);
    List<Long> ids = new ArrayList<>();
    for (DocumentInput d : docs) {
      ids.add(store.chunks(c.name(), d.key()).get(0).id());
    }
    List<EmbeddingUpdate> zeros = new ArrayList<>();
    for (long id : ids) {
      zeros.add(new EmbeddingUpdate(id, Embedding.of(new float[5]), OTHER_MODEL, "older"));
    }
    store.writeVectors(c.name(), building.id(), zeros);
    long expected = ids.stream().filter(id -> VectorScanQuery.sampled(id, 0.3)).count();

    Set<Long> seen = new HashSet<>();
    int examined = 0;
    VectorScanQuery query = VectorScanQuery.of(c.name(), building.id(), 7).withSampleRate(0.3);
    while (query != null) {
      VectorScanPage page = store.scanVectors(query);
      examined += page.examined();
      page.suspects().forEach(v -> seen.add(v.chunkId()));
      query = page.nextAfter().isPresent() ? query.after(page.nextAfter().getAsLong()) : null;
    }

    assertThat(expected).isBetween(5L, 40L);
    assertThat(examined).isEqualTo(expected);
    assertThat(seen)
        .as("every sampled vector is zero and stale")
        .containsExactlyInAnyOrderElementsOf(
            ids.stream().filter(id -> VectorScanQuery.sampled(id, 0.3)).toList());
  }

  @Test
  void scanVectorsOfAnUnknownCollectionOrSetFailsWithNotFound() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    CollectionInfo other = newCollection(3, Distance.COSINE);
    long otherSet = store.activeSet(other.name()).id();

    assertFailsWith(
        ErrorCode.NOT_FOUND,
        () -> store.scanVectors(VectorScanQuery.of(uniqueName("missing"), 0, 10)));
    assertFailsWith(
        ErrorCode.NOT_FOUND, () -> store.scanVectors(VectorScanQuery.of(c.name(), otherSet, 10)));
  }

  @Test
  void auditChunksCountsChunksOverATokenLimitAndDocumentsMissingRequiredMetadata() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("complete")
                .metadata("lang", "en")
                .metadata("owner", "ops")
                .chunks(
                    List.of(
                        new ChunkInput(0, "short words", 2, null, null, null),
                        new ChunkInput(1, "a much longer chunk text", 50, null, null, null)))
                .build(),
            DocumentInput.builder("partial")
                .metadata("lang", "de")
                .chunks(List.of(new ChunkInput(0, "kurzer text", 2, null, null, null)))
                .build(),
            DocumentInput.builder("hidden")
                .chunks(List.of(new ChunkInput(0, "deleted long text", 99, null, null, null)))
                .build()));
    store.softDelete(c.name(), "hidden");
    long longId = store.chunks(c.name(), "complete").get(1).id();

    ChunkAudit audit =
        store.auditChunks(new ChunkAuditQuery(c.name(), 1.0, 10, Set.of("lang", "owner"), 5));

    assertThat(audit.examinedChunks()).as("live documents' chunks only").isEqualTo(3);
    assertThat(audit.hashMismatches()).isZero();
    assertThat(audit.hashMismatchIds()).isEmpty();
    assertThat(audit.overTokenLimit()).isEqualTo(1);
    assertThat(audit.overTokenLimitIds()).containsExactly(longId);
    assertThat(audit.examinedDocuments()).isEqualTo(2);
    assertThat(audit.documentsMissingMetadata()).isEqualTo(1);
    assertThat(audit.documentsMissingMetadataKeys()).containsExactly("partial");
    if (audit.keywordsChecked()) {
      assertThat(audit.missingKeywords()).as("every stored chunk has its words").isZero();
    } else {
      assertThat(audit.missingKeywordIds()).isEmpty();
    }

    ChunkAudit unlimited = store.auditChunks(ChunkAuditQuery.of(c.name()));
    assertThat(unlimited.overTokenLimit()).isZero();
    assertThat(unlimited.examinedDocuments()).as("no key required, no document read").isZero();
    assertFailsWith(
        ErrorCode.NOT_FOUND, () -> store.auditChunks(ChunkAuditQuery.of(uniqueName("missing"))));
  }

  @Test
  void deleteVectorsMakesChunksMissingInThatSetOnly() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(
        c.name(),
        List.of(
            doc("a", embedded(0, "one", 1, 0, 0), embedded(1, "two", 0, 1, 0)),
            doc("b", embedded(0, "three", 0, 0, 1))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 2);
    long a0 = store.chunks(c.name(), "a").get(0).id();
    long b0 = store.chunks(c.name(), "b").get(0).id();
    store.writeVectors(
        c.name(), building.id(), List.of(new EmbeddingUpdate(a0, vector(1, 1), OTHER_MODEL, "h")));

    assertThat(store.deleteVectors(c.name(), 0, List.of(a0, b0, 999_999_999L))).isEqualTo(2);

    assertThat(store.stats(c.name()).missingChunks()).isEqualTo(2);
    assertThat(store.chunks(c.name(), "a").get(0).hasEmbedding()).isFalse();
    assertThat(store.chunks(c.name(), "a").get(1).hasEmbedding()).isTrue();
    assertThat(store.stats(c.name(), building.id()).embeddedChunks())
        .as("the building set keeps its vector")
        .isEqualTo(1);
    assertThat(store.deleteVectors(c.name(), 0, List.of(a0))).as("already gone").isZero();
    assertThat(store.deleteVectors(c.name(), 0, List.of())).isZero();
    assertFailsWith(
        ErrorCode.NOT_FOUND, () -> store.deleteVectors(uniqueName("missing"), 0, List.of(a0)));
  }

  @Test
  void buildAnnIndexLeavesAValidIndexAloneOrIsUnsupported() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", embedded(0, "alpha", 1, 0, 0))));
    if (supports(StoreCapability.ANN_INDEX)) {
      store.buildAnnIndex(c.name());
      assertThat(store.buildAnnIndex(c.name())).as("a valid index is left alone").isFalse();
    } else {
      assertUnsupported(() -> store.buildAnnIndex(c.name()));
    }
    assertFailsWith(ErrorCode.NOT_FOUND, () -> store.buildAnnIndex(uniqueName("missing")));
  }

  @Test
  void latenciesReportTheSearchesAndUpsertsOfThisInstance() {
    CollectionInfo c = newCollection(3, Distance.COSINE);
    store.upsert(c.name(), List.of(doc("k", embedded(0, "alpha", 1, 0, 0))));
    for (int i = 0; i < 3; i++) {
      store.search(VectorQuery.of(c.name(), vector(1, 0, 0), 3));
    }

    List<OperationLatency> latencies = store.latencies(java.time.Duration.ofMinutes(5));

    assertThat(latencies).extracting(OperationLatency::operation).contains("search", "upsert");
    OperationLatency search =
        latencies.stream().filter(l -> l.operation().equals("search")).findFirst().orElseThrow();
    assertThat(search.count()).isGreaterThanOrEqualTo(3);
    assertThat(search.averageMillis()).isPositive();
    assertThat(search.p95Millis()).isPositive();
    assertThat(search.source()).isEqualTo(OperationLatency.IN_PROCESS);
    assertThat(latencies).extracting(OperationLatency::operation).isSorted();
  }

  // ---------------------------------------------------------------------------- helpers

  // ---------------------------------------------------------------------------- retry, cleanup,
  // locks

  @Test
  void aSecondMaintenanceLockIsRefusedWithTheRunningOperationNamedUntilTheFirstIsClosed() {
    CollectionInfo c = newCollection(2, Distance.L2);
    CollectionInfo other = newCollection(2, Distance.L2);
    assertThat(store.maintenanceLockHolder(c.name())).isEmpty();

    dev.portfolio.core.spi.MaintenanceLock first =
        store.lockForMaintenance(c.name(), "switch " + c.name() + " to m2");
    try {
      assertThat(first.isHeld()).isTrue();
      assertThat(first.holder().operation()).isEqualTo("switch " + c.name() + " to m2");
      assertThatThrownBy(() -> store.lockForMaintenance(c.name(), "cleanup-orphans"))
          .isInstanceOfSatisfying(
              PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
          .hasMessageContaining("Cannot start 'cleanup-orphans'")
          .hasMessageContaining("is busy with 'switch " + c.name() + " to m2' (since ");
      assertThat(store.maintenanceLockHolder(c.name()))
          .hasValueSatisfying(
              h -> {
                assertThat(h.operation()).isEqualTo("switch " + c.name() + " to m2");
                assertThat(h.host()).isNotBlank();
                assertThat(h.since()).isNotNull();
              });
      try (dev.portfolio.core.spi.MaintenanceLock independent =
          store.lockForMaintenance(other.name(), "reembed " + other.name())) {
        assertThat(independent.isHeld()).isTrue();
      }
    } finally {
      first.close();
    }
    first.close();

    assertThat(first.isHeld()).isFalse();
    assertThat(store.maintenanceLockHolder(c.name())).isEmpty();
    try (dev.portfolio.core.spi.MaintenanceLock again =
        store.lockForMaintenance(c.name(), "cleanup-orphans")) {
      assertThat(again.holder().operation()).isEqualTo("cleanup-orphans");
    }
  }

  @Test
  void locksOfSeveralCollectionsAreTakenAllOrNone() {
    CollectionInfo a = newCollection(2, Distance.L2);
    CollectionInfo b = newCollection(2, Distance.L2);
    CollectionInfo c = newCollection(2, Distance.L2);
    try (dev.portfolio.core.spi.MaintenanceLock busy = store.lockForMaintenance(b.name(), "busy")) {
      assertThat(busy.isHeld()).isTrue();
      assertThatThrownBy(
              () -> store.lockForMaintenance(List.of(a.name(), b.name(), c.name()), "all"))
          .isInstanceOfSatisfying(
              PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
          .hasMessageContaining("is busy with 'busy'");
      assertThat(store.maintenanceLockHolder(a.name())).isEmpty();
      assertThat(store.maintenanceLockHolder(c.name())).isEmpty();
    }
    try (dev.portfolio.core.spi.MaintenanceLock all =
        store.lockForMaintenance(List.of(a.name(), b.name(), c.name()), "all")) {
      assertThat(all.isHeld()).isTrue();
      for (CollectionInfo x : List.of(a, b, c)) {
        assertThat(store.maintenanceLockHolder(x.name()))
            .map(dev.portfolio.core.model.LockHolder::operation)
            .hasValue("all");
      }
    }
    assertThat(store.maintenanceLockHolder(b.name())).isEmpty();
    try (dev.portfolio.core.spi.MaintenanceLock none = store.lockForMaintenance(List.of(), "x")) {
      assertThat(none.isHeld()).isTrue();
    }
  }

  @Test
  void sharedHoldersOfALockRunSideBySideAndKeepExclusiveOnesOut() {
    CollectionInfo c = newCollection(2, Distance.L2);
    dev.portfolio.core.spi.MaintenanceLock unit1 = store.lockShared(c.name(), "reembed job 7");
    dev.portfolio.core.spi.MaintenanceLock unit2 = store.lockShared(c.name(), "reembed job 7");
    try {
      assertThat(unit1.isHeld()).isTrue();
      assertThat(unit2.isHeld()).isTrue();
      assertThatThrownBy(() -> store.lockForMaintenance(c.name(), "switch " + c.name()))
          .isInstanceOfSatisfying(
              PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
          .hasMessageContaining("is busy with 'reembed job 7'");
      unit1.close();
      // The other unit still holds it, and refusals still name the job.
      assertThat(store.maintenanceLockHolder(c.name()))
          .map(dev.portfolio.core.model.LockHolder::operation)
          .hasValue("reembed job 7");
      assertThatThrownBy(() -> store.lockForMaintenance(c.name(), "cleanup"))
          .hasMessageContaining("is busy with 'reembed job 7'");
    } finally {
      unit1.close();
      unit2.close();
    }
    assertThat(store.maintenanceLockHolder(c.name())).isEmpty();
    try (dev.portfolio.core.spi.MaintenanceLock exclusive =
        store.lockForMaintenance(c.name(), "switch " + c.name())) {
      assertThat(exclusive.isHeld()).isTrue();
      assertThatThrownBy(() -> store.lockShared(c.name(), "reembed job 8"))
          .isInstanceOfSatisfying(
              PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
          .hasMessageContaining("Cannot start 'reembed job 8'")
          .hasMessageContaining("is busy with 'switch " + c.name() + "'");
    }
    try (dev.portfolio.core.spi.MaintenanceLock again =
        store.lockShared(c.name(), "reembed job 9")) {
      assertThat(again.holder().operation()).isEqualTo("reembed job 9");
    }
  }

  @Test
  void lockingAnUnknownCollectionFailsWithNotFound() {
    String name = uniqueName("nolock");
    assertThatThrownBy(() -> store.lockForMaintenance(name, "reembed"))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void
      recordedFailuresAreListedWithTheirKindAndOnlyFailuresOfRetriableOrRejectedKindCountAnAttempt() {
    CollectionInfo c = newCollection(2, Distance.L2);
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("a").sourceId("s1").chunk(ChunkInput.of(0, "a")).build(),
            DocumentInput.builder("b").sourceId("s2").chunk(ChunkInput.of(0, "b")).build(),
            DocumentInput.builder("c").sourceId("s1").chunk(ChunkInput.of(0, "c")).build(),
            DocumentInput.builder("d").sourceId("s1").chunk(ChunkInput.of(0, "d")).build()));

    assertThat(
            store.recordFailure(
                c.name(), "a", dev.portfolio.core.model.FailureKind.RETRIABLE, "429\0 slow down"))
        .isTrue();
    store.recordFailure(c.name(), "b", dev.portfolio.core.model.FailureKind.REJECTED, "too long");
    store.recordFailure(c.name(), "b", dev.portfolio.core.model.FailureKind.REJECTED, "too long");
    store.recordFailure(c.name(), "b", dev.portfolio.core.model.FailureKind.PERMANENT, "gave up");
    store.updateStatus(c.name(), "c", DocumentStatus.FAILED, "by hand");
    assertThat(
            store.recordFailure(
                c.name(), "missing", dev.portfolio.core.model.FailureKind.REJECTED, "x"))
        .isFalse();

    Page<dev.portfolio.core.model.FailedDocument> page =
        store.listFailedDocuments(DocumentQuery.of(c.name(), 100));
    assertThat(page.items())
        .extracting(
            f -> f.document().key(),
            dev.portfolio.core.model.FailedDocument::kind,
            f -> f.document().attempts(),
            f -> f.document().error())
        .containsExactly(
            tuple("a", dev.portfolio.core.model.FailureKind.RETRIABLE, 1, "429\uFFFD slow down"),
            tuple("b", dev.portfolio.core.model.FailureKind.PERMANENT, 2, "gave up"),
            tuple("c", dev.portfolio.core.model.FailureKind.REJECTED, 1, "by hand"));
    assertThat(status(c, "a")).isEqualTo(DocumentStatus.FAILED);
    assertThat(
            store
                .listFailedDocuments(
                    new DocumentQuery(
                        c.name(), SearchFilter.builder().sourceId("s1").build(), 0, 100))
                .items())
        .extracting(f -> f.document().key())
        .containsExactly("a", "c");
    Page<dev.portfolio.core.model.FailedDocument> first =
        store.listFailedDocuments(DocumentQuery.of(c.name(), 2));
    assertPageCursor(first, 2, f -> f.document().id());
    assertThat(
            store
                .listFailedDocuments(
                    DocumentQuery.of(c.name(), 2).after(first.nextAfter().getAsLong()))
                .items())
        .extracting(f -> f.document().key())
        .containsExactly("c");

    store.updateStatus(c.name(), "a", DocumentStatus.READY, null);
    store.updateStatus(c.name(), "b", DocumentStatus.FAILED, "new failure");
    assertThat(store.listFailedDocuments(DocumentQuery.of(c.name(), 100)).items())
        .extracting(f -> f.document().key(), dev.portfolio.core.model.FailedDocument::kind)
        .containsExactly(
            tuple("b", dev.portfolio.core.model.FailureKind.REJECTED),
            tuple("c", dev.portfolio.core.model.FailureKind.REJECTED));
  }

  @Test
  void purgeDeletedRemovesSoftDeletedDocumentsWithChunksAndVectorsOfEverySetInBatches() {
    CollectionInfo c = newCollection(2, Distance.L2);
    store.upsert(
        c.name(),
        List.of(
            doc("gone-1", embedded(0, "g1 a", 1, 0), embedded(1, "g1 b", 0, 1)),
            doc("gone-2", embedded(0, "g2", 1, 1)),
            doc("gone-3", ChunkInput.of(0, "g3 without vector")),
            doc("live", embedded(0, "live", 1, 2))));
    EmbeddingSet building = store.createBuildingSet(c.name(), OTHER_MODEL, 3);
    store.writeVectors(
        c.name(), building.id(), vectorsFor(chunksIn(c, building.id(), EmbeddingState.ANY), 3));
    for (String key : List.of("gone-1", "gone-2", "gone-3")) {
      assertThat(store.softDelete(c.name(), key)).isTrue();
    }

    assertThat(store.countDeleted(c.name(), java.time.Instant.EPOCH))
        .isEqualTo(dev.portfolio.core.model.PurgeResult.NONE);
    dev.portfolio.core.model.PurgeResult expected =
        new dev.portfolio.core.model.PurgeResult(3, 4, 7);
    assertThat(store.countDeleted(c.name(), null)).isEqualTo(expected);
    assertThat(store.countDeleted(c.name(), java.time.Instant.now().plusSeconds(3600)))
        .isEqualTo(expected);
    assertThat(store.purgeDeleted(c.name(), java.time.Instant.EPOCH, 10))
        .isEqualTo(dev.portfolio.core.model.PurgeResult.NONE);

    dev.portfolio.core.model.PurgeResult sum = dev.portfolio.core.model.PurgeResult.NONE;
    for (int i = 0; i < 3; i++) {
      dev.portfolio.core.model.PurgeResult batch = store.purgeDeleted(c.name(), null, 1);
      assertThat(batch.documents()).isEqualTo(1);
      sum = sum.plus(batch);
    }
    assertThat(sum).isEqualTo(expected);
    assertThat(store.purgeDeleted(c.name(), null, 10))
        .isEqualTo(dev.portfolio.core.model.PurgeResult.NONE);

    assertThat(store.findDocument(c.name(), "gone-1")).isEmpty();
    assertThat(store.findDocument(c.name(), "live")).isPresent();
    assertThat(store.stats(c.name()).chunks()).isEqualTo(1);
    assertThat(store.stats(c.name(), building.id()).embeddedChunks()).isEqualTo(1);
    assertThat(chunksIn(c, building.id(), EmbeddingState.ANY))
        .extracting(Chunk::text)
        .containsExactly("live");
  }

  @Test
  void aHealthyStoreHasNoOrphansAndDeletingThemRemovesNothing() {
    CollectionInfo c = newCollection(2, Distance.L2);
    store.upsert(c.name(), List.of(doc("a", embedded(0, "a", 1, 0))));
    EmbeddingSet first = store.activeSet(c.name());
    EmbeddingSet next = store.createBuildingSet(c.name(), OTHER_MODEL, 2);
    store.writeVectors(
        c.name(), next.id(), vectorsFor(chunksIn(c, next.id(), EmbeddingState.ANY), 2));
    store.activateSet(c.name(), next.id());
    store.deleteDocument(c.name(), "a");

    Map<dev.portfolio.core.model.OrphanKind, Long> orphans = store.countOrphans();

    assertThat(orphans).containsOnlyKeys(dev.portfolio.core.model.OrphanKind.values());
    assertThat(orphans.values()).containsOnly(0L);
    for (dev.portfolio.core.model.OrphanKind kind : dev.portfolio.core.model.OrphanKind.values()) {
      assertThat(store.deleteOrphans(kind, 100)).as("%s", kind).isZero();
    }
    assertThat(store.embeddingSets(c.name()))
        .extracting(EmbeddingSet::id)
        .containsExactly(first.id(), next.id());
  }

  @Test
  void vacuumReportsEachTableWithoutFailing() {
    List<dev.portfolio.core.model.VacuumOutcome> outcomes =
        store.vacuum(
            java.util.EnumSet.of(
                dev.portfolio.core.model.StoreTable.EMBEDDINGS,
                dev.portfolio.core.model.StoreTable.DOCUMENTS));

    assertThat(outcomes)
        .extracting(dev.portfolio.core.model.VacuumOutcome::table)
        .containsExactly(
            dev.portfolio.core.model.StoreTable.DOCUMENTS,
            dev.portfolio.core.model.StoreTable.EMBEDDINGS);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.detail()).isNotBlank());
    assertThat(store.vacuum(Set.of())).isEmpty();
  }

  // ---------------------------------------------------------------------------- change detection

  @Test
  void fingerprintsLooksUpStoredDocumentsOfManyKeysAtOnceSoftDeletedIncluded() {
    CollectionInfo c = newCollection(2, Distance.L2);
    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("a")
                .sourceId("s")
                .fingerprint("fa")
                .chunk(embedded(0, "x", 1, 0))
                .build(),
            DocumentInput.builder("b").fingerprint("fb").chunk(ChunkInput.of(0, "y")).build(),
            DocumentInput.builder("c").chunk(embedded(0, "z", 0, 1)).build()));
    store.softDelete(c.name(), "c");

    Map<String, DocumentFingerprint> found =
        store.fingerprints(c.name(), List.of("a", "b", "c", "missing", "a"));

    assertThat(found).containsOnlyKeys("a", "b", "c");
    assertThat(found.get("a"))
        .isEqualTo(new DocumentFingerprint("a", "s", DocumentStatus.READY, "fa"));
    assertThat(found.get("a").unchangedBy("fa")).isTrue();
    assertThat(found.get("b").status()).isEqualTo(DocumentStatus.PENDING);
    assertThat(found.get("b").unchangedBy("fb")).isFalse();
    assertThat(found.get("c").status()).isEqualTo(DocumentStatus.DELETED);
    assertThat(found.get("c").fingerprint()).isNull();
    assertThat(store.fingerprints(c.name(), List.of())).isEmpty();
    assertThatThrownBy(() -> store.fingerprints(uniqueName("nope"), List.of("a")))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void reusableVectorsAreTheActiveModelsVectorsOfTheCurrentTextOnly() {
    CollectionInfo c = newCollection(2, Distance.L2);
    ChunkInput foreign = ChunkInput.embedded(1, "foreign", vector(0, 1), OTHER_MODEL);
    store.upsert(
        c.name(),
        List.of(
            doc(
                "a",
                embedded(0, "fresh", 1, 0),
                foreign,
                ChunkInput.of(2, "missing"),
                embedded(3, "stale", 1, 1)),
            doc("b", ChunkInput.of(0, "none"))));
    Chunk stale = store.chunks(c.name(), "a").get(3);
    store.updateEmbeddings(
        c.name(),
        List.of(
            new EmbeddingUpdate(
                stale.id(), vector(0.5f, 0.5f), MODEL, Fingerprints.sha256Hex("older text"))));

    Map<String, Map<String, Embedding>> reusable =
        store.reusableVectors(c.name(), List.of("a", "b", "missing"));

    assertThat(reusable).containsOnlyKeys("a");
    assertThat(reusable.get("a"))
        .containsOnlyKeys(Fingerprints.sha256Hex("fresh"))
        .containsValue(vector(1, 0));
  }

  @Test
  void historyKeepsEachDocumentsChangesInOrderAndOutlivesTheDocument() {
    CollectionInfo c = newCollection(2, Distance.L2);
    if (!supports(StoreCapability.DOCUMENT_HISTORY)) {
      assertUnsupported(() -> store.history(c.name(), "a"));
      assertUnsupported(() -> store.recordChanges(c.name(), List.of()));
      return;
    }
    java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
    store.recordChanges(
        c.name(),
        List.of(
            new DocumentChange("a", DocumentChange.Kind.ADDED, "f1", "job-1", t0),
            new DocumentChange("b", DocumentChange.Kind.ADDED, "g1", null, t0)));
    store.recordChanges(
        c.name(),
        List.of(
            new DocumentChange("a", DocumentChange.Kind.UPDATED, "f2", null, t0.plusSeconds(5)),
            new DocumentChange(
                "a", DocumentChange.Kind.REMOVED, "f2", "job-2", t0.plusSeconds(5))));
    store.recordChanges(c.name(), List.of());

    List<DocumentChange> history = store.history(c.name(), "a");

    assertThat(history)
        .extracting(DocumentChange::kind, DocumentChange::fingerprint, DocumentChange::jobId)
        .containsExactly(
            tuple(DocumentChange.Kind.ADDED, "f1", "job-1"),
            tuple(DocumentChange.Kind.UPDATED, "f2", null),
            tuple(DocumentChange.Kind.REMOVED, "f2", "job-2"));
    assertThat(history.get(0).changedAt()).isEqualTo(t0);
    assertThat(store.history(c.name(), "b")).hasSize(1);
    assertThat(store.history(c.name(), "never")).isEmpty();
  }

  @Test
  void metadataFiltersAreDeclaredOnceKeptPerCollectionAndDroppedWithIt() {
    CollectionInfo c = newCollection(2, Distance.L2);
    if (!supports(StoreCapability.METADATA_FILTERS)) {
      assertUnsupported(() -> store.filters(c.name()));
      assertUnsupported(() -> store.defineFilters(c.name(), Set.of("lang")));
      return;
    }
    CollectionInfo other = newCollection(2, Distance.L2);
    assertThat(store.filters(c.name()).keys()).isEmpty();
    assertThat(store.filters(c.name()).index())
        .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.NOT_APPLICABLE);

    dev.portfolio.core.model.MetadataFilters defined =
        store.defineFilters(c.name(), Set.of("product", "lang"));
    dev.portfolio.core.model.MetadataFilters again = store.defineFilters(c.name(), Set.of("lang"));
    dev.portfolio.core.model.MetadataFilters more = store.defineFilters(c.name(), Set.of("tier"));

    assertThat(defined.collection()).isEqualTo(c.name());
    assertThat(defined.keys()).containsExactly("lang", "product");
    assertThat(defined.isUsable()).isTrue();
    assertThat(again).isEqualTo(defined);
    assertThat(more.keys()).containsExactly("lang", "product", "tier");
    assertThat(store.filters(c.name())).isEqualTo(more);
    assertThat(store.filters(other.name()).keys()).isEmpty();
    assertThat(store.defineFilters(c.name(), Set.of())).isEqualTo(more);

    store.upsert(
        c.name(),
        List.of(
            DocumentInput.builder("fr")
                .metadata("lang", "fr")
                .chunk(embedded(0, "bonjour", 1, 0))
                .build(),
            DocumentInput.builder("en")
                .metadata("lang", "en")
                .chunk(embedded(0, "hello", 1, 0))
                .build()));
    assertThat(
            store.search(
                VectorQuery.of(c.name(), vector(1, 0), 5)
                    .withFilter(SearchFilter.builder().metadata("lang", "fr").build())))
        .extracting(SearchHit::documentKey)
        .containsExactly("fr");

    assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> store.defineFilters(c.name(), Set.of("")))
        .hasMessageContaining("empty");
    assertFailsWith(ErrorCode.INVALID_ARGUMENT, () -> store.defineFilters(c.name(), Set.of(" x")))
        .hasMessageContaining("whitespace");
    assertFailsWith(
        ErrorCode.NOT_FOUND, () -> store.defineFilters(uniqueName("missing"), Set.of("lang")));
    assertFailsWith(ErrorCode.NOT_FOUND, () -> store.filters(uniqueName("missing")));

    assertThat(store.dropCollection(c.name())).isTrue();
    store.createCollection(c.spec());
    assertThat(store.filters(c.name()).keys()).isEmpty();
  }

  /**
   * Builds a document with the given chunks and defaults for everything else.
   *
   * @param key the document key
   * @param chunks the chunks
   * @return the document
   */
  protected static DocumentInput doc(String key, ChunkInput... chunks) {
    return DocumentInput.builder(key).chunks(List.of(chunks)).build();
  }

  /**
   * Asserts that an operation fails because the store lacks a capability.
   *
   * @param operation the operation
   */
  protected static void assertUnsupported(ThrowingCallable operation) {
    assertThatThrownBy(operation)
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
        .message()
        .isNotBlank();
  }

  private UpsertResult upsertWhenReady(CountDownLatch start, String collection, DocumentInput doc)
      throws InterruptedException {
    start.await();
    for (int attempt = 1; ; attempt++) {
      try {
        return store.upsert(collection, List.of(doc));
      } catch (PortfolioException e) {
        if (!e.isRetriable() || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertFailsWith(
      ErrorCode code, ThrowingCallable operation) {
    return assertThatThrownBy(operation)
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private List<Chunk> chunksIn(CollectionInfo c, long setId, EmbeddingState state) {
    return store
        .listChunks(ChunkQuery.of(c.name(), 1000).inSet(setId).withEmbeddingState(state))
        .items();
  }

  private List<String> ranking(CollectionInfo c, Embedding query) {
    return store.search(VectorQuery.of(c.name(), query, 10)).stream()
        .map(SearchHit::documentKey)
        .toList();
  }

  private void assertDimensionMismatch(CollectionInfo c, Embedding query) {
    assertFailsWith(
        ErrorCode.DIMENSION_MISMATCH, () -> store.search(VectorQuery.of(c.name(), query, 10)));
  }

  /** Vectors of {@link #OTHER_MODEL} computed from each chunk's current text. */
  private static List<EmbeddingUpdate> vectorsFor(List<Chunk> chunks, int dimension) {
    return vectorsFor(chunks, dimension, OTHER_MODEL);
  }

  private static List<EmbeddingUpdate> vectorsFor(List<Chunk> chunks, int dimension, String model) {
    return chunks.stream()
        .map(
            ch ->
                new EmbeddingUpdate(
                    ch.id(), textVector(ch.text(), dimension), model, ch.contentHash()))
        .toList();
  }

  /** A deterministic vector without zeros, derived from a text. */
  private static Embedding textVector(String text, int dimension) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = 1 + (text.length() + i) % 7;
    }
    return Embedding.of(v);
  }

  private static Embedding unit(int dimension, int axis) {
    float[] v = new float[dimension];
    v[axis] = 1;
    return Embedding.of(v);
  }

  private static void assertInvalidName(ThrowingCallable operation, String message) {
    assertThatThrownBy(operation)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  private static <T> void assertPageCursor(
      Page<T> page, int limit, java.util.function.ToLongFunction<T> id) {
    assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
    assertThat(page.items().stream().mapToLong(id).toArray()).isSorted();
    if (page.items().size() == limit) {
      assertThat(page.nextAfter())
          .as("a full page carries the cursor of its last item")
          .hasValue(id.applyAsLong(page.items().get(limit - 1)));
    } else {
      assertThat(page.nextAfter()).as("a short page is the last one").isEmpty();
    }
  }

  private Set<String> documentKeys(CollectionInfo c, SearchFilter filter) {
    return store.listDocuments(new DocumentQuery(c.name(), filter, 0, 100)).items().stream()
        .map(Document::key)
        .collect(Collectors.toSet());
  }

  private DocumentStatus status(CollectionInfo c, String key) {
    return store.findDocument(c.name(), key).orElseThrow().status();
  }

  private List<String> textsIn(CollectionInfo c, EmbeddingState state) {
    return store.listChunks(ChunkQuery.of(c.name(), 100).withEmbeddingState(state)).items().stream()
        .map(Chunk::text)
        .toList();
  }

  private static Set<Long> ids(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::id).collect(Collectors.toCollection(HashSet::new));
  }

  private static Set<String> keys(List<SearchHit> hits) {
    return hits.stream()
        .map(SearchHit::documentKey)
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  private static DocumentInput filterDoc(
      String key,
      String source,
      String workspace,
      DocumentStatus status,
      Map<String, String> metadata,
      float... v) {
    return DocumentInput.builder(key)
        .sourceId(source)
        .workspace(workspace)
        .status(status)
        .metadata(metadata)
        .chunk(embedded(0, "shared words of " + key, v))
        .build();
  }

  private static DocumentInput sourced(String key, String source, int chunks) {
    return DocumentInput.builder(key)
        .sourceId(source)
        .chunks(
            IntStream.range(0, chunks)
                .mapToObj(i -> embedded(i, key + " chunk " + i, 1, i, 0))
                .toList())
        .build();
  }
}
