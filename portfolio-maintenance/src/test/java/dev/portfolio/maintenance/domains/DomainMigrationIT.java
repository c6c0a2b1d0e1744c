package dev.portfolio.maintenance.domains;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-domain migration on PostgreSQL: the shared scenarios, and the ANN index every created
 * collection gets.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainMigrationIT extends DomainScenarios {
  private HikariDataSource pool;
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema db) {
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Override
  protected VectorStore store() {
    return store;
  }

  @Test
  void everyCreatedCollectionHasItsActiveSetsAnnIndex() {
    DomainPlan plan = plan();
    DomainMigrationResult r = maintenance().migrateDomains(plan, DomainMigrationOptions.defaults());
    assertThat(r.created()).isEqualTo(6);

    for (CollectionSnapshot c : store.snapshot(null).collections()) {
      if (r.createdCollections().contains(c.name())) {
        assertThat(c.sets())
            .singleElement()
            .extracting(SetSnapshot::annIndex)
            .isEqualTo(AnnIndexState.VALID);
      }
    }
    assertThat(store.snapshot(null).collections())
        .extracting(CollectionSnapshot::name)
        .containsAll(r.createdCollections());
  }

  @Test
  void verifyCatchesADroppedFilterIndexAndTheNextMigrationRebuildsIt() throws Exception {
    DomainPlan plan = filteredPlan();
    DomainMigrationResult run =
        maintenance().migrateDomains(plan, DomainMigrationOptions.defaults());
    DomainCollection docs = plan.collection("wiki-eng", "docs");
    long id = store.findCollection(docs.name()).orElseThrow().id();
    String index = "documents_" + id + "_filters";
    assertThat(run.rows().get(0).filters().indexName()).isEqualTo(index);
    assertThat(run.rows().get(0).filters().index())
        .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.VALID);
    try (java.sql.Connection c = pool.getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP INDEX \"" + store.schema() + "\"." + index);
    }

    DomainVerification v = maintenance().verifyDomains(plan);

    assertThat(v.isOk()).isFalse();
    assertThat(v.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.status()).isEqualTo(DomainCheck.Status.FILTERS_INCOMPLETE);
              assertThat(p.reason())
                  .isEqualTo(
                      "its filter index "
                          + index
                          + " is missing (filtered searches scan the collection)");
              assertThat(p.fields()).containsEntry("filterIndex", "missing");
            });

    DomainMigrationResult again =
        maintenance().migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThat(again.rows().get(0).outcome()).isEqualTo(DomainOutcome.FILTERS_ADDED);
    assertThat(again.rows().get(0).filtersAdded()).isEmpty();
    assertThat(again.rows().get(0).reason()).isEqualTo("rebuilt its missing filter index " + index);
    assertThat(maintenance().verifyDomains(plan).isOk()).isTrue();
    assertThat(store.filters(docs.name()).index())
        .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.VALID);
  }
}
