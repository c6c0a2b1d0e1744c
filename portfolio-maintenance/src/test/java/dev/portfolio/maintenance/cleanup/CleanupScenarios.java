package dev.portfolio.maintenance.cleanup;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RecordingReporter;
import dev.portfolio.maintenance.testing.RenamedEmbedder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** What the cleanup operations do, on any store: run once per store by its subclasses. */
abstract class CleanupScenarios {
  /**
   * Returns the store under test; collections get unique names.
   *
   * @return the store
   */
  protected abstract VectorStore store();

  /**
   * Tells whether vacuuming the store does something.
   *
   * @return true for PostgreSQL
   */
  protected abstract boolean vacuums();

  protected static String unique(String hint) {
    return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A collection of 10 documents of 3 chunks, embedded. */
  protected String embeddedCollection(String hint) {
    String c = unique(hint);
    Fixture.load(store(), c, 8, 10, 3);
    maintenance(store(), new HashingEmbedder(8), ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder(c).build());
    return c;
  }

  /**
   * The model a collection switches to: above 4000 dimensions, so that PostgreSQL activates the set
   * without building an ANN index ({@code CREATE INDEX CONCURRENTLY} waits for every older
   * transaction in the database, and these tests need no index).
   */
  protected static RenamedEmbedder nextModel() {
    return new RenamedEmbedder(new HashingEmbedder(4001), "next");
  }

  @Test
  void cleanupDeletedPurgesSoftDeletedDocumentsInBatchesAndADryRunCountsTheSame() {
    VectorStore store = store();
    String c = embeddedCollection("purge");
    for (int i = 0; i < 5; i++) {
      assertThat(store.softDelete(c, "doc-" + i)).isTrue();
    }
    RecordingReporter progress = new RecordingReporter();
    Maintenance m = maintenance(store, null, progress);
    DeletedCleanupOptions.Builder opts = DeletedCleanupOptions.builder().collection(c).batchSize(2);

    DeletedCleanupResult young = m.cleanupDeleted(opts.olderThan(Duration.ofHours(1)).build());
    assertThat(young.total()).isEqualTo(PurgeResult.NONE);
    DeletedCleanupResult dry = m.cleanupDeleted(opts.olderThan(null).dryRun(true).build());
    assertThat(dry.total()).isEqualTo(new PurgeResult(5, 15, 15));
    assertThat(store.findDocument(c, "doc-0")).isPresent();

    DeletedCleanupResult r = m.cleanupDeleted(opts.dryRun(false).build());

    assertThat(r.total()).isEqualTo(dry.total());
    assertThat(r.collections())
        .singleElement()
        .satisfies(p -> assertThat(p.batches()).isEqualTo(3));
    assertThat(store.findDocument(c, "doc-0")).isEmpty();
    assertThat(store.findDocument(c, "doc-5")).isPresent();
    assertThat(store.stats(c).chunks()).isEqualTo(15);
    assertThat(r.summary()).contains("5 documents, 15 chunks, 15 vectors removed in 3 batches");
    assertThat(r.fields()).containsEntry("documents", 5L).containsKey("vacuum");
    if (vacuums()) {
      assertThat(r.vacuum()).isNotEmpty();
    }
    assertThat(progress.calls()).isNotEmpty();
    assertThat(m.cleanupDeleted(opts.build()).total()).isEqualTo(PurgeResult.NONE);
  }

  @Test
  void deleteSourceRemovesTheSourcesDocumentsAndChunksAndADryRunCountsTheSame() {
    VectorStore store = store();
    String c = embeddedCollection("source");
    store.softDelete(c, "doc-2");
    Maintenance m = maintenance(store, null, ProgressReporter.SILENT);

    SourceDeleteResult dry = m.deleteSource(c, "src-2", true);
    SourceDeleteResult r = m.deleteSource(c, "src-2");

    assertThat(dry.documents()).isEqualTo(3); // doc-2, doc-5, doc-8, one soft-deleted
    assertThat(dry.chunks()).isEqualTo(9);
    assertThat(r.documents()).isEqualTo(dry.documents());
    assertThat(r.chunks()).isEqualTo(dry.chunks());
    assertThat(r.summary()).isEqualTo(r.toString()).contains("3 documents, 9 chunks removed");
    assertThat(store.findDocument(c, "doc-5")).isEmpty();
    assertThat(m.deleteSource(c, "src-2").documents()).isZero();
    assertThatThrownBy(() -> m.deleteSource(unique("nope"), "src-2"))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  /** A cancellation check that says stop from its {@code asks + 1}-th question on. */
  protected static BooleanSupplier cancelledAfter(int asks) {
    AtomicInteger asked = new AtomicInteger();
    return () -> asked.incrementAndGet() > asks;
  }

  @Test
  void aCleanupCancelledBetweenBatchesKeepsWhatItCommittedLeavesTheRestWholeAndARerunFinishes() {
    VectorStore store = store();
    String c = embeddedCollection("cancel-purge");
    for (int i = 0; i < 7; i++) {
      assertThat(store.softDelete(c, "doc-" + i)).isTrue();
    }
    // Ctrl-C while the second batch is being reported: the run stops before the third.
    AtomicBoolean stop = new AtomicBoolean();
    RecordingReporter progress =
        new RecordingReporter(
            call -> {
              if (call.method().equals("progressed") && call.event().current() == 4) {
                stop.set(true);
              }
            });
    Maintenance m = maintenance(store, null, progress);
    DeletedCleanupOptions.Builder opts = DeletedCleanupOptions.builder().collection(c).batchSize(2);

    DeletedCleanupResult r = m.cleanupDeleted(opts.cancellation(stop::get).build());

    assertThat(r.cancelled()).isTrue();
    assertThat(r.total()).as("two committed batches").isEqualTo(new PurgeResult(4, 12, 12));
    assertThat(r.collections())
        .singleElement()
        .satisfies(p -> assertThat(p.batches()).isEqualTo(2));
    assertThat(r.vacuum()).as("a cancelled run leaves the vacuum to the next").isEmpty();
    assertThat(r.summary())
        .contains("4 documents, 12 chunks, 12 vectors removed in 2 batches")
        .contains(
            "cancelled at a batch boundary (the rest and the vacuum are left to the next run)");
    assertThat(r.fields()).containsEntry("cancelled", true);
    assertThat(progress.events("progressed", "cleanup-deleted"))
        .as("progress per batch")
        .extracting(ProgressEvent::current, ProgressEvent::message)
        .containsExactly(
            tuple(2L, c + ": batch 1 (2 so far)"), tuple(4L, c + ": batch 2 (4 so far)"));
    // The three documents left are whole: every chunk and vector still there.
    assertThat(store.countDeleted(c, null)).isEqualTo(new PurgeResult(3, 9, 9));
    assertThat(store.countOrphans().values()).containsOnly(0L);
    assertThat(store.stats(c).chunks()).as("the live documents' chunks").isEqualTo(9);

    DeletedCleanupResult rest = m.cleanupDeleted(opts.cancellation(() -> false).build());

    assertThat(rest.cancelled()).isFalse();
    assertThat(rest.total()).isEqualTo(new PurgeResult(3, 9, 9));
    assertThat(store.countDeleted(c, null)).isEqualTo(PurgeResult.NONE);
    assertThat(store.stats(c).chunks()).isEqualTo(9);
  }

  @Test
  void aCleanupCancelledBeforeItsFirstBatchRemovesNothing() {
    VectorStore store = store();
    String c = embeddedCollection("cancel-first");
    store.softDelete(c, "doc-1");
    Maintenance m = maintenance(store, null, ProgressReporter.SILENT);

    DeletedCleanupResult r =
        m.cleanupDeleted(
            DeletedCleanupOptions.builder().collection(c).cancellation(() -> true).build());
    DeletedCleanupResult dry =
        m.cleanupDeleted(
            DeletedCleanupOptions.builder()
                .collection(c)
                .dryRun(true)
                .cancellation(() -> true)
                .build());

    assertThat(r.cancelled()).isTrue();
    assertThat(r.total()).isEqualTo(PurgeResult.NONE);
    assertThat(dry.cancelled()).as("a dry run does not ask").isFalse();
    assertThat(dry.total().documents()).isEqualTo(1);
    assertThat(store.countDeleted(c, null).documents()).isEqualTo(1);
  }

  @Test
  void deleteSourceWorksInBatchesAndACancelledRunLeavesWholeDocumentsThatARerunRemoves() {
    VectorStore store = store();
    String c = unique("cancel-source");
    Fixture.load(store, c, 8, 30, 3); // src-0: doc-0, doc-3, ..., doc-27: 10 documents
    maintenance(store, new HashingEmbedder(8), ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder(c).build());
    store.softDelete(c, "doc-3");
    List<String> byId =
        store
            .listDocuments(
                new DocumentQuery(
                    c, SearchFilter.builder().sourceId("src-0").includeDeleted().build(), 0, 100))
            .items()
            .stream()
            .map(Document::key)
            .toList();
    assertThat(byId).hasSize(10);
    RecordingReporter progress = new RecordingReporter();
    Maintenance m = maintenance(store, null, progress);
    SourceDeleteOptions.Builder opts = SourceDeleteOptions.builder(c, "src-0").batchSize(3);

    SourceDeleteResult r = m.deleteSource(opts.cancellation(cancelledAfter(2)).build());

    assertThat(r.cancelled()).isTrue();
    assertThat(r.batches()).isEqualTo(2);
    assertThat(r.documents()).isEqualTo(6);
    assertThat(r.chunks()).isEqualTo(18);
    assertThat(r.summary())
        .isEqualTo(r.toString())
        .contains(
            "6 documents, 18 chunks removed in 2 batches; cancelled at a batch boundary (the rest is left"
                + " to the next run)");
    assertThat(r.fields()).containsEntry("cancelled", true).containsEntry("batches", 2);
    assertThat(progress.events("progressed", "delete-source")).hasSize(2);
    // The lowest ids went first; the four documents left are whole, with every vector.
    List<String> left =
        store
            .listDocuments(
                new DocumentQuery(
                    c, SearchFilter.builder().sourceId("src-0").includeDeleted().build(), 0, 100))
            .items()
            .stream()
            .map(Document::key)
            .toList();
    assertThat(left).containsExactlyElementsOf(byId.subList(6, 10));
    for (String k : left) {
      assertThat(store.chunks(c, k))
          .hasSize(3)
          .allSatisfy(ch -> assertThat(ch.embedding()).isNotNull());
    }
    assertThat(store.countOrphans().values()).containsOnly(0L);
    assertThat(m.deleteSource(c, "src-0", true).documents()).isEqualTo(4);

    SourceDeleteResult rest = m.deleteSource(opts.cancellation(() -> false).build());

    assertThat(rest.cancelled()).isFalse();
    assertThat(rest.documents()).isEqualTo(4);
    assertThat(rest.batches()).isEqualTo(2);
    assertThat(m.deleteSource(c, "src-0").documents()).isZero();
    assertThat(store.stats(c).chunks()).isEqualTo(20 * 3);
  }

  @Test
  void sourceDeleteOptionsNameTheFieldTheyReject() {
    assertThatThrownBy(() -> SourceDeleteOptions.builder("docs", "s").batchSize(0).build())
        .hasMessage("deleteSource.batchSize must be between 1 and 10000 (was 0)");
    assertThatThrownBy(() -> SourceDeleteOptions.builder("docs", " ").build())
        .hasMessageContaining("deleteSource.sourceId must not be blank");
    assertThatThrownBy(() -> SourceDeleteOptions.builder(null, "s").build())
        .hasMessage("deleteSource.collection is required (was null)");
    assertThatThrownBy(() -> SourceDeleteOptions.builder("docs", "s").cancellation(null).build())
        .hasMessage("deleteSource.cancellation must not be null");
    SourceDeleteOptions o = SourceDeleteOptions.builder("docs", "s").build();
    assertThat(o.batchSize()).isEqualTo(SourceDeleteOptions.DEFAULT_BATCH_SIZE);
    assertThat(o.dryRun()).isFalse();
    assertThat(o.cancellation().getAsBoolean()).isFalse();
  }

  @Test
  void retiredSetsAreKeptForRollbackUnlessDroppingThemIsAsked() {
    VectorStore store = store();
    String c = embeddedCollection("retired");
    Maintenance m = maintenance(store, null, ProgressReporter.SILENT);
    m.switchModel(c, new RenamedEmbedder(new HashingEmbedder(6), "next"), SwitchOptions.defaults());
    EmbeddingSet retired = m.switchStatus(c).retired().get(0);

    OrphanCleanupResult kept = m.cleanupOrphans(false, 100);

    assertThat(kept.retiredSets())
        .filteredOn(r -> r.set().id() == retired.id())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.vectors()).isEqualTo(30);
              assertThat(r.action()).isEqualTo("kept for rollback");
            });
    assertThat(store.embeddingSets(c)).extracting(EmbeddingSet::id).contains(retired.id());
    OrphanCleanupResult wouldDrop =
        m.cleanupOrphans(OrphanCleanupOptions.builder().dryRun(true).dropRetiredSets(true).build());
    assertThat(wouldDrop.retiredSets())
        .filteredOn(r -> r.set().id() == retired.id())
        .extracting(RetiredSet::action)
        .containsExactly("would drop");

