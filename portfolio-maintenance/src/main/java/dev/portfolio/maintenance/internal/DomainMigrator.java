package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.LockHolder;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.domains.DomainCheck;
import dev.portfolio.maintenance.domains.DomainCollection;
import dev.portfolio.maintenance.domains.DomainDrop;
import dev.portfolio.maintenance.domains.DomainMigrationOptions;
import dev.portfolio.maintenance.domains.DomainMigrationResult;
import dev.portfolio.maintenance.domains.DomainOutcome;
import dev.portfolio.maintenance.domains.DomainPlan;
import dev.portfolio.maintenance.domains.DomainRollbackOptions;
import dev.portfolio.maintenance.domains.DomainRollbackResult;
import dev.portfolio.maintenance.domains.DomainRow;
import dev.portfolio.maintenance.domains.DomainVerification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link DomainPlan} against a store: creates the missing collections, verifies them, and
 * drops the empty ones on a rollback. Never alters an existing collection, and never drops one that
 * holds documents or is not as the plan describes it.
 */
public final class DomainMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(DomainMigrator.class);

  private final Settings settings;

  /**
   * Creates the runner.
   *
   * @param settings the store and progress reporter
   */
  public DomainMigrator(Settings settings) {
    this.settings = settings;
  }

  /**
   * Creates the plan's missing collections.
   *
   * @param plan the plan
   * @param options the options
   * @return one row per expected collection
   */
  public DomainMigrationResult migrate(DomainPlan plan, DomainMigrationOptions options) {
    VectorStore store = settings.store();
    long started = System.nanoTime();
    List<DomainRow> rows = new ArrayList<>();
    String operation = "migrate-domains" + (options.dryRun() ? " (dry run)" : "");
    try (ProgressTracker progress =
        ProgressTracker.start(settings.progress(), operation, plan.collections().size())) {
      for (DomainCollection c : plan.collections()) {
        rows.add(migrate(store, c, options.dryRun()));
        progress.advance(1, c.name());
      }
      DomainMigrationResult result =
          new DomainMigrationResult(
              options.dryRun(), rows, Duration.ofNanos(System.nanoTime() - started));
      progress.succeed(result.summary());
      return result;
    }
  }

  private static DomainRow migrate(VectorStore store, DomainCollection c, boolean dryRun) {
    CollectionSpec wanted = c.spec();
    Set<String> keys = c.type().filters();
    boolean created = false;
    try {
      if (!keys.isEmpty() && !store.supports(StoreCapability.METADATA_FILTERS)) {
        return new DomainRow(
            c,
            DomainOutcome.FAILED,
            store.findCollection(wanted.name()).map(CollectionInfo::spec).orElse(null),
            "type "
                + c.type().name()
                + " declares filters "
                + keys
                + ", but this store ("
                + store.getClass().getSimpleName()
                + ") keeps no metadata filters; nothing was changed. Remove \"filters\" from the"
                + " plan or use the pgvector or in-memory store.",
            false,
            List.of(),
            null);
      }
      Optional<CollectionInfo> found = store.findCollection(wanted.name());
      if (found.isPresent()) {
        CollectionSpec have = found.get().spec();
        Optional<String> diff = difference(wanted, have);
        if (diff.isPresent()) {
          LOG.info("Collection '{}' {}; left unchanged", wanted.name(), diff.get());
          return new DomainRow(
              c,
              DomainOutcome.FAILED,
              have,
              diff.get() + "; it was left unchanged (switch its model or drop it by hand)");
        }
        if (keys.isEmpty()) {
          return new DomainRow(c, DomainOutcome.ALREADY_EXISTED, have, null);
        }
        MetadataFilters before = store.filters(wanted.name());
        List<String> missing = keys.stream().filter(k -> !before.keys().contains(k)).toList();
        if (missing.isEmpty() && before.isUsable()) {
          return new DomainRow(
              c, DomainOutcome.ALREADY_EXISTED, have, null, false, List.of(), before);
        }
        if (dryRun) {
          return new DomainRow(
              c,
              DomainOutcome.WOULD_ADD_FILTERS,
              have,
              filterChange(missing, before, null),
              false,
              missing,
              before);
        }
        MetadataFilters after = store.defineFilters(wanted.name(), keys);
        LOG.info("Collection '{}': {}", wanted.name(), filterChange(missing, before, after));
        return new DomainRow(
            c,
            DomainOutcome.FILTERS_ADDED,
            have,
            filterChange(missing, before, after),
            false,
            missing,
            after);
      }
      if (dryRun) {
        return new DomainRow(
            c, DomainOutcome.WOULD_CREATE, null, null, false, List.copyOf(keys), null);
      }
      CollectionInfo info = store.createCollection(wanted);
      created = true;
      LOG.info(
          "Created collection '{}' ({}, {} dimensions, {}) for source '{}'",
          info.name(),
          info.model(),
          info.dimension(),
          lower(info.distance()),
          Inputs.printable(c.source().id()));
      if (keys.isEmpty()) {
        return new DomainRow(c, DomainOutcome.CREATED, null, null);
      }
      MetadataFilters filters = store.defineFilters(wanted.name(), keys);
      return new DomainRow(c, DomainOutcome.CREATED, null, null, true, List.copyOf(keys), filters);
    } catch (PortfolioException e) {
      if (created) {
        LOG.info(
            "Created collection '{}', but declaring its filters failed: {}",
            wanted.name(),
            e.getMessage());
        return new DomainRow(
            c,
            DomainOutcome.FAILED,
            null,
            "created, but declaring its filters " + keys + " failed: " + e.getMessage(),
            true,
            List.of(),
            null);
      }
      LOG.info("Migrating collection '{}' failed: {}", wanted.name(), e.getMessage());
      return new DomainRow(c, DomainOutcome.FAILED, null, e.getMessage());
    }
  }

  /**
   * Says which filters were added and whether the index was built, or (after == null, a dry run)
   * would be.
   */
  private static String filterChange(
      List<String> missing, MetadataFilters before, MetadataFilters after) {
    boolean dryRun = after == null;
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add((dryRun ? "would add filters " : "added filters ") + missing);
    }
    if (!before.isUsable()) {
      parts.add(
          (dryRun ? "would rebuild its " : "rebuilt its ")
              + lower(before.index())
              + " filter index "
              + before.indexName());
    } else if (!dryRun
        && before.index() == MetadataFilters.IndexState.NOT_APPLICABLE
        && after.index() == MetadataFilters.IndexState.VALID) {
      parts.add("built its filter index " + after.indexName());
    }
    return String.join("; ", parts);
  }

  /**
   * Checks that every expected collection exists as planned.
   *
   * @param plan the plan
   * @return one check per expected collection
   */
  public DomainVerification verify(DomainPlan plan) {
    VectorStore store = settings.store();
    List<DomainCheck> checks = new ArrayList<>();
    for (DomainCollection c : plan.collections()) {
      Optional<CollectionInfo> found = store.findCollection(c.name());
      if (found.isEmpty()) {
        checks.add(new DomainCheck(c, DomainCheck.Status.MISSING, null, "it does not exist"));
        continue;
      }
      CollectionSpec have = found.get().spec();
      Optional<String> diff = difference(c.spec(), have);
      if (diff.isPresent()) {
        checks.add(new DomainCheck(c, DomainCheck.Status.MISMATCH, have, diff.get()));
      } else {
        checks.add(checkFilters(store, c, have));
      }
    }
    return new DomainVerification(checks);
  }

  private static DomainCheck checkFilters(
      VectorStore store, DomainCollection c, CollectionSpec have) {
    Set<String> keys = c.type().filters();
    if (keys.isEmpty()) {
      return new DomainCheck(c, DomainCheck.Status.OK, have, null);
    }
    if (!store.supports(StoreCapability.METADATA_FILTERS)) {
      return new DomainCheck(
          c,
          DomainCheck.Status.FILTERS_INCOMPLETE,
          have,
          "the plan declares filters " + keys + ", but the store keeps no metadata filters");
    }
    MetadataFilters filters = store.filters(c.name());
    List<String> problems = new ArrayList<>();
    List<String> missing = keys.stream().filter(k -> !filters.keys().contains(k)).toList();
    if (!missing.isEmpty()) {
      problems.add("filters " + missing + " are not declared");
    }
    if (!filters.isUsable()) {
      problems.add("its filter index " + filters.indexName() + " is " + lower(filters.index()));
    }
    return problems.isEmpty()
        ? new DomainCheck(c, DomainCheck.Status.OK, have, null, filters)
        : new DomainCheck(
            c,
            DomainCheck.Status.FILTERS_INCOMPLETE,
            have,
            String.join("; ", problems) + " (filtered searches scan the collection)",
            filters);
  }

  /**
   * Drops the plan's collections that are as planned and hold no document.
   *
   * @param plan the plan
   * @param options the options
   * @return one row per collection considered
   */
  public DomainRollbackResult rollback(DomainPlan plan, DomainRollbackOptions options) {
    Set<String> names =
        plan.collections().stream().map(DomainCollection::name).collect(Collectors.toSet());
    Optional<Set<String>> only = options.only();
    if (only.isPresent()) {
      List<String> foreign = only.get().stream().filter(n -> !names.contains(n)).sorted().toList();
      if (!foreign.isEmpty()) {
        throw new dev.portfolio.core.error.InvalidInputException(
            "only",
            "only names collections that are not in the plan: "
                + foreign
                + "; a rollback drops nothing but the plan's own collections");
      }
    }
    VectorStore store = settings.store();
    long started = System.nanoTime();
    List<DomainDrop> drops = new ArrayList<>();
    for (DomainCollection c : plan.collections()) {
      if (only.isPresent() && !only.get().contains(c.name())) {
        continue;
      }
      drops.add(rollback(store, c, options.dryRun()));
    }
    return new DomainRollbackResult(
        options.dryRun(), drops, Duration.ofNanos(System.nanoTime() - started));
  }

  private static DomainDrop rollback(VectorStore store, DomainCollection c, boolean dryRun) {
    String name = c.name();
    try {
      Optional<CollectionInfo> found = store.findCollection(name);
      if (found.isEmpty()) {
        return new DomainDrop(c, DomainDrop.Outcome.ABSENT, null);
      }
      Optional<String> diff = difference(c.spec(), found.get().spec());
      if (diff.isPresent()) {
        return new DomainDrop(
            c, DomainDrop.Outcome.KEPT, diff.get() + ", so the plan did not create it");
      }
      long documents =
          store.stats(name).documentsByStatus().values().stream().mapToLong(Long::longValue).sum();
      if (documents > 0) {
        return new DomainDrop(
            c,
            DomainDrop.Outcome.KEPT,
            "it holds "
                + documents
                + " documents; drop it with 'portfolio collections drop "
                + name
                + " --yes' if you mean it");
      }
      int sets = store.embeddingSets(name).size();
      if (sets > 1) {
        return new DomainDrop(
            c,
            DomainDrop.Outcome.KEPT,
            "it has " + sets + " embedding sets (a model switch ran on it), so it is in use");
      }
      Optional<LockHolder> holder = store.maintenanceLockHolder(name);
      if (holder.isPresent()) {
        return new DomainDrop(
            c,
            DomainDrop.Outcome.FAILED,
            "'" + holder.get().operation() + "' runs on it; try again when it has finished");
      }
      if (dryRun) {
        return new DomainDrop(c, DomainDrop.Outcome.WOULD_DROP, null);
      }
      if (!store.dropCollection(name)) {
        return new DomainDrop(c, DomainDrop.Outcome.ABSENT, null);
      }
      LOG.info("Dropped empty collection '{}' of the plan (rollback)", name);
      return new DomainDrop(c, DomainDrop.Outcome.DROPPED, null);
    } catch (PortfolioException e) {
      LOG.info("Rolling back collection '{}' failed: {}", name, e.getMessage());
      return new DomainDrop(c, DomainDrop.Outcome.FAILED, e.getMessage());
    }
  }

  /** Says how the found collection differs from the wanted one, or empty when it does not. */
  static Optional<String> difference(CollectionSpec wanted, CollectionSpec have) {
    List<String> diffs = new ArrayList<>();
    if (!wanted.model().equals(have.model())) {
      diffs.add("model " + have.model() + " (plan: " + wanted.model() + ")");
    }
    if (wanted.dimension() != have.dimension()) {
      diffs.add(have.dimension() + " dimensions (plan: " + wanted.dimension() + ")");
    }
    if (wanted.distance() != have.distance()) {
      diffs.add(lower(have.distance()) + " distance (plan: " + lower(wanted.distance()) + ")");
    }
    return diffs.isEmpty()
        ? Optional.empty()
        : Optional.of("exists with " + String.join(", ", diffs));
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
