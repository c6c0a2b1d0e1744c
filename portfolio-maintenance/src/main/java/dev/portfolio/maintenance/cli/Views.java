package dev.portfolio.maintenance.cli;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.PurgeResult;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.model.VacuumOutcome;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.index.migration.EmbeddingMigration;
import dev.portfolio.index.schema.MigrationResult;
import dev.portfolio.maintenance.backup.ArchivedCollection;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.backup.PruneResult;
import dev.portfolio.maintenance.backup.RestoreResult;
import dev.portfolio.maintenance.cleanup.DeletedCleanupResult;
import dev.portfolio.maintenance.cleanup.OrphanCleanupResult;
import dev.portfolio.maintenance.cleanup.SourceDeleteResult;
import dev.portfolio.maintenance.diagnostics.CollectionDiagnostics;
import dev.portfolio.maintenance.diagnostics.DiagnosticsReport;
import dev.portfolio.maintenance.diagnostics.RelationSize;
import dev.portfolio.maintenance.diagnostics.SetDiagnostics;
import dev.portfolio.maintenance.modelswitch.Activation;
import dev.portfolio.maintenance.modelswitch.SetCoverage;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import dev.portfolio.maintenance.modelswitch.SwitchStatus;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.reembed.ReembedEstimate;
import dev.portfolio.maintenance.reembed.ReembedResult;
import dev.portfolio.maintenance.retry.RetryResult;
import dev.portfolio.maintenance.statistics.StatisticsReport;
import dev.portfolio.maintenance.verify.VerifyReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --json} schema: one method per result type, each a map with keys in a fixed order.
 * Keys are camelCase; enums are lower-case strings ({@code "active"}, {@code "cosine"}); times are
 * ISO-8601 UTC strings or null; durations are {@code elapsedMs} numbers. Keys are only ever added,
 * never renamed or removed, within a major version. README.md ("Command line") documents each.
 */
final class Views {
  private Views() {}

  static Map<String, Object> set(EmbeddingSet s) {
    Map<String, Object> m = Json.object();
    m.put("id", s.id());
    m.put("model", s.model());
    m.put("dimension", s.dimension());
    m.put("state", lower(s.state()));
    m.put("createdAt", time(s.createdAt()));
    m.put("activatedAt", time(s.activatedAt()));
    m.put("retiredAt", time(s.retiredAt()));
    return m;
  }

  static Map<String, Object> collection(CollectionInfo c, List<EmbeddingSet> sets) {
    Map<String, Object> m = Json.object();
    m.put("name", c.name());
    m.put("id", c.id());
    m.put("model", c.model());
    m.put("dimension", c.dimension());
    m.put("distance", lower(c.distance()));
    m.put("createdAt", time(c.createdAt()));
    m.put("activeSetId", setId(sets, SetState.ACTIVE));
    m.put("buildingSetId", setId(sets, SetState.BUILDING));
    m.put("retiredSets", sets.stream().filter(s -> s.state() == SetState.RETIRED).count());
    return m;
  }

  static Map<String, Object> coverage(SetCoverage c) {
    Map<String, Object> m = Json.object();
    m.put("set", set(c.set()));
    m.put("chunks", c.chunks());
    m.put("embedded", c.embedded());
    m.put("missing", c.missing());
    m.put("stale", c.stale());
    m.put("coverage", c.coverage());
    m.put("complete", c.isComplete());
    return m;
  }

  static Map<String, Object> status(SwitchStatus s) {
    Map<String, Object> m = Json.object();
    m.put("collection", s.collection());
    m.put("active", coverage(s.active()));
    m.put("building", s.building().map(Views::coverage).orElse(null));
    m.put("retired", s.retired().stream().map(Views::set).toList());
    m.put("readyToActivate", s.readyToActivate());
    return m;
  }

