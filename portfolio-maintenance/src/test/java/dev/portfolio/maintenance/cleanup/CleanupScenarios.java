package dev.portfolio.maintenance.cleanup;

import static dev.portfolio.maintenance.testing.Fixture.maintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.spi.MaintenanceLock;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Fixture;
import dev.portfolio.maintenance.testing.RecordingReporter;
import dev.portfolio.maintenance.testing.RenamedEmbedder;
import java.time.Duration;
import java.util.UUID;
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
