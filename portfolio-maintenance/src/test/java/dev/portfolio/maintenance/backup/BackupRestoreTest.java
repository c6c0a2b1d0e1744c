package dev.portfolio.maintenance.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.testing.BackupFixture;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup, verify, restore and retention on the in-memory store. */
class BackupRestoreTest {
  @TempDir Path dir;

  private static Maintenance maintenance(VectorStore store) {
    return Maintenance.builder().store(store).progress(ProgressReporter.SILENT).build();
  }

  @Test
  void roundTripKeepsEveryDocumentChunkAndVectorBitExact() {
    VectorStore source = new InMemoryVectorStore();
    BackupFixture.populate(source, "docs", 120);
    BackupFixture.populate(source, "other", 10);

    BackupResult backup = maintenance(source).backup(dir, BackupOptions.all().withBuildingSets());

    assertThat(backup.archive().getFileName().toString()).matches("portfolio-backup-.*\\.zip");
    assertThat(backup.collections())
        .extracting(ArchivedCollection::name)
        .containsExactly("docs", "other");
    assertThat(backup.documents()).isEqualTo(130);
    assertThat(backup.chunks()).isEqualTo(390);
    assertThat(backup.sha256()).hasSize(64);
    assertThat(maintenance(source).verifyBackup(backup.archive()).valid()).isTrue();

    VectorStore target = new InMemoryVectorStore();
    RestoreResult restored =
        maintenance(target).restore(backup.archive(), RestoreOptions.intoEmpty());

    assertThat(restored.safetyBackup()).isEmpty();
    assertThat(restored.collections())
        .extracting(ArchivedCollection::name)
        .containsExactly("docs", "other");
    for (String name : List.of("docs", "other")) {
      assertThat(BackupFixture.picture(target, name))
          .isEqualTo(BackupFixture.picture(source, name));
    }
    assertThat(target.listCollections())
        .extracting(CollectionInfo::name)
        .containsExactly("docs", "other");
  }

  @Test
  void activeSetsOnlyByDefaultAndRenamedRestores() {
    VectorStore source = new InMemoryVectorStore();
    BackupFixture.populate(source, "docs", 20);
    BackupResult backup =
        maintenance(source).backup(dir.resolve("b.zip"), BackupOptions.of("docs"));
    assertThat(backup.collections().get(0).sets()).hasSize(1);

    RestoreResult r =
        maintenance(source)
            .restore(backup.archive(), RestoreOptions.intoEmpty().renamed("docs", "copy"));

    assertThat(r.collections()).extracting(ArchivedCollection::name).containsExactly("copy");
    assertThat(source.buildingSet("copy")).isEmpty();
    List<String> original = BackupFixture.picture(source, "docs");
    List<String> copy = BackupFixture.picture(source, "copy");
    int buildingStart =
        original.indexOf(
            original.stream()
                .filter(l -> l.startsWith("set | BUILDING"))
                .findFirst()
                .orElseThrow());
    assertThat(copy).isEqualTo(original.subList(0, buildingStart));
  }

  @Test
  void intoEmptyRefusesExistingCollectionsBeforeWritingAnything() {
    VectorStore store = new InMemoryVectorStore();
    BackupFixture.populate(store, "docs", 10);
    BackupResult backup = maintenance(store).backup(dir, BackupOptions.all());
    List<String> before = BackupFixture.picture(store, "docs");

    assertThatThrownBy(
            () -> maintenance(store).restore(backup.archive(), RestoreOptions.intoEmpty()))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
        .hasMessageContaining("[docs] exist; nothing was restored");
    assertThat(BackupFixture.picture(store, "docs")).isEqualTo(before);
    assertThat(store.listCollections()).hasSize(1);
  }

  @Test
  void replaceTakesASafetyBackupFirst() {
    VectorStore store = new InMemoryVectorStore();
    BackupFixture.populate(store, "docs", 30);
    BackupResult backup = maintenance(store).backup(dir, BackupOptions.all().withBuildingSets());
    List<String> archived = BackupFixture.picture(store, "docs");
    store.dropCollection("docs");
    BackupFixture.populate(store, "docs", 5);
    List<String> replaced = BackupFixture.picture(store, "docs");
    Path safetyDir =
        Files.exists(dir.resolve("safety")) ? dir.resolve("safety") : createDir("safety");

    RestoreResult r =
        maintenance(store)
            .restore(backup.archive(), RestoreOptions.replace().safetyBackupsIn(safetyDir));

    assertThat(BackupFixture.picture(store, "docs")).isEqualTo(archived);
    Path safety = r.safetyBackup().orElseThrow();
    assertThat(safety.getFileName().toString()).startsWith("portfolio-safety-");
    assertThat(maintenance(store).verifyBackup(safety).valid()).isTrue();
    VectorStore check = new InMemoryVectorStore();
    maintenance(check).restore(safety, RestoreOptions.intoEmpty());
    assertThat(BackupFixture.picture(check, "docs")).isEqualTo(replaced);
  }