    OrphanCleanupResult dropped =
        m.cleanupOrphans(OrphanCleanupOptions.builder().dropRetiredSets(true).build());

    assertThat(dropped.retiredSets())
        .filteredOn(r -> r.set().id() == retired.id())
        .extracting(RetiredSet::action)
        .containsExactly("dropped");
    assertThat(store.embeddingSets(c)).extracting(EmbeddingSet::id).doesNotContain(retired.id());
  }

  @Test
  void aHealthyStoreHasNoOrphansAndTheCleanupRemovesNothingAndVacuumsNothing() {
    String c = embeddedCollection("healthy");
    Maintenance m = maintenance(store(), null, ProgressReporter.SILENT);

    OrphanCleanupResult dry = m.cleanupOrphans(true, 10);
    OrphanCleanupResult r = m.cleanupOrphans(false, 10);

    assertThat(dry.found()).isZero();
    assertThat(r.found()).isZero();
    assertThat(r.removed()).isZero();
    assertThat(r.orphans()).extracting(OrphanCount::kind).containsExactly(OrphanKind.values());
    assertThat(r.vacuum()).isEmpty();
    assertThat(store().stats(c).chunks()).isEqualTo(30);
  }

  @Test
  void aCleanupIsRefusedWhileAnotherOperationHoldsTheCollectionAndZeroWorkIsNotRefused() {
    VectorStore store = store();
    String c = embeddedCollection("refused");
    store.softDelete(c, "doc-1");
    Maintenance m = maintenance(store, null, ProgressReporter.SILENT);
    try (MaintenanceLock held = store.lockForMaintenance(c, "switch " + c + " to other")) {
      assertThat(held.isHeld()).isTrue();
      assertThatThrownBy(
              () -> m.cleanupDeleted(DeletedCleanupOptions.builder().collection(c).build()))
          .isInstanceOfSatisfying(
              PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
          .hasMessageContaining("Cannot start 'cleanup-deleted'")
          .hasMessageContaining("is busy with 'switch " + c + " to other'");
      assertThatThrownBy(() -> m.deleteSource(c, "src-1"))
          .hasMessageContaining("is busy with 'switch " + c + " to other'");
      assertThatThrownBy(() -> m.activate(c, true))
          .hasMessageContaining("Cannot start 'activate " + c + "'");
      // Nothing to remove: nothing to lock.
      assertThat(m.cleanupOrphans(false, 10).removed()).isZero();
      assertThat(
              m.cleanupDeleted(
                      DeletedCleanupOptions.builder()
                          .collection(c)
                          .olderThan(Duration.ofDays(1))
                          .build())
                  .total())
          .isEqualTo(PurgeResult.NONE);
    }
    assertThat(
            m.cleanupDeleted(DeletedCleanupOptions.builder().collection(c).build())
                .total()
                .documents())
        .isEqualTo(1);
  }

  @Test
  void anEmptyCollectionGivesZeroResults() {
    String c = unique("nothing");
    Fixture.load(store(), c, 8, 0, 0);
    Maintenance m = maintenance(store(), new HashingEmbedder(8), ProgressReporter.SILENT);

    assertThat(m.cleanupDeleted(DeletedCleanupOptions.builder().collection(c).build()).total())
        .isEqualTo(PurgeResult.NONE);
    assertThat(m.deleteSource(c, "src-0").documents()).isZero();
    assertThat(m.reembed(ReembedOptions.builder(c).build()).total()).isZero();
  }
}
