package dev.portfolio.maintenance.diagnostics;

import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.SetState;
import dev.portfolio.maintenance.internal.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One collection: its documents, chunks and embedding sets.
 *
 * @param name the collection name
 * @param distance {@code cosine}, {@code l2} or {@code inner_product}
 * @param documentsByStatus documents per status ({@code pending}, {@code processing}, {@code
 *     ready}, {@code failed}, {@code deleted}), every status present
 * @param failedDocuments documents whose processing failed ({@code retryFailed} picks them up)
 * @param chunks chunks of documents that are not soft-deleted
 * @param sources distinct source ids of documents that are not soft-deleted
 * @param missingInActiveSet chunks without a vector in the active set: vector search cannot find
 *     them
 * @param staleInActiveSet vectors of the active set computed from text other than their chunk's
 * @param dataBytes bytes of the collection's stored values (texts, keyword vectors, metadata,
 *     vectors), or null when the store cannot tell
 * @param activeSet the set searches read
 * @param buildingSet the set a model switch is filling, or null
 * @param retiredSets sets kept for a rollback, in ascending id order
 * @since 0.1.0
 */
public record CollectionDiagnostics(
    String name,
    String distance,
    Map<String, Long> documentsByStatus,
    long failedDocuments,
    long chunks,
    long sources,
    long missingInActiveSet,
    long staleInActiveSet,
    Long dataBytes,
    SetDiagnostics activeSet,
    SetDiagnostics buildingSet,
    List<SetDiagnostics> retiredSets) {
  /** Validates the components and copies the collections. */
  public CollectionDiagnostics {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(distance, "distance");
    Objects.requireNonNull(activeSet, "activeSet");
    documentsByStatus = Text.ordered(documentsByStatus);
    retiredSets = List.copyOf(retiredSets);
  }

  /**
   * Describes a collection snapshot.
   *
   * @param c the snapshot
   * @return the diagnostics
   */
  public static CollectionDiagnostics of(CollectionSnapshot c) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (DocumentStatus s : DocumentStatus.values()) {
      byStatus.put(s.name().toLowerCase(Locale.ROOT), c.documents(s));
    }
    SetSnapshot active = c.activeSet();
    return new CollectionDiagnostics(
        c.name(),
        c.distance().name().toLowerCase(Locale.ROOT),
        byStatus,
        c.documents(DocumentStatus.FAILED),
        c.chunks(),
        c.sources(),
        c.missing(active),
        active.staleVectors(),
        c.dataBytes().isPresent() ? c.dataBytes().getAsLong() : null,
        SetDiagnostics.of(c, active),
        c.buildingSet().map(b -> SetDiagnostics.of(c, b)).orElse(null),
        c.sets().stream()
            .filter(s -> s.set().state() == SetState.RETIRED)
            .map(s -> SetDiagnostics.of(c, s))
            .toList());
  }

  /**
   * Returns the documents that are not soft-deleted.
   *
   * @return the count
   */
  public long liveDocuments() {
    return documentsByStatus.entrySet().stream()
        .filter(e -> !e.getKey().equals("deleted"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