  static Map<String, Object> activation(Activation a) {
    Map<String, Object> m = Json.object();
    m.put("collection", a.collection());
    m.put("active", set(a.active()));
    m.put("retired", set(a.retired()));
    m.put("coverage", coverage(a.coverage()));
    m.put("forced", a.forced());
    return m;
  }

  static Map<String, Object> reembed(ReembedResult r) {
    Map<String, Object> m = Json.object();
    m.put("collection", r.collection());
    m.put("setId", r.setId());
    m.put("model", r.model());
    m.put("mode", lower(r.mode()));
    m.put("dryRun", r.dryRun());
    m.put("cancelled", r.cancelled());
    m.put("complete", r.complete());
    m.put("total", r.total());
    m.put("processed", r.processed());
    m.put("skipped", r.skipped());
    m.put("failed", r.failed());
    m.put("deduplicated", r.deduplicated());
    m.put("errors", r.errors().stream().map(Views::error).toList());
    m.put("errorsTruncated", r.errorsTruncated());
    m.put("usage", usage(r.usage()));
    m.put("estimates", r.estimates().stream().map(Views::estimate).toList());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> switchResult(SwitchResult r) {
    Map<String, Object> m = Json.object();
    m.put("collection", r.collection());
    m.put("outcome", lower(r.outcome()));
    m.put("active", r.active());
    m.put("from", set(r.from()));
    m.put("to", set(r.to()));
    m.put("processed", r.processed());
    m.put("failed", r.failed());
    m.put("catchUpRounds", r.catchUpRounds());
    m.put("missingAtActivation", r.missingAtActivation());
    m.put("dropped", r.dropped().stream().map(Views::set).toList());
    m.put("runs", r.runs().stream().map(Views::reembed).toList());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> install(MigrationResult r) {
    Map<String, Object> m = Json.object();
    m.put("schema", r.schema());
    m.put("fromVersion", r.fromVersion());
    m.put("toVersion", r.toVersion());
    m.put("applied", r.applied());
    m.put("changed", r.changed());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> migration(EmbeddingMigration mi) {
    Map<String, Object> m = Json.object();
    m.put("schema", mi.schema());
    m.put("collection", mi.collection());
    m.put("collectionId", mi.collectionId());
    m.put("activeSetId", mi.activeSetId());
    m.put("fromModel", mi.fromModel());
    m.put("fromDimension", mi.fromDimension());
    m.put("setId", mi.setId());
    m.put("toModel", mi.toModel());
    m.put("toDimension", mi.toDimension());
    return m;
  }

  /** The health report: its documented JSON schema (README "Health checks"), versioned. */
  static Map<String, Object> health(dev.portfolio.maintenance.health.HealthReport r) {
    return r.fields();
  }

  private static Map<String, Object> error(ChunkError e) {
    Map<String, Object> m = Json.object();
    m.put("chunkId", e.chunkId());
    m.put("documentKey", e.documentKey());
    m.put("reason", e.reason());
    return m;
  }

  private static Map<String, Object> usage(EmbeddingUsage u) {
    Map<String, Object> m = Json.object();
    m.put("tokens", u.tokens());
    m.put("requests", u.requests());
    m.put("retries", u.retries());
    return m;
  }

  private static Map<String, Object> estimate(ReembedEstimate e) {
    Map<String, Object> m = Json.object();
    m.put("collection", e.collection());
    m.put("chunks", e.chunks());
    m.put("estimatedTokens", e.estimatedTokens());
    m.put("estimatedChunks", e.estimatedChunks());
    m.put("pricePer1kTokens", e.pricePer1kTokens() > 0 ? e.pricePer1kTokens() : null);
    m.put("estimatedCost", e.estimatedCost().isPresent() ? e.estimatedCost().getAsDouble() : null);
    return m;
  }

  // ------------------------------------------------------------------------------ jobs, ingest

  static Map<String, Object> job(dev.portfolio.maintenance.jobs.Job j) {
    Map<String, Object> m = Json.object();
    m.put("id", j.id());
    m.put("kind", j.kind());
    m.put("status", j.status().label());
    m.put("phase", j.phase().label());
    m.put("priority", j.priority());
    m.put("progressCurrent", j.progressCurrent());
    m.put("progressTotal", j.progressTotal());
    m.put("percent", j.percent() < 0 ? null : j.percent());
    Map<String, Object> units = Json.object();
    units.put("total", j.units().total());
    units.put("queued", j.units().queued());
    units.put("running", j.units().running());
    units.put("completed", j.units().completed());
    units.put("failed", j.units().failed());
    units.put("cancelled", j.units().cancelled());
    m.put("units", units);
    m.put("attempts", j.attempts());
    m.put("maxAttempts", j.maxAttempts());
    m.put("error", j.error());
    m.put("params", j.params().asMap());
    m.put("createdAt", time(j.createdAt()));
    m.put("startedAt", time(j.startedAt()));
    m.put("updatedAt", time(j.updatedAt()));
    m.put("finishedAt", time(j.finishedAt()));
    return m;
  }

  static Map<String, Object> jobUnit(dev.portfolio.maintenance.jobs.JobUnit u) {
    Map<String, Object> m = Json.object();
    m.put("unit", u.unit());
    m.put("status", u.status().label());
    m.put("progressCurrent", u.progressCurrent());
    m.put("progressTotal", u.progressTotal());
    m.put("attempts", u.attempts());
    m.put("error", u.error());
    m.put("leaseOwner", u.leaseOwner());
    m.put("leaseExpiresAt", time(u.leaseExpiresAt()));
    m.put("params", u.params().asMap());
    m.put("checkpoint", u.checkpoint().asMap());
    m.put("startedAt", time(u.startedAt()));
    m.put("finishedAt", time(u.finishedAt()));
    return m;
  }

  static Map<String, Object> jobStatus(
      dev.portfolio.maintenance.jobs.Job j, List<dev.portfolio.maintenance.jobs.JobUnit> units) {
    Map<String, Object> m = job(j);
    m.put("unitList", units.stream().map(Views::jobUnit).toList());
    return m;
  }

  static Map<String, Object> jobList(dev.portfolio.maintenance.jobs.JobList list) {
    Map<String, Object> m = Json.object();
    m.put("jobs", list.jobs().stream().map(Views::job).toList());
    Map<String, Object> counts = Json.object();
    for (dev.portfolio.maintenance.jobs.JobStatus s :
        dev.portfolio.maintenance.jobs.JobStatus.values()) {
      counts.put(s.label(), list.counts().getOrDefault(s, 0L));
    }
    m.put("counts", counts);
    m.put("nextBefore", list.nextBefore() > 0 ? list.nextBefore() : null);
    return m;
  }

  static Map<String, Object> ingest(
      String collection, dev.portfolio.maintenance.ingest.IngestResult r, boolean interrupted) {
    Map<String, Object> m = Json.object();
    m.put("collection", collection);
    m.put("read", r.read());
    m.put("added", r.added());
    m.put("updated", r.updated());
    m.put("unchanged", r.unchanged());
    m.put("skipped", r.skipped());
    m.put("removed", r.removed());
    m.put("failed", r.failed());
    m.put(
        "failures",
        r.failures().stream()
            .map(
                f -> {
                  Map<String, Object> e = Json.object();
                  e.put("key", f.key());
                  e.put("position", f.position());
                  e.put("reason", f.reason());
                  return e;
                })
            .toList());
    m.put("chunksEmbedded", r.chunksEmbedded());
    m.put("chunksReused", r.chunksReused());
    m.put("chunksTruncated", r.chunksTruncated());
    m.put("tokens", r.tokensUsed());
    m.put("embedderCalls", r.embedderCalls());
    m.put("cost", r.cost());
    m.put("stoppedByBudget", r.stoppedByBudget());
    m.put("interrupted", interrupted);
    m.put("nextPosition", r.nextPosition());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  private static Long setId(List<EmbeddingSet> sets, SetState state) {
    return sets.stream()
        .filter(s -> s.state() == state)
        .map(EmbeddingSet::id)
        .findFirst()
        .orElse(null);
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String time(Instant i) {
    return i == null ? null : i.toString();
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }

  // ------------------------------------------------------------------ operator commands

  static Map<String, Object> diagnostics(DiagnosticsReport d) {
    Map<String, Object> m = Json.object();
    m.put("takenAt", time(d.takenAt()));
    m.put("configuration", d.configuration());
    m.put("collections", d.collections().stream().map(Views::collectionDiagnostics).toList());
    m.put("storage", d.storage().stream().map(Views::relation).toList());
    m.put("totalBytes", d.totalBytes());
    return m;
  }

  private static Map<String, Object> collectionDiagnostics(CollectionDiagnostics c) {
    Map<String, Object> m = Json.object();
    m.put("name", c.name());
    m.put("distance", c.distance());
    m.put("documents", c.liveDocuments());
    m.put("documentsByStatus", c.documentsByStatus());
    m.put("failedDocuments", c.failedDocuments());
    m.put("chunks", c.chunks());
    m.put("sources", c.sources());
    m.put("missing", c.missingInActiveSet());
    m.put("stale", c.staleInActiveSet());
    m.put("dataBytes", c.dataBytes());
    m.put("activeSet", setDiagnostics(c.activeSet()));
    m.put("buildingSet", c.buildingSet() == null ? null : setDiagnostics(c.buildingSet()));
    m.put("retiredSets", c.retiredSets().stream().map(Views::setDiagnostics).toList());
    return m;
  }

  private static Map<String, Object> setDiagnostics(SetDiagnostics s) {
    Map<String, Object> m = Json.object();
    m.put("id", s.id());
    m.put("state", s.state());
    m.put("model", s.model());
    m.put("dimension", s.dimension());
    m.put("vectors", s.vectors());
    m.put("missing", s.missing());
    m.put("coveragePercent", s.coveragePercent());
    m.put("staleVectors", s.staleVectors());
    m.put("foreignModelVectors", s.foreignModelVectors());
    m.put("annIndex", s.annIndex());
    m.put("bytes", s.bytes());
    return m;
  }

  private static Map<String, Object> relation(RelationSize r) {
    Map<String, Object> m = Json.object();
    m.put("name", r.name());
    m.put("kind", r.kind());
    m.put("table", r.table());
    m.put("bytes", r.bytes());
    m.put("valid", r.valid());
    return m;
  }

  static Map<String, Object> statistics(StatisticsReport r) {
    Map<String, Object> m = Json.object();
    m.put("takenAt", time(r.takenAt()));
    m.put("workspace", r.workspace());
    m.put("documents", r.documents());
    m.put("failedDocuments", r.failedDocuments());
    m.put("chunks", r.chunks());
    m.put("sources", r.sources());
    m.put("dataBytes", r.dataBytes());
    m.put("storeBytes", r.storeBytes());
    Map<String, Object> health = Json.object();
    health.put("level", lower(r.indexHealth().level()));
    health.put(
        "findings",
        r.indexHealth().findings().stream()
            .map(
                f -> {
                  Map<String, Object> fm = Json.object();
                  fm.put("level", lower(f.level()));
                  fm.put("kind", lower(f.kind()));
                  fm.put("subject", f.subject());
                  fm.put("reason", f.reason());
                  return fm;
                })
            .toList());
    health.put("unchecked", r.indexHealth().unchecked());
    m.put("indexHealth", health);
    Map<String, Object> perf = Json.object();
    perf.put("windowSeconds", r.performance().windowSeconds());
    perf.put("cacheHitRatio", r.performance().cacheHitRatio());
    perf.put(
        "operations",
        r.performance().operations().stream()
            .map(
                o -> {
                  Map<String, Object> om = Json.object();
                  om.put("operation", o.operation());
                  om.put("count", o.count());
                  om.put("averageMs", o.averageMillis());
                  om.put("p95Ms", o.p95Millis());
                  om.put("source", o.source());
                  return om;
                })
            .toList());
    m.put("performance", perf);
    return m;
  }

  static Map<String, Object> verify(VerifyReport r) {
    Map<String, Object> m = Json.object();
    m.put("startedAt", time(r.startedAt()));
    m.put("sampleRate", r.sampleRate());
    m.put("examined", r.examined());
    m.put("clean", r.isClean());
    Map<String, Object> totals = Json.object();
    r.totals().forEach((k, v) -> totals.put(camel(k), v));
    m.put("totals", totals);
    m.put(
        "sets",
        r.sets().stream()
            .map(
                s -> {
                  Map<String, Object> sm = Json.object();
                  sm.put("collection", s.collection());
                  sm.put("setId", s.setId());
                  sm.put("state", s.state());
                  sm.put("model", s.model());
                  sm.put("dimension", s.dimension());
                  sm.put("examined", s.examined());
                  sm.put("clean", s.isClean());
                  sm.put(
                      "findings",
                      s.findings().stream()
                          .map(
                              f -> {
                                Map<String, Object> fm = Json.object();
                                fm.put("kind", lower(f.kind()));
                                fm.put("count", f.count());
                                fm.put("sampleChunkIds", f.sampleChunkIds());
                                return fm;
                              })
                          .toList());
                  return sm;
                })
            .toList());
    m.put("elapsedMs", r.elapsedMillis());
    return m;
  }

  static Map<String, Object> retry(RetryResult r) {
    Map<String, Object> m = Json.object();
    m.put("collection", r.collection());
    m.put("setId", r.setId());
    m.put("model", r.model());
    m.put("maxAttempts", r.maxAttempts());
    m.put("dryRun", r.dryRun());
    m.put("cancelled", r.cancelled());
    m.put("examined", r.examined());
    m.put("retried", r.retried());
    m.put("recovered", r.recovered());
    m.put("failedAgain", r.failedAgain());
    m.put("gaveUp", r.gaveUp());
    m.put("alreadyPermanent", r.alreadyPermanent());
    m.put("chunksEmbedded", r.chunksEmbedded());
    m.put("chunksFailed", r.chunksFailed());
    m.put(
        "documents",
        r.documents().stream()
            .map(
                d -> {
                  Map<String, Object> dm = Json.object();
                  dm.put("key", d.key());
                  dm.put("outcome", lower(d.outcome()));
                  dm.put("attempts", d.attempts());
                  dm.put("reason", d.reason());
                  return dm;
                })
            .toList());
    m.put("errors", r.errors().stream().map(Views::error).toList());
    m.put("usage", usage(r.usage()));
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> deletedCleanup(DeletedCleanupResult r) {
    PurgeResult t = r.total();
    Map<String, Object> m = Json.object();
    m.put("deletedBefore", time(r.deletedBefore()));
    m.put("dryRun", r.dryRun());
    m.put("cancelled", r.cancelled());
    m.put("documents", t.documents());
    m.put("chunks", t.chunks());
    m.put("vectors", t.vectors());
    m.put(
        "collections",
        r.collections().stream()
            .map(
                c -> {
                  Map<String, Object> cm = Json.object();
                  cm.put("collection", c.collection());
                  cm.put("documents", c.removed().documents());
                  cm.put("chunks", c.removed().chunks());
                  cm.put("vectors", c.removed().vectors());
                  cm.put("batches", c.batches());
                  return cm;
                })
            .toList());
    m.put("vacuum", r.vacuum().stream().map(Views::vacuum).toList());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> orphanCleanup(OrphanCleanupResult r) {
    Map<String, Object> m = Json.object();
    m.put("dryRun", r.dryRun());
    m.put("cancelled", r.cancelled());
    m.put("found", r.found());
    m.put("removed", r.removed());
    m.put(
        "orphans",
        r.orphans().stream()
            .map(
                o -> {
                  Map<String, Object> om = Json.object();
                  om.put("kind", lower(o.kind()));
                  om.put("found", o.found());
                  om.put("removed", o.removed());
                  return om;
                })
            .toList());
    m.put(
        "retiredSets",
        r.retiredSets().stream()
            .map(
                rs -> {
                  Map<String, Object> rm = Json.object();
                  rm.put("set", set(rs.set()));
                  rm.put("collection", rs.set().collection());
                  rm.put("vectors", rs.vectors());
                  rm.put("action", rs.action());
                  return rm;
                })
            .toList());
    m.put("vacuum", r.vacuum().stream().map(Views::vacuum).toList());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> sourceDelete(SourceDeleteResult r) {
    Map<String, Object> m = Json.object();
    m.put("collection", r.collection());
    m.put("sourceId", r.sourceId());
    m.put("dryRun", r.dryRun());
    m.put("cancelled", r.cancelled());
    m.put("documents", r.documents());
    m.put("chunks", r.chunks());
    m.put("batches", r.batches());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  private static Map<String, Object> vacuum(VacuumOutcome v) {
    Map<String, Object> m = Json.object();
    m.put("table", lower(v.table()));
    m.put("status", lower(v.status()));
    m.put("detail", v.detail());
    m.put("elapsedMs", millis(v.elapsed()));
    return m;
  }

  /** {@code NON_FINITE} as {@code nonFinite}, for keys. */
  private static String camel(Enum<?> e) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : e.name().toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  static Map<String, Object> archivedCollection(ArchivedCollection c) {
    Map<String, Object> m = Json.object();
    m.put("name", c.name());
    m.put("model", c.model());
    m.put("dimension", c.dimension());
    m.put("distance", c.distance().toLowerCase(Locale.ROOT));
    m.put("documents", c.documents());
    m.put("chunks", c.chunks());
    m.put("vectors", c.vectors());
    m.put(
        "sets",
        c.sets().stream()
            .map(
                s -> {
                  Map<String, Object> n = Json.object();
                  n.put("id", s.id());
                  n.put("model", s.model());
                  n.put("dimension", s.dimension());
                  n.put("state", s.state().toLowerCase(Locale.ROOT));
                  n.put("vectors", s.vectors());
                  return n;
                })
            .toList());
    return m;
  }

  static Map<String, Object> backup(BackupResult r) {
    Map<String, Object> m = Json.object();
    m.put("archive", r.archive().toString());
    m.put("bytes", r.bytes());
    m.put("sha256", r.sha256());
    m.put("documents", r.documents());
    m.put("chunks", r.chunks());
    m.put("collections", r.collections().stream().map(Views::archivedCollection).toList());
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> verification(BackupVerification v) {
    Map<String, Object> m = Json.object();
    m.put("archive", v.archive().toString());
    m.put("valid", v.valid());
    m.put("problems", v.problems());
    m.put("formatVersion", v.formatVersion());
    m.put("libraryVersion", v.libraryVersion());
    m.put("createdAt", time(v.createdAt()));
    m.put("collections", v.collections().stream().map(Views::archivedCollection).toList());
    return m;
  }

  static Map<String, Object> restore(RestoreResult r) {
    Map<String, Object> m = Json.object();
    m.put("collections", r.collections().stream().map(Views::archivedCollection).toList());
    m.put("safetyBackup", r.safetyBackup().map(Path::toString).orElse(null));
    m.put("elapsedMs", millis(r.elapsed()));
    return m;
  }

  static Map<String, Object> prune(PruneResult r) {
    Map<String, Object> m = Json.object();
    m.put("deleted", r.deleted().stream().map(Path::toString).toList());
    m.put("kept", r.kept().stream().map(Path::toString).toList());
    return m;
  }
}