  @Test
  void aFailedRestoreLeavesThePreviousCollectionIntactAndNoStagingCopy() {
    VectorStore store = new InMemoryVectorStore();
    BackupFixture.populate(store, "docs", 450);
    BackupResult backup = maintenance(store).backup(dir, BackupOptions.all());
    store.dropCollection("docs");
    BackupFixture.populate(store, "docs", 7);
    List<String> before = BackupFixture.picture(store, "docs");
    VectorStore failing = failingOnUpsert(store, 2);

    assertThatThrownBy(
            () ->
                maintenance(failing)
                    .restore(backup.archive(), RestoreOptions.replace().safetyBackupsIn(dir)))
        .isInstanceOf(NonRetriableException.class)
        .hasMessageContaining("'docs' is unchanged (the partial copy was dropped)")
        .hasMessageContaining("disk full");

    assertThat(BackupFixture.picture(store, "docs")).isEqualTo(before);
    assertThat(store.listCollections()).extracting(CollectionInfo::name).containsExactly("docs");
  }

  @Test
  void backupNeverOverwritesAndNamesMissingCollections() throws IOException {
    VectorStore store = new InMemoryVectorStore();
    BackupFixture.populate(store, "docs", 3);
    Path existing = Files.writeString(dir.resolve("taken.zip"), "x");

    assertThatThrownBy(() -> maintenance(store).backup(existing, BackupOptions.all()))
        .hasMessageContaining("exists; backups never overwrite a file");
    assertThatThrownBy(() -> maintenance(store).backup(dir, BackupOptions.of("nope")))
        .isInstanceOfSatisfying(
            PortfolioException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("Collection 'nope' does not exist")
        .hasMessageContaining("[docs]");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("taken.zip");
    }
  }

  @Test
  void pruneDeletesOldArchivesButNeverTheNewestNorOtherFiles() throws IOException {
    Instant now = Instant.now();
    Path old1 = archive("portfolio-backup-1.zip", now.minus(Duration.ofDays(40)));
    Path old2 = archive("portfolio-safety-2.zip", now.minus(Duration.ofDays(35)));
    Path recent = archive("portfolio-backup-3.zip", now.minus(Duration.ofDays(2)));
    Path foreign = archive("holiday-photos.zip", now.minus(Duration.ofDays(400)));
    Path link = Files.createSymbolicLink(dir.resolve("portfolio-backup-0.zip"), foreign);

    PruneResult r = maintenance(new InMemoryVectorStore()).pruneBackups(dir, Duration.ofDays(30));

    assertThat(r.deleted()).containsExactlyInAnyOrder(old1, old2);
    assertThat(r.kept()).containsExactly(recent);
    assertThat(foreign).exists();
    assertThat(link).exists();

    Path onlyOne = createDir("single");
    Path ancient = Files.writeString(onlyOne.resolve("portfolio-backup-9.zip"), "x");
    Files.setLastModifiedTime(ancient, FileTime.from(now.minus(Duration.ofDays(900))));
    assertThat(maintenance(new InMemoryVectorStore()).pruneBackups(onlyOne, Duration.ZERO).kept())
        .as("the newest archive is always kept")
        .containsExactly(ancient);
  }

  private Path archive(String name, Instant modified) throws IOException {
    Path p = Files.writeString(dir.resolve(name), "x");
    Files.setLastModifiedTime(p, FileTime.from(modified));
    return p;
  }

  private Path createDir(String name) {
    try {
      return Files.createDirectories(dir.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A store whose upserts fail after a number of calls, like a full disk. */
  static VectorStore failingOnUpsert(VectorStore delegate, int healthy) {
    AtomicInteger upserts = new AtomicInteger();
    return (VectorStore)
        Proxy.newProxyInstance(
            VectorStore.class.getClassLoader(),
            new Class<?>[] {VectorStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("upsert") && upserts.incrementAndGet() > healthy) {
                throw new NonRetriableException(ErrorCode.STORE_FAILURE, "disk full");
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
