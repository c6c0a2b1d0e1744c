package dev.portfolio.maintenance.cli;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.index.migration.EmbeddingMigration;
import dev.portfolio.index.schema.MigrationResult;
import dev.portfolio.maintenance.backup.ArchivedCollection;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.backup.PruneResult;
import dev.portfolio.maintenance.backup.RestoreResult;
import dev.portfolio.maintenance.modelswitch.Activation;
import dev.portfolio.maintenance.modelswitch.SetCoverage;
import dev.portfolio.maintenance.modelswitch.SwitchResult;
import dev.portfolio.maintenance.modelswitch.SwitchStatus;
import dev.portfolio.maintenance.reembed.ChunkError;
import dev.portfolio.maintenance.reembed.ReembedEstimate;
import dev.portfolio.maintenance.reembed.ReembedResult;
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
