package dev.portfolio.maintenance.domains;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.Fixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-domain migration on the in-memory store. */
class DomainMigrationTest extends DomainScenarios {
  private final VectorStore store = new InMemoryVectorStore();

  @Override
  protected VectorStore store() {
    return store;
  }

  /** The in-memory store, claiming no capability: metadata filters are unsupported. */
  private static VectorStore withoutFilters(VectorStore inner) {
    return (VectorStore)
        Proxy.newProxyInstance(
            VectorStore.class.getClassLoader(),
            new Class<?>[] {VectorStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("capabilities")) {
                return Set.of();
              }
              if (method.getName().equals("supports")) {
                return false;
              }
              try {
                return method.invoke(inner, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aStoreWithoutFiltersFailsTheFilteredTypesCollectionsBeforeCreatingThem() {
    VectorStore plain = withoutFilters(new InMemoryVectorStore());
    Maintenance m = Fixture.maintenance(plain, null, ProgressReporter.SILENT);
    DomainPlan plan = filteredPlan();
    assertThat(plain.supports(StoreCapability.METADATA_FILTERS)).isFalse();

    DomainMigrationResult r = m.migrateDomains(plan, DomainMigrationOptions.defaults());

    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.created()).as("the type without filters").isEqualTo(1);
    DomainRow failed = r.failures().get(0);
    assertThat(failed.collection().type().name()).isEqualTo("docs");
    assertThat(failed.created()).isFalse();
    assertThat(failed.reason())
        .startsWith("type docs declares filters [lang, product], but this store (")
        .endsWith(
            ") keeps no metadata filters; nothing was changed. Remove \"filters\" from the plan or"
                + " use the pgvector or in-memory store.");
    assertThat(plain.findCollection(failed.collection().name())).as("not created").isEmpty();
    assertThat(m.verifyDomains(plan).isOk()).isFalse();
  }
}
