package dev.portfolio.maintenance.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.BackupFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups on PostgreSQL: a round trip into another schema (another store) and into the in-memory
 * store, bit-exact; a replace that fails midway leaves the previous collection intact.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupIT {
  @TempDir Path dir;

  private HikariDataSource pool;
  private PgVectorStore store;
  private PgVectorStore other;
  private String otherSchema;
  private TestSchema db;

  @BeforeAll
  void open(TestSchema schema) throws SQLException {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
    otherSchema = db.name() + "_restore";
    PortfolioSchema.install(db.dataSource(), SchemaOptions.forSchema(otherSchema));
    other = PgVectorStore.builder(pool).schema(otherSchema).build();
  }

  @AfterAll
  void close() throws SQLException {
    store.close();
    other.close();
    pool.close();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + otherSchema + "\" CASCADE");
    }
  }

  private static Maintenance maintenance(VectorStore s) {
    return Maintenance.builder().store(s).progress(ProgressReporter.SILENT).build();
  }

  @Test
  void roundTripIntoAnotherSchemaAndIntoMemoryIsBitExact() {
    BackupFixture.populate(store, "docs", 700);
    List<String> original = BackupFixture.picture(store, "docs");
    assertThat(original).hasSize(700 + 1 + 2100 + 1 + 2100);

    BackupResult backup =
        maintenance(store).backup(dir, BackupOptions.of("docs").withBuildingSets());
    assertThat(backup.chunks()).isEqualTo(2100);
    assertThat(maintenance(store).verifyBackup(backup.archive()).valid()).isTrue();

    maintenance(other).restore(backup.archive(), RestoreOptions.intoEmpty());
    assertThat(BackupFixture.picture(other, "docs")).isEqualTo(original);
    assertThat(
            other.search(
                dev.portfolio.core.model.VectorQuery.of("docs", TestStores.vector(1, 6), 3)))
        .as("the restored collection answers searches")
        .hasSize(3);

    VectorStore memory = new InMemoryVectorStore();
    maintenance(memory).restore(backup.archive(), RestoreOptions.intoEmpty());
    assertThat(BackupFixture.picture(memory, "docs")).isEqualTo(original);

    BackupResult fromMemory =
        maintenance(memory).backup(dir, BackupOptions.all().withBuildingSets());
    maintenance(store)
        .restore(fromMemory.archive(), RestoreOptions.intoEmpty().renamed("docs", "docs-copy"));
    assertThat(BackupFixture.picture(store, "docs-copy")).isEqualTo(original);
  }

  @Test
  void aReplaceThatFailsMidwayLeavesThePreviousCollectionAndNoStagingCopy() {
    BackupFixture.populate(store, "live", 900);
    BackupResult backup = maintenance(store).backup(dir, BackupOptions.of("live"));
    store.dropCollection("live");
    BackupFixture.populate(store, "live", 12);
    List<String> before = BackupFixture.picture(store, "live");
    VectorStore failing = BackupRestoreTest.failingOnUpsert(store, 3);

    assertThatThrownBy(
            () ->
                maintenance(failing)
                    .restore(backup.archive(), RestoreOptions.replace().safetyBackupsIn(dir)))
        .hasMessageContaining("'live' is unchanged");

    assertThat(BackupFixture.picture(store, "live")).isEqualTo(before);
    assertThat(store.listCollections())
        .extracting(CollectionInfo::name)
        .noneMatch(n -> n.startsWith("restore-"));

    RestoreResult r =
        maintenance(store).restore(backup.archive(), RestoreOptions.replace().safetyBackupsIn(dir));
    assertThat(r.collections().get(0).documents()).isEqualTo(900);
    assertThat(store.stats("live").chunks()).isPositive();
  }

  @Test
  void aReplaceKeepsTheReplacedCollectionsFiltersWithAnIndexOfItsOwn() throws SQLException {
    BackupFixture.populate(store, "filtered", 30);
    long before = store.findCollection("filtered").orElseThrow().id();
    store.defineFilters("filtered", java.util.Set.of("lang"));
    BackupResult backup = maintenance(store).backup(dir, BackupOptions.of("filtered"));

    maintenance(store).restore(backup.archive(), RestoreOptions.replace().safetyBackupsIn(dir));

    long after = store.findCollection("filtered").orElseThrow().id();
    dev.portfolio.core.model.MetadataFilters filters = store.filters("filtered");
    assertThat(after).isNotEqualTo(before);
    assertThat(filters.keys()).containsExactly("lang");
    assertThat(filters.index())
        .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.VALID);
    assertThat(filters.indexName()).isEqualTo("documents_" + after + "_filters");
    try (Connection c = db.dataSource().getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NULL")) {
      ps.setString(1, "\"" + db.name() + "\".documents_" + before + "_filters");
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("the replaced collection's index is dropped").isTrue();
      }
    }
  }

  @Test
  void theArchiveCarriesFiltersToAnotherDatabaseAndToMemory() {
    BackupFixture.populate(store, "carried", 20);
    store.defineFilters("carried", java.util.Set.of("lang", "team"));
    BackupResult backup = maintenance(store).backup(dir, BackupOptions.of("carried"));
    assertThat(backup.collections().get(0).filters()).containsExactly("lang", "team");
    assertThat(maintenance(store).verifyBackup(backup.archive()).collections().get(0).filters())
        .containsExactly("lang", "team");

    maintenance(other)
        .restore(backup.archive(), RestoreOptions.intoEmpty().renamed("carried", "carried-dr"));
    dev.portfolio.core.model.MetadataFilters restored = other.filters("carried-dr");
    assertThat(restored.keys()).containsExactly("lang", "team");
    assertThat(restored.index())
        .isEqualTo(dev.portfolio.core.model.MetadataFilters.IndexState.VALID);

    VectorStore memory = new InMemoryVectorStore();
    maintenance(memory).restore(backup.archive(), RestoreOptions.intoEmpty());
    assertThat(memory.filters("carried").keys()).containsExactly("lang", "team");
  }
}
