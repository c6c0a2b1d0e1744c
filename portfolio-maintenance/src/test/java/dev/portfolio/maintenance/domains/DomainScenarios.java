package dev.portfolio.maintenance.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.Corpus;
import dev.portfolio.maintenance.testing.Fixture;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the per-domain migration does, on any store: run once per store by its subclasses. */
abstract class DomainScenarios {
  /**
   * Returns the store under test; each test's plan names its collections with a unique prefix.
   *
   * @return the store
   */
  protected abstract VectorStore store();

  protected Maintenance maintenance() {
    return Fixture.maintenance(store(), null, ProgressReporter.SILENT);
  }

  /** Two sources of three types: six collections, all under a prefix of the test's own. */
  protected static DomainPlan plan() {
    String prefix = "d" + UUID.randomUUID().toString().substring(0, 8);
    return DomainPlan.builder()
        .pattern(prefix + "_{sanitized_source_title}_{type}")
        .source("wiki-eng", "Engineering Wiki")
        .source("wiki-fr", "Équipe Produit — Paris")
        .type(DomainType.of("docs", "hashing:hashing-v1", 8))
        .type(new DomainType("code", "hashing:code-v1", 16, Distance.INNER_PRODUCT))
        .type(new DomainType("imgs", "hashing:imgs-v1", 4, Distance.L2))
        .build();
  }

  @Test
  void aMigrationCreatesEveryMissingCollectionAndASecondRunFindsThemAllExisting() {
    DomainPlan plan = plan();
    Maintenance m = maintenance();

    DomainMigrationResult first = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThat(first.created()).isEqualTo(6);
    assertThat(first.alreadyExisted()).isZero();
    assertThat(first.failed()).isZero();
    assertThat(first.isSuccess()).isTrue();
    assertThat(first.createdCollections())
        .containsExactlyElementsOf(
            plan.collections().stream().map(DomainCollection::name).toList());
    assertThat(first.createdCollections().get(3)).endsWith("_equipe_produit_paris_docs");
    for (DomainCollection c : plan.collections()) {
      CollectionInfo info = store().findCollection(c.name()).orElseThrow();
      assertThat(info.spec()).isEqualTo(c.spec());
      assertThat(store().embeddingSets(c.name()))
          .singleElement()
          .satisfies(s -> assertThat(s.state()).isEqualTo(SetState.ACTIVE));
    }

    DomainMigrationResult second = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThat(second.created()).isZero();
    assertThat(second.alreadyExisted()).isEqualTo(6);
    assertThat(second.createdCollections()).isEmpty();
    assertThat(second.summary())
        .startsWith("migrate-domains: 6 expected, 0 created, 6 already existed, 0 failed in ");
    assertThat(m.verifyDomains(plan).isOk()).isTrue();
  }

