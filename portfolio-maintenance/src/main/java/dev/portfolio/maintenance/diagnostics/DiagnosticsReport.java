package dev.portfolio.maintenance.diagnostics;

import dev.portfolio.core.inspect.Redaction;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.maintenance.internal.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a store at one moment: its configuration (secrets masked), every collection with its
 * embedding sets, and the storage of every table and index. {@link #toString()} prints it as text
 * tables; the components serialise to JSON as they are.
 *
 * @param takenAt when the store was read
 * @param configuration the store's and the embedder's configuration, keys {@code store.*} and
 *     {@code embedder.*}; passwords, keys and tokens are masked
 * @param collections every collection, ordered by name
 * @param storage every table and index of the store, ordered by name; empty when the store has none
 *     to report (in memory)
 * @param totalBytes bytes of all of them, or null when the store cannot tell
 * @since 0.1.0
 */
public record DiagnosticsReport(
    Instant takenAt,
    Map<String, String> configuration,
    List<CollectionDiagnostics> collections,
    List<RelationSize> storage,
    Long totalBytes) {
  /** Validates the components and copies the collections. */
  public DiagnosticsReport {
    Objects.requireNonNull(takenAt, "takenAt");
    configuration = Text.ordered(configuration);
    collections = List.copyOf(collections);
    storage = List.copyOf(storage);
  }

  /**
   * Builds the report from a store snapshot.
   *
   * @param snapshot what the store reported
   * @param embedder the configured embedder, or null
   * @return the report
   */
  public static DiagnosticsReport of(StoreSnapshot snapshot, Embedder embedder) {
    Map<String, String> config = new LinkedHashMap<>();
    Map<String, String> store = snapshot.configuration();
    if (store.containsKey("store")) {
      config.put("store", store.get("store"));
    }
    store.entrySet().stream()
        .filter(e -> !e.getKey().equals("store"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> config.put("store." + e.getKey(), e.getValue()));
    if (embedder == null) {
      config.put("embedder", "none");
    } else {
      EmbedderInfo info = embedder.info();
      config.put("embedder", info.modelRef());
      config.put("embedder.provider", info.provider());
      config.put("embedder.dimension", Integer.toString(info.dimension()));
      config.put("embedder.maxBatchSize", Integer.toString(info.maxBatchSize()));
      config.put("embedder.maxInputTokens", Integer.toString(info.maxInputTokens()));
    }
    return new DiagnosticsReport(
        snapshot.takenAt(),
        Redaction.redact(config),
        snapshot.collections().stream().map(CollectionDiagnostics::of).toList(),
        snapshot.relations().stream().map(RelationSize::of).toList(),
        snapshot.relationBytes().isPresent() ? snapshot.relationBytes().getAsLong() : null);
  }

  /**
   * Finds a collection by name.
   *
   * @param name the collection
   * @return its diagnostics, or empty
   */
  public Optional<CollectionDiagnostics> collection(String name) {
    return collections.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * Finds a table or index by name.
   *
   * @param name the relation
   * @return its size entry, or empty
   */
  public Optional<RelationSize> relation(String name) {
    return storage.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /**
   * Prints the report as text tables: configuration, collections, sets, storage.
   *
   * @return several lines
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Diagnostics at ").append(takenAt).append('\n');
    out.append("Configuration\n");
    List<List<String>> config = new ArrayList<>();
    configuration.forEach((k, v) -> config.add(List.of(k, String.valueOf(v))));
    out.append(Text.table("  ", config));
    out.append("Collections\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "collection", "documents", "failed", "chunks", "sources", "missing", "stale", "data"));
    for (CollectionDiagnostics c : collections) {
      rows.add(
          List.of(
              c.name(),
              Long.toString(c.liveDocuments()),
              Long.toString(c.failedDocuments()),
              Long.toString(c.chunks()),
              Long.toString(c.sources()),
              Long.toString(c.missingInActiveSet()),
              Long.toString(c.staleInActiveSet()),
              Text.bytes(c.dataBytes())));
    }
    out.append(Text.table("  ", rows));
    out.append("Embedding sets\n");
    List<List<String>> sets = new ArrayList<>();
    sets.add(
        List.of(
            "collection",
            "set",
            "state",
            "model",
            "dim",
            "vectors",
            "coverage",
            "stale",
            "foreign",
            "ann index",
            "size"));
    for (CollectionDiagnostics c : collections) {
      List<SetDiagnostics> all = new ArrayList<>();
      all.add(c.activeSet());
      if (c.buildingSet() != null) {
        all.add(c.buildingSet());
      }
      all.addAll(c.retiredSets());
      for (SetDiagnostics s : all) {
        sets.add(
            List.of(
                c.name(),
                Long.toString(s.id()),
                s.state(),
                s.model(),
                Integer.toString(s.dimension()),
                Long.toString(s.vectors()),
                Text.percent(s.coveragePercent()),
                Long.toString(s.staleVectors()),
                Long.toString(s.foreignModelVectors()),
                s.annIndex(),
                Text.bytes(s.bytes())));
      }
    }
    out.append(Text.table("  ", sets));
    out.append("Storage: ").append(Text.bytes(totalBytes)).append('\n');
    if (!storage.isEmpty()) {
      List<List<String>> rels = new ArrayList<>();
      rels.add(List.of("relation", "kind", "of", "size", "valid"));
      for (RelationSize r : storage) {
        rels.add(
            List.of(
                r.name(),
                r.kind(),
                r.table() == null ? "" : r.table(),
                Text.bytes(r.bytes()),
                r.valid() == null ? "" : r.valid().toString()));
      }
      out.append(Text.table("  ", rels));
    }
    return out.toString();
  }
}
