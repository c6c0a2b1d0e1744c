package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.ChunkAudit;
import dev.portfolio.core.inspect.ChunkAuditQuery;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.RelationKind;
import dev.portfolio.core.inspect.RelationStats;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.EmbeddingState;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.core.model.OrphanKind;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.StoreTable;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.cleanup.OrphanCleanupOptions;
import dev.portfolio.maintenance.cleanup.OrphanCleanupResult;
import dev.portfolio.maintenance.health.CheckResult;
import dev.portfolio.maintenance.health.HealthCheckKind;
import dev.portfolio.maintenance.health.HealthCheckOptions;
import dev.portfolio.maintenance.health.HealthReport;
import dev.portfolio.maintenance.health.HealthStatus;
import dev.portfolio.maintenance.health.Repair;
import dev.portfolio.maintenance.health.RepairOutcome;
import dev.portfolio.maintenance.jobs.Job;
import dev.portfolio.maintenance.jobs.JobQuery;
import dev.portfolio.maintenance.jobs.JobStatus;
import dev.portfolio.maintenance.jobs.JobUnit;
import dev.portfolio.maintenance.jobs.ReembedJobHandler;
import dev.portfolio.maintenance.jobs.UnitStatus;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import dev.portfolio.maintenance.statistics.HealthFinding;
import dev.portfolio.maintenance.statistics.HealthFindingKind;
import dev.portfolio.maintenance.statistics.HealthLevel;
import dev.portfolio.maintenance.statistics.IndexHealthRules;
import dev.portfolio.maintenance.verify.Finding;
import dev.portfolio.maintenance.verify.FindingKind;
import dev.portfolio.maintenance.verify.SetVerification;
import dev.portfolio.maintenance.verify.VerifyOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the health checks of {@link HealthCheckKind} on a store: one snapshot for the aggregate
 * counts (coverage, stale and foreign-model vectors, sets, indexes, tables), the orphan counts, a
 * sampled (or, deep, full) vector scan per set through {@link Verifier}, and a sampled (or full)
 * chunk audit per collection through {@link VectorStore#auditChunks}. With {@code fix} it repairs
 * the repairable findings, then runs every check again.
 */
public final class HealthChecker {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  /** The most bad vectors per collection one repair deletes and re-embeds (and a scan lists). */
  static final int MAX_REPAIR_CHUNKS = 1000;

  private final Settings settings;
  private final Maintenance maintenance;
  private final Embedder embedder;

  /**
   * Creates a checker.
   *
   * @param settings the store and progress reporter
   * @param maintenance the facade, whose re-embed and cleanup the repairs use
   * @param embedder the facade's embedder, or null
   */
  public HealthChecker(Settings settings, Maintenance maintenance, Embedder embedder) {
    this.settings = settings;
    this.maintenance = maintenance;
    this.embedder = embedder;
  }

  /**
   * Checks, repairs with {@code fix}, and checks again.
   *
   * @param options what to check and how
   * @return the report
   */
  public HealthReport run(HealthCheckOptions options) {
    VectorStore store = settings.store();
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    List<String> names = options.collections();
    if (names.isEmpty()) {
      names = store.listCollections().stream().map(CollectionInfo::name).toList();
    } else {
      for (String name : names) {
        store.findCollection(name).orElseThrow(() -> StoreErrors.collectionNotFound(name));
      }
    }
    List<CheckResult> checks;
    List<Repair> repairs = new ArrayList<>();
    try (ProgressTracker progress =
        ProgressTracker.start(
            settings.progress(),
            "health " + (options.fix() ? "--fix " : "") + names,
            ProgressTracker.UNKNOWN_TOTAL)) {
      try {
        Run first = new Run(options, names);
        checks = first.checkAll(progress);
        if (options.fix()) {
          repairs.addAll(first.repair());
          if (!repairs.isEmpty()) {
            checks = new Run(options, names).checkAll(progress);
          }
        }
      } catch (RuntimeException e) {
        progress.fail(e);
        throw e;
      }
      HealthReport interim =
          new HealthReport(startedAt, 0, names, options.deep(), options.fix(), checks, repairs);
      progress.succeed(interim.summary());
    }
    HealthReport report =
        new HealthReport(
            startedAt,
            (System.nanoTime() - start) / 1_000_000,
            names,
            options.deep(),
            options.fix(),
            checks,
            repairs);
    LOG.info("{}", report.summary());
    return report;
  }

  /** One pass over the checks, keeping what the repairs need. */
  private final class Run {
    private final HealthCheckOptions options;
    private final List<String> names;
    private final VectorStore store = settings.store();
    private final StoreSnapshot snapshot;
    private final Map<OrphanKind, Long> orphans;
    private final String orphansUnsupported;
    private final Map<String, List<SetVerification>> scans = new LinkedHashMap<>();
    private final Map<String, ChunkAudit> audits = new LinkedHashMap<>();
    private final Map<String, Integer> tokenLimits = new LinkedHashMap<>();
    private final Map<String, Set<String>> requiredKeys = new LinkedHashMap<>();
    private final Map<String, java.util.Optional<MetadataFilters>> declared = new LinkedHashMap<>();
    private final Set<String> keysFromFilters = new java.util.HashSet<>();
    private final Map<HealthCheckKind, CheckResult> results = new EnumMap<>(HealthCheckKind.class);
    private List<HealthFinding> tableFindings = List.of();

    Run(HealthCheckOptions options, List<String> names) {
      this.options = options;
      this.names = names;
      this.snapshot = store.snapshot(null);
      Map<OrphanKind, Long> counted = null;
      String why = null;
      try {
        counted = store.countOrphans();
      } catch (PortfolioException e) {
        if (e.code() != ErrorCode.UNSUPPORTED) {
          throw e;
        }
        why = e.getMessage();
      }
      this.orphans = counted;
      this.orphansUnsupported = why;
    }

    List<CheckResult> checkAll(ProgressTracker progress) {
      for (String name : names) {
        CollectionSnapshot c = collection(name);
        List<SetVerification> sets = new ArrayList<>();
        for (SetSnapshot set : c.sets()) {
          if (set.set().state() == SetState.RETIRED) {
            continue;
          }
          VerifyOptions verify =
              VerifyOptions.builder()
                  .sampleRate(rate(set.vectors()))
                  .maxSamples(options.fix() ? MAX_REPAIR_CHUNKS : options.maxSamples())
                  .build();
          sets.add(Verifier.verify(store, set.set(), verify, progress));
        }
        scans.put(name, sets);
        int limit = tokenLimit(c);
        tokenLimits.put(name, limit);
        audits.put(
            name,
            store.auditChunks(
                new ChunkAuditQuery(
                    name, rate(c.chunks()), limit, requiredKeys(name), options.maxSamples())));
      }
      tableFindings = IndexHealthRules.assess(snapshot, options.tableThresholds()).findings();
      for (HealthCheckKind kind : HealthCheckKind.values()) {
        CheckResult r;
        try {
          r = check(kind);
        } catch (PortfolioException e) {
          r =
              e.code() == ErrorCode.UNSUPPORTED
                  ? notSupported(kind, e.getMessage())
                  : new CheckResult(
                      kind,
                      HealthStatus.FAIL,
                      0,
                      List.of(),
                      "the check could not run: " + e.getMessage(),
                      kind.remedy());
        }
        results.put(kind, r);
      }
      return List.copyOf(results.values());
    }

    /**
     * The metadata keys a collection's live documents must have: those the options require, else
     * the collection's declared filter keys (a document lacking one is invisible to the searches
     * that filter on it).
     */
    private Set<String> requiredKeys(String name) {
      return requiredKeys.computeIfAbsent(
          name,
          n -> {
            Set<String> keys = options.requiredMetadataKeys(n);
            if (!keys.isEmpty()) {
              return keys;
            }
            Set<String> filterKeys = filters(n).map(MetadataFilters::keys).orElse(Set.of());
            if (!filterKeys.isEmpty()) {
              keysFromFilters.add(n);
            }
            return filterKeys;
          });
    }

    /** A collection's declared metadata filters, or empty when the store keeps none. */
    private java.util.Optional<MetadataFilters> filters(String name) {
      return declared.computeIfAbsent(
          name,
          n -> {
            if (!store.supports(StoreCapability.METADATA_FILTERS)) {
              return java.util.Optional.empty();
            }
            try {
              return java.util.Optional.of(store.filters(n));
            } catch (PortfolioException e) {
              LOG.debug("Reading the filters of collection '{}' failed: {}", n, e.getMessage());
              return java.util.Optional.empty();
            }
          });
    }

    private double rate(long population) {
      if (options.deep() || population <= options.sampleSize()) {
        return 1.0;
      }
      return Math.max(Double.MIN_VALUE, (double) options.sampleSize() / population);
    }

    private int tokenLimit(CollectionSnapshot c) {
      if (options.maxInputTokens() > 0) {
        return options.maxInputTokens();
      }
      if (embedder != null && embedder.info().modelRef().equals(c.activeSet().set().model())) {
        return embedder.info().maxInputTokens();
      }
      return 0;
    }

    private CollectionSnapshot collection(String name) {
      return snapshot.collection(name).orElseThrow(() -> StoreErrors.collectionNotFound(name));
    }

    private CheckResult check(HealthCheckKind kind) {
      return switch (kind) {
        case ORPHANED_CHUNKS -> orphans(kind, EnumSet.of(OrphanKind.CHUNKS_WITHOUT_DOCUMENT));
        case ORPHANED_VECTORS ->
            orphans(
                kind, EnumSet.of(OrphanKind.VECTORS_WITHOUT_CHUNK, OrphanKind.VECTORS_WITHOUT_SET));
        case DOCUMENTS_WITHOUT_CHUNKS ->
            orphans(kind, EnumSet.of(OrphanKind.READY_DOCUMENTS_WITHOUT_CHUNKS));
        case MISSING_EMBEDDINGS -> missing(kind);
        case STALE_EMBEDDINGS -> stale(kind);
        case CONTENT_INTEGRITY ->
            audited(
                kind,
                "chunks whose text does not match its hash",
                a -> a.hashMismatches(),
                a -> a.hashMismatchIds());
        case DIMENSION_MISMATCH ->
            scanned(kind, EnumSet.of(FindingKind.DIMENSION_MISMATCH), "of another dimension");
        case INVALID_VECTORS ->
            scanned(
                kind,
                EnumSet.of(FindingKind.NON_FINITE, FindingKind.ZERO_VECTOR),
                "with NaN, infinite or only zero components");
        case FOREIGN_MODEL_VECTORS -> foreign(kind);
        case STALLED_BUILDING_SET -> building(kind);
        case RETIRED_SETS -> retired(kind);
        case TRUNCATED_CHUNKS -> truncated(kind);
        case METADATA_COMPLETENESS -> metadata(kind);
        case KEYWORD_INDEX -> keywords(kind);
        case ANN_INDEX -> annIndex(kind);
        case PLANNER_STATISTICS ->
            tables(
                kind,
                EnumSet.of(HealthFindingKind.STALE_STATISTICS, HealthFindingKind.NEVER_ANALYZED));
        case BLOAT -> tables(kind, EnumSet.of(HealthFindingKind.DEAD_ROWS));
        case STUCK_JOBS -> stuckJobs(kind);
        case FAILED_DOCUMENTS -> failedDocuments(kind);
      };
    }

    // ---------------------------------------------------------------------------- the checks

    private CheckResult orphans(HealthCheckKind kind, Set<OrphanKind> kinds) {
      if (orphans == null) {
        return notSupported(kind, orphansUnsupported);
      }
      long count = 0;
      List<String> parts = new ArrayList<>();
      for (OrphanKind k : kinds) {
        long n = orphans.getOrDefault(k, 0L);
        count += n;
        parts.add(k.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + n);
      }
      String detail = String.join(", ", parts) + " (whole store)";
      return count == 0 ? pass(kind, detail) : fail(kind, count, List.of(), detail);
    }

    private CheckResult missing(HealthCheckKind kind) {
      long count = 0;
      boolean below = false;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        CollectionSnapshot c = collection(name);
        SetSnapshot active = c.activeSet();
        long missing = c.missing(active);
        double coverage = c.chunks() == 0 ? 1.0 : (double) (c.chunks() - missing) / c.chunks();
        count += missing;
        below |= coverage < options.minCoverage();
        parts.add(
            String.format(
                Locale.ROOT,
                "%s %.1f%% covered (%d of %d missing)",
                name,
                100 * coverage,
                missing,
                c.chunks()));
        if (missing > 0) {
          chunkSamples(name, EmbeddingState.MISSING, samples);
        }
      }
      String detail =
          String.join("; ", parts)
              + String.format(Locale.ROOT, "; FAIL below %.1f%%", 100 * options.minCoverage());
      if (count == 0) {
        return pass(kind, detail);
      }
      return below ? fail(kind, count, samples, detail) : info(kind, count, samples, detail);
    }

    private CheckResult stale(HealthCheckKind kind) {
      long count = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        long stale = collection(name).activeSet().staleVectors();
        count += stale;
        parts.add(name + " " + stale);
        if (stale > 0) {
          chunkSamples(name, EmbeddingState.STALE, samples);
        }
      }
      String detail = "stale vectors in the active set: " + String.join(", ", parts);
      return count == 0 ? pass(kind, detail) : fail(kind, count, samples, detail);
    }

    private void chunkSamples(String name, EmbeddingState state, List<String> samples) {
      int room = options.maxSamples() - samples.size();
      if (room <= 0) {
        return;
      }
      for (Chunk c :
          store.listChunks(ChunkQuery.of(name, room).withEmbeddingState(state)).items()) {
        samples.add(name + ":" + c.id());
      }
    }

    private CheckResult audited(
        HealthCheckKind kind,
        String what,
        java.util.function.ToLongFunction<ChunkAudit> count,
        java.util.function.Function<ChunkAudit, List<?>> ids) {
      long total = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        ChunkAudit a = audits.get(name);
        long n = count.applyAsLong(a);
        total += n;
        parts.add(name + " " + n + " of " + a.examinedChunks() + " examined");
        addSamples(name, ids.apply(a), samples);
      }
      String detail = what + ": " + String.join(", ", parts) + scope();
      return total == 0 ? pass(kind, detail) : fail(kind, total, samples, detail);
    }

    private String scope() {
      return options.deep() ? " (deep)" : " (sampled: at most " + options.sampleSize() + " each)";
    }

    private void addSamples(String name, List<?> ids, List<String> samples) {
      for (Object id : ids) {
        if (samples.size() >= options.maxSamples()) {
          return;
        }
        samples.add(name + ":" + id);
      }
    }

    private CheckResult scanned(HealthCheckKind kind, Set<FindingKind> kinds, String what) {
      long count = 0;
      Set<Long> seen = new TreeSet<>();
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        long here = 0;
        long examined = 0;
        for (SetVerification s : scans.get(name)) {
          examined += s.examined();
          for (FindingKind k : kinds) {
            Finding f = s.finding(k);
            here += f.count();
            for (long id : f.sampleChunkIds()) {
              if (seen.add(id) && samples.size() < options.maxSamples()) {
                samples.add(name + ":" + id);
              }
            }
          }
        }
        count += here;
        parts.add(name + " " + here + " of " + examined + " examined");
      }
      String detail = "vectors " + what + ": " + String.join(", ", parts) + scope();
      return count == 0 ? pass(kind, detail) : fail(kind, count, samples, detail);
    }

    private CheckResult foreign(HealthCheckKind kind) {
      long count = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        long here = 0;
        for (SetSnapshot s : collection(name).sets()) {
          if (s.set().state() != SetState.RETIRED) {
            here += s.foreignModelVectors();
          }
        }
        for (SetVerification v : scans.get(name)) {
          addSamples(name, v.finding(FindingKind.MODEL_MISMATCH).sampleChunkIds(), samples);
        }
        count += here;
        parts.add(name + " " + here);
      }
      String detail = "vectors of another model than their set's: " + String.join(", ", parts);
      return count == 0 ? pass(kind, detail) : fail(kind, count, samples, detail);
    }

    private CheckResult building(HealthCheckKind kind) {
      long stalled = 0;
      long underWay = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      Instant now = snapshot.takenAt();
      for (String name : names) {
        CollectionSnapshot c = collection(name);
        for (SetSnapshot s : c.sets()) {
          if (s.set().state() != SetState.BUILDING) {
            continue;
          }
          Duration age = Duration.between(s.set().createdAt(), now);
          boolean old = age.compareTo(options.buildingSetMaxAge()) >= 0;
          if (old) {
            stalled++;
            samples.add(name + ":" + s.set().id());
          } else {
            underWay++;
          }
          parts.add(
              String.format(
                  Locale.ROOT,
                  "%s set %d (%s) %d of %d chunks, created %s ago",
                  name,
                  s.set().id(),
                  s.set().model(),
                  s.vectors(),
                  c.chunks(),
                  age(age)));
        }
      }
      String threshold = "; stalled after " + age(options.buildingSetMaxAge());
      if (parts.isEmpty()) {
        return pass(kind, "no model switch under way");
      }
      String detail = String.join("; ", parts) + threshold;
      return stalled > 0
          ? fail(kind, stalled, samples, detail)
          : info(kind, underWay, List.of(), "a model switch is under way: " + detail);
    }

    private CheckResult retired(HealthCheckKind kind) {
      long count = 0;
      long old = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      Instant now = snapshot.takenAt();
      for (String name : names) {
        for (SetSnapshot s : collection(name).sets()) {
          if (s.set().state() != SetState.RETIRED) {
            continue;
          }
          count++;
          Instant since = s.set().retiredAt() == null ? s.set().createdAt() : s.set().retiredAt();
          Duration age = Duration.between(since, now);
          if (age.compareTo(options.retiredSetMaxAge()) >= 0) {
            old++;
          }
          if (samples.size() < options.maxSamples()) {
            samples.add(name + ":" + s.set().id());
          }
          parts.add(
              name
                  + " set "
                  + s.set().id()
                  + " ("
                  + s.set().model()
                  + ") retired "
                  + age(age)
                  + " ago, "
                  + s.vectors()
                  + " vectors");
        }
      }
      if (count == 0) {
        return pass(kind, "no retired set");
      }
      String detail =
          String.join("; ", parts) + "; FAIL when retired for " + age(options.retiredSetMaxAge());
      return old > 0 ? fail(kind, count, samples, detail) : info(kind, count, samples, detail);
    }

    private CheckResult truncated(HealthCheckKind kind) {
      long count = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      List<String> unchecked = new ArrayList<>();
      for (String name : names) {
        int limit = tokenLimits.get(name);
        if (limit == 0) {
          unchecked.add(name);
          continue;
        }
        ChunkAudit a = audits.get(name);
        count += a.overTokenLimit();
        parts.add(
            name
                + " "
                + a.overTokenLimit()
                + " of "
                + a.examinedChunks()
                + " over "
                + limit
                + " tokens");
        addSamples(name, a.overTokenLimitIds(), samples);
      }
      String not =
          unchecked.isEmpty()
              ? ""
              : "not checked for "
                  + unchecked
                  + ": the input limit needs the embedder of the collection's model (or"
                  + " maxInputTokens)";
      if (parts.isEmpty()) {
        return new CheckResult(kind, HealthStatus.INFO, 0, List.of(), not, null);
      }
      String detail = String.join(", ", parts) + scope() + (not.isEmpty() ? "" : "; " + not);
      if (count > 0) {
        return info(kind, count, samples, "the embedder saw only their beginning: " + detail);
      }
      return unchecked.isEmpty()
          ? pass(kind, detail)
          : new CheckResult(kind, HealthStatus.INFO, 0, List.of(), detail, null);
    }

    private CheckResult metadata(HealthCheckKind kind) {
      long count = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        Set<String> keys = requiredKeys(name);
        if (keys.isEmpty()) {
          continue;
        }
        ChunkAudit a = audits.get(name);
        count += a.documentsMissingMetadata();
        parts.add(
            name
                + " "
                + a.documentsMissingMetadata()
                + " of "
                + a.examinedDocuments()
                + " documents lack one of "
                + keys
                + (keysFromFilters.contains(name)
                    ? " (its declared filters: filtered searches cannot find them)"
                    : ""));
        addSamples(name, a.documentsMissingMetadataKeys(), samples);
      }
      if (parts.isEmpty()) {
        return new CheckResult(
            kind,
            HealthStatus.INFO,
            0,
            List.of(),
            "not configured: no required metadata keys or declared filters for " + names,
            null);
      }
      String detail = String.join("; ", parts);
      return count == 0 ? pass(kind, detail) : fail(kind, count, samples, detail);
    }

    private CheckResult keywords(HealthCheckKind kind) {
      if (!store.supports(StoreCapability.KEYWORD_SEARCH)) {
        return notSupported(kind, "the store has no keyword search");
      }
      for (String name : names) {
        if (!audits.get(name).keywordsChecked()) {
          return notSupported(kind, "the store cannot examine its keyword index");
        }
      }
      return audited(
          kind,
          "chunks with words but no keyword entry",
          ChunkAudit::missingKeywords,
          ChunkAudit::missingKeywordIds);
    }

    private CheckResult annIndex(HealthCheckKind kind) {
      if (!store.supports(StoreCapability.ANN_INDEX)) {
        return notSupported(kind, "the store searches exactly and keeps no ANN index");
      }
      long failing = 0;
      long notable = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        for (SetSnapshot s : collection(name).sets()) {
          String subject = name + " set " + s.set().id() + " (" + lower(s.set().state()) + ")";
          if (s.set().state() == SetState.ACTIVE) {
            if (s.annIndex() == AnnIndexState.INVALID
                || (s.annIndex() == AnnIndexState.MISSING
                    && s.vectors() >= options.tableThresholds().missingIndexMinVectors())) {
              failing++;
              samples.add(name + ":" + s.set().id());
              parts.add(subject + " index " + lower(s.annIndex()));
            } else if (s.annIndex() == AnnIndexState.MISSING) {
              notable++;
              parts.add(
                  subject
                      + " has no index ("
                      + s.vectors()
                      + " vectors, below "
                      + options.tableThresholds().missingIndexMinVectors()
                      + ")");
            }
          } else if (s.set().state() == SetState.BUILDING
              && s.annIndex() == AnnIndexState.INVALID) {
            notable++;
            parts.add(subject + " index invalid; activation rebuilds it");
          }
        }
      }
      Set<String> annNames = new TreeSet<>();
      for (CollectionSnapshot c : snapshot.collections()) {
        for (SetSnapshot s : c.sets()) {
          annNames.add("embeddings_" + s.set().id() + "_ann");
        }
      }
      for (String name : names) {
        MetadataFilters f = filters(name).orElse(null);
        if (f == null || f.indexName() == null) {
          continue;
        }
        annNames.add(f.indexName());
        if (!f.isUsable()) {
          failing++;
          samples.add(name + ":" + f.indexName());
          parts.add(
              name
                  + " metadata filter index "
                  + f.indexName()
                  + " "
                  + lower(f.index())
                  + " (filters "
                  + f.keys()
                  + ")");
        }
      }
      for (RelationStats r : snapshot.relations()) {
        if (r.kind() == RelationKind.INDEX
            && Boolean.FALSE.equals(r.valid())
            && !annNames.contains(r.name())) {
          failing++;
          samples.add(r.name());
          parts.add("index " + r.name() + " on " + r.table() + " invalid");
        }
      }
      List<String> shown = samples.subList(0, Math.min(samples.size(), options.maxSamples()));
      if (failing > 0) {
        return fail(kind, failing, shown, String.join("; ", parts));
      }
      if (notable > 0) {
        return info(kind, notable, List.of(), String.join("; ", parts));
      }
      return pass(kind, "every active set's ANN index is valid");
    }

    private CheckResult tables(HealthCheckKind kind, Set<HealthFindingKind> kinds) {
      if (snapshot.relations().isEmpty()) {
        return notSupported(kind, "the store reports no tables");
      }
      long failing = 0;
      long degraded = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (HealthFinding f : tableFindings) {
        if (!kinds.contains(f.kind())) {
          continue;
        }
        boolean isFail = kind != HealthCheckKind.BLOAT || f.level() == HealthLevel.CRITICAL;
        if (isFail) {
          failing++;
        } else {
          degraded++;
        }
        if (samples.size() < options.maxSamples()) {
          samples.add(f.subject());
        }
        parts.add(f.subject() + ": " + f.reason());
      }
      if (parts.isEmpty()) {
        return pass(kind, "every table within the thresholds (whole store)");
      }
      String detail = String.join(" ", parts);
      return failing > 0
          ? fail(kind, failing + degraded, samples, detail)
          : info(kind, degraded, samples, detail);
    }

    private CheckResult stuckJobs(HealthCheckKind kind) {
      if (options.jobQueue() == null) {
        return new CheckResult(
            kind, HealthStatus.INFO, 0, List.of(), "not checked: no job queue given", null);
      }
      Instant limit = Instant.now().minus(options.stuckJobGrace());
      long count = 0;
      long running = 0;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (Job job :
          options
              .jobQueue()
              .list(JobQuery.all().withStatus(JobStatus.RUNNING).withLimit(1000))
              .jobs()) {
        running++;
        boolean stuck = job.leaseExpiresAt() != null && job.leaseExpiresAt().isBefore(limit);
        if (!stuck) {
          for (JobUnit u : options.jobQueue().units(job.id())) {
            if (u.status() == UnitStatus.RUNNING
                && u.leaseExpiresAt() != null
                && u.leaseExpiresAt().isBefore(limit)) {
              stuck = true;
              break;
            }
          }
        }
        if (stuck) {
          count++;
          if (samples.size() < options.maxSamples()) {
            samples.add(Long.toString(job.id()));
          }
          parts.add("job " + job.id() + " " + job.kind());
        }
      }
      String detail =
          running
              + " running jobs; stuck: lease expired over "
              + age(options.stuckJobGrace())
              + " ago"
              + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
      return count == 0 ? pass(kind, detail) : fail(kind, count, samples, detail);
    }

    private CheckResult failedDocuments(HealthCheckKind kind) {
      long count = 0;
      boolean above = false;
      List<String> samples = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        CollectionSnapshot c = collection(name);
        long failedDocs = c.documents(DocumentStatus.FAILED);
        long live = c.liveDocuments();
        double share = live == 0 ? 0 : (double) failedDocs / live;
        count += failedDocs;
        above |= share > options.maxFailedShare();
        parts.add(
            String.format(
                Locale.ROOT, "%s %d of %d (%.1f%%)", name, failedDocs, live, 100 * share));
        if (failedDocs > 0 && samples.size() < options.maxSamples()) {
          SearchFilter onlyFailed = SearchFilter.builder().status(DocumentStatus.FAILED).build();
          for (Document d :
              store
                  .listDocuments(
                      new DocumentQuery(name, onlyFailed, 0, options.maxSamples() - samples.size()))
                  .items()) {
            samples.add(name + ":" + d.key());
          }
        }
      }
      String detail =
          "failed documents "
              + String.join(", ", parts)
              + String.format(Locale.ROOT, "; FAIL above %.1f%%", 100 * options.maxFailedShare());
      if (count == 0) {
        return pass(kind, detail);
      }
      return above ? fail(kind, count, samples, detail) : info(kind, count, samples, detail);
    }

    // ---------------------------------------------------------------------------- repairs

    List<Repair> repair() {
      List<Repair> out = new ArrayList<>();
      if (failed(HealthCheckKind.ORPHANED_CHUNKS)
          || failed(HealthCheckKind.ORPHANED_VECTORS)
          || failed(HealthCheckKind.DOCUMENTS_WITHOUT_CHUNKS)) {
        out.add(removeOrphans());
      }
      // Repairs that rewrite rows here (bad vectors deleted, re-embedding inline) leave the
      // planner's statistics behind them, so the tables are analysed after them too; the orphan
      // cleanup analyses what it touched itself, and a queued re-embed writes later.
      int before = out.size();
      for (String name : names) {
        long missing = collection(name).missing(collection(name).activeSet());
        long deleted = 0;
        Repair bad = deleteBadVectors(name);
        if (bad != null) {
          out.add(bad);
          deleted = bad.outcome() == RepairOutcome.DONE ? bad.count() : 0;
        }
        if ((missing > 0 && failed(HealthCheckKind.MISSING_EMBEDDINGS)) || deleted > 0) {
          out.add(
              reembed(
                  missing > 0 ? HealthCheckKind.MISSING_EMBEDDINGS : bad.kind(),
                  ReembedOptions.builder(name).mode(ReembedMode.MISSING),
                  missing + deleted,
                  "missing chunks of " + name));
        }
        if (collection(name).activeSet().staleVectors() > 0
            && failed(HealthCheckKind.STALE_EMBEDDINGS)) {
          out.add(
              reembed(
                  HealthCheckKind.STALE_EMBEDDINGS,
                  ReembedOptions.builder(name).mode(ReembedMode.STALE),
                  collection(name).activeSet().staleVectors(),
                  "stale chunks of " + name));
        }
      }
      boolean rowsChanged =
          out.subList(before, out.size()).stream()
              .anyMatch(
                  r ->
                      r.outcome() == RepairOutcome.DONE
                          && r.count() > 0
                          && (r.kind() == HealthCheckKind.DIMENSION_MISMATCH
                              || r.kind() == HealthCheckKind.INVALID_VECTORS
                              || r.kind() == HealthCheckKind.FOREIGN_MODEL_VECTORS
                              || !queued()));
      out.addAll(rebuildIndexes());
      Repair analyse = analyse(rowsChanged);
      if (analyse != null) {
        out.add(analyse);
      }
      return out;
    }

    private boolean failed(HealthCheckKind kind) {
      CheckResult r = results.get(kind);
      return r != null && r.status() == HealthStatus.FAIL;
    }

    private Repair removeOrphans() {
      HealthCheckKind kind =
          failed(HealthCheckKind.ORPHANED_CHUNKS)
              ? HealthCheckKind.ORPHANED_CHUNKS
              : failed(HealthCheckKind.ORPHANED_VECTORS)
                  ? HealthCheckKind.ORPHANED_VECTORS
                  : HealthCheckKind.DOCUMENTS_WITHOUT_CHUNKS;
      try {
        OrphanCleanupResult r = maintenance.cleanupOrphans(OrphanCleanupOptions.builder().build());
        return new Repair(
            kind,
            "remove orphaned rows (whole store)",
            r.removed(),
            RepairOutcome.DONE,
            r.summary());
      } catch (PortfolioException e) {
        return new Repair(
            kind, "remove orphaned rows (whole store)", 0, RepairOutcome.FAILED, e.getMessage());
      }
    }

    private Repair reembed(
        HealthCheckKind kind, ReembedOptions.Builder options, long found, String what) {
      ReembedOptions built = options.build();
      if (queued()) {
        try {
          Job job =
              HealthChecker.Run.this
                  .options
                  .jobQueue()
                  .submit(ReembedJobHandler.request(built).build());
          return new Repair(
              kind,
              "queue a reembed job for " + what,
              found,
              RepairOutcome.QUEUED,
              "job " + job.id() + " submitted; a job worker runs it");
        } catch (PortfolioException e) {
          return new Repair(
              kind, "queue a reembed job for " + what, found, RepairOutcome.FAILED, e.getMessage());
        }
      }
      String action = "reembed " + what + " inline";
      String cannot = cannotReembed(built.collection());
      if (cannot != null) {
        return new Repair(kind, action, found, RepairOutcome.SKIPPED, cannot);
      }
      try {
        ReembedResult r = maintenance.reembed(built);
        return new Repair(
            kind,
            action,
            r.processed(),
            r.failed() > 0 ? RepairOutcome.FAILED : RepairOutcome.DONE,
            r.summary());
      } catch (PortfolioException e) {
        return new Repair(kind, action, 0, RepairOutcome.FAILED, e.getMessage());
      }
    }

    /** Says why chunks of a collection cannot be re-embedded now, or null when they can. */
    private boolean queued() {
      return options.jobQueue() != null && options.queueRepairs();
    }

    private String cannotReembed(String collection) {
      if (queued()) {
        return null;
      }
      if (embedder == null) {
        return "needs an embedder of the collection's model (Maintenance.builder().embedder) or a"
            + " job queue (HealthCheckOptions.jobQueue)";
      }
      String model = store.activeSet(collection).model();
      if (!embedder.info().modelRef().equals(model)) {
        return "the embedder is "
            + embedder.info().modelRef()
            + " but the active set of "
            + collection
            + " holds "
            + model;
      }
      return null;
    }

    private Repair deleteBadVectors(String name) {
      Set<Long> chunkIds = new LinkedHashSet<>();
      HealthCheckKind first = null;
      long activeSet = collection(name).activeSet().set().id();
      for (SetVerification s : scans.get(name)) {
        if (s.setId() != activeSet) {
          continue;
        }
        for (FindingKind k :
            List.of(
                FindingKind.DIMENSION_MISMATCH,
                FindingKind.NON_FINITE,
                FindingKind.ZERO_VECTOR,
                FindingKind.MODEL_MISMATCH)) {
          HealthCheckKind check =
              switch (k) {
                case DIMENSION_MISMATCH -> HealthCheckKind.DIMENSION_MISMATCH;
                case MODEL_MISMATCH -> HealthCheckKind.FOREIGN_MODEL_VECTORS;
                default -> HealthCheckKind.INVALID_VECTORS;
              };
          if (!failed(check)) {
            continue;
          }
          for (long id : s.finding(k).sampleChunkIds()) {
            if (chunkIds.size() < MAX_REPAIR_CHUNKS && chunkIds.add(id) && first == null) {
              first = check;
            }
          }
        }
      }
      if (chunkIds.isEmpty()) {
        return null;
      }
      String action =
          "delete "
              + chunkIds.size()
              + " bad vectors of "
              + name
              + " so that they are re-embedded as missing";
      String cannot = cannotReembed(name);
      if (cannot != null) {
        return new Repair(
            first, action, chunkIds.size(), RepairOutcome.SKIPPED, cannot + "; nothing deleted");
      }
      try {
        int deleted = store.deleteVectors(name, activeSet, chunkIds);
        return new Repair(first, action, deleted, RepairOutcome.DONE, deleted + " vectors deleted");
      } catch (PortfolioException e) {
        return new Repair(first, action, 0, RepairOutcome.FAILED, e.getMessage());
      }
    }

    private List<Repair> rebuildIndexes() {
      List<Repair> out = new ArrayList<>();
      if (!failed(HealthCheckKind.ANN_INDEX)) {
        return out;
      }
      for (String name : names) {
        SetSnapshot active = collection(name).activeSet();
        boolean broken =
            active.annIndex() == AnnIndexState.INVALID
                || (active.annIndex() == AnnIndexState.MISSING
                    && active.vectors() >= options.tableThresholds().missingIndexMinVectors());
        if (!broken) {
          continue;
        }
        String action =
            (active.annIndex() == AnnIndexState.INVALID ? "rebuild the invalid" : "build the")
                + " ANN index of "
                + name
                + " set "
                + active.set().id()
                + " concurrently";
        try {
          boolean built = store.buildAnnIndex(name);
          out.add(
              new Repair(
                  HealthCheckKind.ANN_INDEX,
                  action,
                  built ? 1 : 0,
                  RepairOutcome.DONE,
                  built ? "index built" : "a valid index existed meanwhile"));
        } catch (PortfolioException e) {
          out.add(
              new Repair(
                  HealthCheckKind.ANN_INDEX, action, 0, RepairOutcome.FAILED, e.getMessage()));
        }
      }
      for (String name : names) {
        MetadataFilters f = filters(name).orElse(null);
        if (f == null || f.isUsable()) {
          continue;
        }
        String action =
            "rebuild the "
                + lower(f.index())
                + " metadata filter index "
                + f.indexName()
                + " of "
                + name
                + " concurrently";
        try {
          MetadataFilters after = store.defineFilters(name, Set.of());
          out.add(
              new Repair(
                  HealthCheckKind.ANN_INDEX,
                  action,
                  after.isUsable() ? 1 : 0,
                  after.isUsable() ? RepairOutcome.DONE : RepairOutcome.FAILED,
                  after.isUsable() ? "index built" : "the index is " + lower(after.index())));
        } catch (PortfolioException e) {
          out.add(
              new Repair(
                  HealthCheckKind.ANN_INDEX, action, 0, RepairOutcome.FAILED, e.getMessage()));
        }
      }
      return out;
    }

    private Repair analyse(boolean rowsChanged) {
      boolean stats = failed(HealthCheckKind.PLANNER_STATISTICS);
      boolean bloat = failed(HealthCheckKind.BLOAT);
      if (!stats && !bloat && !rowsChanged) {
        return null;
      }
      HealthCheckKind kind =
          stats || rowsChanged ? HealthCheckKind.PLANNER_STATISTICS : HealthCheckKind.BLOAT;
      Set<StoreTable> tables =
          rowsChanged ? EnumSet.allOf(StoreTable.class) : EnumSet.noneOf(StoreTable.class);
      Set<String> others = new TreeSet<>();
      for (HealthFinding f : tableFindings) {
        boolean wanted =
            (stats
                    && (f.kind() == HealthFindingKind.STALE_STATISTICS
                        || f.kind() == HealthFindingKind.NEVER_ANALYZED))
                || (bloat && f.kind() == HealthFindingKind.DEAD_ROWS);
        if (!wanted) {
          continue;
        }
        StoreTable t = table(f.subject());
        if (t == null) {
          others.add(f.subject());
        } else {
          tables.add(t);
        }
      }
      String action = "VACUUM (ANALYZE) " + tables.toString().toLowerCase(Locale.ROOT);
      String rest =
          others.isEmpty() ? "" : "; not the store's data tables, left to autovacuum: " + others;
      if (tables.isEmpty()) {
        return new Repair(kind, action, 0, RepairOutcome.SKIPPED, "no data table" + rest);
      }
      try {
        List<VacuumOutcome> outcomes = store.vacuum(tables);
        long done = outcomes.stream().filter(o -> o.status() == VacuumOutcome.Status.DONE).count();
        if (!stats
            && !bloat
            && outcomes.stream().allMatch(o -> o.status() == VacuumOutcome.Status.NOT_NEEDED)) {
          return null; // only analysed after the repairs, and the store keeps no statistics
        }
        List<String> notes = new ArrayList<>();
        for (VacuumOutcome o : outcomes) {
          notes.add(
              lower(o.table())
                  + " "
                  + lower(o.status())
                  + (o.detail() == null ? "" : " (" + o.detail() + ")"));
        }
        return new Repair(
            kind,
            action,
            done,
            done == tables.size() ? RepairOutcome.DONE : RepairOutcome.FAILED,
            String.join(", ", notes) + rest);
      } catch (PortfolioException e) {
        return new Repair(kind, action, 0, RepairOutcome.FAILED, e.getMessage());
      }
    }

    private StoreTable table(String relation) {
      if (relation.equals("documents")) {
        return StoreTable.DOCUMENTS;
      }
      if (relation.equals("chunks")) {
        return StoreTable.CHUNKS;
      }
      if (relation.equals("embeddings") || relation.matches("embeddings_[0-9]+")) {
        return StoreTable.EMBEDDINGS;
      }
      return null;
    }

    // ---------------------------------------------------------------------------- results

    private CheckResult pass(HealthCheckKind kind, String detail) {
      return new CheckResult(kind, HealthStatus.PASS, 0, List.of(), detail, null);
    }

    private CheckResult info(
        HealthCheckKind kind, long count, List<String> samples, String detail) {
      return new CheckResult(kind, HealthStatus.INFO, count, limit(samples), detail, kind.remedy());
    }

    private CheckResult fail(
        HealthCheckKind kind, long count, List<String> samples, String detail) {
      return new CheckResult(kind, HealthStatus.FAIL, count, limit(samples), detail, kind.remedy());
    }

    private List<String> limit(List<String> samples) {
      return samples.subList(0, Math.min(samples.size(), options.maxSamples()));
    }

    private CheckResult notSupported(HealthCheckKind kind, String why) {
      return new CheckResult(
          kind,
          HealthStatus.INFO,
          0,
          List.of(),
          "not supported by this store (" + store.getClass().getSimpleName() + "): " + why,
          null);
    }
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** Formats an age for people: {@code 3d 4h}, {@code 2h 5m}, {@code 40s}. */
  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s >= 86_400) {
      return s / 86_400 + "d " + (s % 86_400) / 3600 + "h";
    }
    if (s >= 3600) {
      return s / 3600 + "h " + (s % 3600) / 60 + "m";
    }
    if (s >= 60) {
      return s / 60 + "m " + s % 60 + "s";
    }
    return s + "s";
  }
}