  @Test
  void aDryRunReportsWhatWouldBeCreatedAndChangesNothing() {
    DomainPlan plan = plan();
    Maintenance m = maintenance();
    CollectionSpec first = plan.collections().get(0).spec();
    store().createCollection(first);
    int before = store().listCollections().size();

    DomainMigrationResult dry =
        m.migrateDomains(plan, DomainMigrationOptions.builder().dryRun(true).build());

    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.wouldCreate()).isEqualTo(5);
    assertThat(dry.alreadyExisted()).isEqualTo(1);
    assertThat(dry.created()).isZero();
    assertThat(dry.rows().get(0).outcome()).isEqualTo(DomainOutcome.ALREADY_EXISTED);
    assertThat(dry.rows().get(1).outcome()).isEqualTo(DomainOutcome.WOULD_CREATE);
    assertThat(dry.summary())
        .contains("[dry run]: 6 expected, 5 to create")
        .contains("nothing was changed");
    assertThat(store().listCollections()).hasSize(before);
    assertThat(m.verifyDomains(plan).count(DomainCheck.Status.MISSING)).isEqualTo(5);
  }

  @Test
  void aCollectionThatExistsWithAnotherModelIsAFailureAndLeftUnchanged() {
    DomainPlan plan = plan();
    Maintenance m = maintenance();
    DomainCollection code = plan.collection("wiki-eng", "code");
    CollectionSpec other = new CollectionSpec(code.name(), "hashing:other-v2", 32, Distance.COSINE);
    store().createCollection(other);

    DomainMigrationResult r = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThat(r.created()).isEqualTo(5);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.isSuccess()).isFalse();
    DomainRow failed = r.failures().get(0);
    assertThat(failed.collection().name()).isEqualTo(code.name());
    assertThat(failed.found()).isEqualTo(other);
    assertThat(failed.reason())
        .isEqualTo(
            "exists with model hashing:other-v2 (plan: hashing:code-v1), 32 dimensions (plan: 16),"
                + " cosine distance (plan: inner_product); it was left unchanged (switch its model"
                + " or drop it by hand)");
    assertThat(store().findCollection(code.name()).orElseThrow().spec()).isEqualTo(other);

    DomainVerification v = m.verifyDomains(plan);
    assertThat(v.isOk()).isFalse();
    assertThat(v.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.status()).isEqualTo(DomainCheck.Status.MISMATCH);
              assertThat(p.collection().name()).isEqualTo(code.name());
              assertThat(p.found()).isEqualTo(other);
            });
    assertThat(v.summary()).isEqualTo("verify-domains: 6 expected, 5 ok, 0 missing, 1 mismatched");
  }

  @Test
  void verifyFindsMissingCollections() {
    DomainPlan plan = plan();
    Maintenance m = maintenance();
    m.migrateDomains(plan, DomainMigrationOptions.defaults());
    String gone = plan.collections().get(4).name();
    store().dropCollection(gone);

    DomainVerification v = m.verifyDomains(plan);

    assertThat(v.isOk()).isFalse();
    assertThat(v.problems()).extracting(p -> p.collection().name()).containsExactly(gone);
    assertThat(v.problems().get(0).status()).isEqualTo(DomainCheck.Status.MISSING);
    assertThat(v.fields()).containsEntry("ok", false).containsEntry("missing", 1);
  }

  @Test
  void aRollbackOfARunDropsExactlyWhatItCreatedAndKeepsCollectionsWithData() {
    DomainPlan plan = plan();
    Maintenance m = maintenance();
    DomainCollection existing = plan.collection("wiki-fr", "docs");
    store().createCollection(existing.spec());
    store().upsert(existing.name(), Corpus.documents("doc-", 2, 1));
    DomainMigrationResult run = m.migrateDomains(plan, DomainMigrationOptions.defaults());
    assertThat(run.created()).isEqualTo(5);
    // Documents reach one of the new collections after the run.
    DomainCollection used = plan.collection("wiki-eng", "docs");
    store().upsert(used.name(), Corpus.documents("doc-", 1, 1));

    DomainRollbackOptions undo =
        DomainRollbackOptions.builder().only(run.createdCollections()).build();
    DomainRollbackResult dry =
        m.rollbackDomains(
            plan,
            DomainRollbackOptions.builder().dryRun(true).only(run.createdCollections()).build());
    assertThat(dry.count(DomainDrop.Outcome.WOULD_DROP)).isEqualTo(4);
    assertThat(store().findCollection(plan.collection("wiki-eng", "code").name())).isPresent();

    DomainRollbackResult r = m.rollbackDomains(plan, undo);

    assertThat(r.dropped()).hasSize(4).doesNotContain(used.name(), existing.name());
    assertThat(r.drops()).extracting(d -> d.collection().name()).doesNotContain(existing.name());
    DomainDrop kept =
        r.drops().stream()
            .filter(d -> d.outcome() == DomainDrop.Outcome.KEPT)
            .findFirst()
            .orElseThrow();
    assertThat(kept.collection().name()).isEqualTo(used.name());
    assertThat(kept.reason()).startsWith("it holds 1 documents;");
    assertThat(r.isSuccess()).isTrue();
    for (String name : r.dropped()) {
      assertThat(store().findCollection(name)).isEmpty();
    }
    assertThat(store().findCollection(existing.name())).isPresent();
    assertThat(store().findCollection(used.name())).isPresent();

    DomainRollbackResult again = m.rollbackDomains(plan, undo);
    assertThat(again.count(DomainDrop.Outcome.ABSENT)).isEqualTo(4);
    assertThat(again.dropped()).isEmpty();
  }

  @Test
  void aRollbackOfARunThatCreatedNothingDropsNothing() {
    DomainPlan plan = plan();
    Maintenance m = maintenance();
    m.migrateDomains(plan, DomainMigrationOptions.defaults());
    DomainMigrationResult second = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    DomainRollbackResult r =
        m.rollbackDomains(
            plan, DomainRollbackOptions.builder().only(second.createdCollections()).build());

    assertThat(r.drops()).isEmpty();
    assertThat(m.verifyDomains(plan).isOk()).isTrue();
  }

  @Test
  void aRollbackWithoutALimitDropsEveryEmptyCollectionOfThePlanAndNeverAForeignOne() {
    DomainPlan plan = plan();
    Maintenance m = maintenance();
    DomainCollection mismatched = plan.collection("wiki-eng", "imgs");
    store().createCollection(CollectionSpec.of(mismatched.name(), "hashing:hashing-v1", 4));
    m.migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThatThrownBy(
            () ->
                m.rollbackDomains(
                    plan, DomainRollbackOptions.builder().only(List.of("not-in-the-plan")).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[not-in-the-plan]");

    DomainRollbackResult r = m.rollbackDomains(plan, DomainRollbackOptions.defaults());

    assertThat(r.count(DomainDrop.Outcome.DROPPED)).isEqualTo(5);
    assertThat(r.count(DomainDrop.Outcome.KEPT)).isEqualTo(1);
    assertThat(store().findCollection(mismatched.name())).isPresent();
    assertThat(m.verifyDomains(plan).count(DomainCheck.Status.MISSING)).isEqualTo(5);
  }

  /** One source, two types: docs filtered on lang and product, code without filters. */
  protected static DomainPlan filteredPlan() {
    String prefix = "f" + UUID.randomUUID().toString().substring(0, 8);
    return DomainPlan.builder()
        .pattern(prefix + "_{sanitized_source_title}_{type}")
        .source("wiki-eng", "Engineering Wiki")
        .type(DomainType.of("docs", "hashing:hashing-v1", 8).withFilters("product", "lang"))
        .type(DomainType.of("code", "hashing:code-v1", 16))
        .build();
  }

  @Test
  void aMigrationDeclaresEachTypesFiltersAndASecondRunFindsThemInPlace() {
    DomainPlan plan = filteredPlan();
    Maintenance m = maintenance();
    DomainCollection docs = plan.collection("wiki-eng", "docs");
    DomainCollection code = plan.collection("wiki-eng", "code");

    DomainMigrationResult first = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThat(first.created()).isEqualTo(2);
    assertThat(first.summary())
        .contains(" 2 created, 0 already existed, 0 filters added, 0 failed");
    DomainRow docsRow = first.rows().get(0);
    assertThat(docsRow.outcome()).isEqualTo(DomainOutcome.CREATED);
    assertThat(docsRow.filtersAdded()).containsExactly("lang", "product");
    assertThat(docsRow.filters().isUsable()).isTrue();
    assertThat(docsRow.fields())
        .containsEntry("filters", List.of("lang", "product"))
        .containsEntry("filtersAdded", List.of("lang", "product"))
        .containsEntry("created", true);
    assertThat(first.rows().get(1).filtersAdded()).isEmpty();
    assertThat(first.rows().get(1).fields()).containsEntry("filterIndex", null);
    assertThat(store().filters(docs.name()).keys()).containsExactly("lang", "product");
    assertThat(store().filters(code.name()).keys()).isEmpty();

    DomainMigrationResult second = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThat(second.alreadyExisted()).isEqualTo(2);
    assertThat(second.filtersAdded()).isZero();
    assertThat(second.createdCollections()).isEmpty();
    DomainVerification v = m.verifyDomains(plan);
    assertThat(v.isOk()).isTrue();
    assertThat(v.summary())
        .isEqualTo(
            "verify-domains: 2 expected, 2 ok, 0 missing, 0 mismatched, 0 filters incomplete");
    assertThat(v.checks().get(0).fields())
        .containsEntry("foundFilters", List.of("lang", "product"));
  }

  @Test
  void anExistingCollectionGetsOnlyItsMissingFiltersAndADryRunWritesNothing() {
    DomainPlan plan = filteredPlan();
    Maintenance m = maintenance();
    DomainCollection docs = plan.collection("wiki-eng", "docs");
    store().createCollection(docs.spec());
    store().defineFilters(docs.name(), java.util.Set.of("lang"));

    DomainMigrationResult dry =
        m.migrateDomains(plan, DomainMigrationOptions.builder().dryRun(true).build());

    assertThat(dry.rows().get(0).outcome()).isEqualTo(DomainOutcome.WOULD_ADD_FILTERS);
    assertThat(dry.rows().get(0).filtersAdded()).containsExactly("product");
    assertThat(dry.rows().get(0).reason()).isEqualTo("would add filters [product]");
    assertThat(dry.rows().get(1).outcome()).isEqualTo(DomainOutcome.WOULD_CREATE);
    assertThat(dry.wouldAddFilters()).isEqualTo(1);
    assertThat(dry.summary())
        .startsWith(
            "migrate-domains [dry run]: 2 expected, 1 to create, 0 already existed, 1 filters to"
                + " add, 0 failed; nothing was changed");
    assertThat(store().filters(docs.name()).keys()).as("nothing written").containsExactly("lang");
    assertThat(store().findCollection(plan.collection("wiki-eng", "code").name())).isEmpty();
    DomainVerification before = m.verifyDomains(plan);
    assertThat(before.isOk()).isFalse();
    assertThat(before.checks().get(0).status()).isEqualTo(DomainCheck.Status.FILTERS_INCOMPLETE);
    assertThat(before.checks().get(0).reason())
        .isEqualTo("filters [product] are not declared (filtered searches scan the collection)");
    assertThat(before.fields()).containsEntry("filtersIncomplete", 1);

    DomainMigrationResult run = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    DomainRow row = run.rows().get(0);
    assertThat(row.outcome()).isEqualTo(DomainOutcome.FILTERS_ADDED);
    assertThat(row.filtersAdded()).containsExactly("product");
    assertThat(row.reason()).startsWith("added filters [product]");
    assertThat(row.created()).isFalse();
    assertThat(run.filtersAdded()).isEqualTo(1);
    assertThat(run.created()).isEqualTo(1);
    assertThat(run.isSuccess()).isTrue();
    assertThat(run.createdCollections())
        .containsExactly(plan.collection("wiki-eng", "code").name());
    assertThat(run.summary()).contains("1 created, 0 already existed, 1 filters added, 0 failed");
    assertThat(store().filters(docs.name()).keys()).containsExactly("lang", "product");
    assertThat(m.verifyDomains(plan).isOk()).isTrue();
    assertThat(m.migrateDomains(plan, DomainMigrationOptions.defaults()).alreadyExisted())
        .isEqualTo(2);
  }

  @Test
  void aRollbackDropsTheCollectionsItCreatedWithTheirFiltersAndKeepsThoseOfOlderOnes() {
    DomainPlan plan = filteredPlan();
    Maintenance m = maintenance();
    DomainMigrationResult run = m.migrateDomains(plan, DomainMigrationOptions.defaults());
    DomainCollection docs = plan.collection("wiki-eng", "docs");

    DomainRollbackResult r =
        m.rollbackDomains(
            plan, DomainRollbackOptions.builder().only(run.createdCollections()).build());

    assertThat(r.dropped()).hasSize(2);
    store().createCollection(docs.spec());
    assertThat(store().filters(docs.name()).keys()).as("the filters went with it").isEmpty();
    DomainMigrationResult added = m.migrateDomains(plan, DomainMigrationOptions.defaults());
    assertThat(added.rows().get(0).outcome()).isEqualTo(DomainOutcome.FILTERS_ADDED);
    assertThat(
            m.rollbackDomains(
                    plan, DomainRollbackOptions.builder().only(added.createdCollections()).build())
                .dropped())
        .containsExactly(plan.collection("wiki-eng", "code").name());
    assertThat(store().filters(docs.name()).keys()).containsExactly("lang", "product");
  }
}
