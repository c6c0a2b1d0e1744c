package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Restricts searches and listings to some documents of a collection. Every condition given must
 * hold (AND); an empty set or map means "no restriction".
 *
 * @param sourceIds documents from one of these sources
 * @param workspace documents of this workspace, or null for any
 * @param statuses documents with one of these statuses; empty means every status except {@link
 *     DocumentStatus#DELETED}
 * @param metadata documents whose metadata has each of these entries
 * @param documentKeys documents with one of these keys (at most {@value #MAX_DOCUMENT_KEYS})
 * @since 0.1.0
 */
public record SearchFilter(
    Set<String> sourceIds,
    String workspace,
    Set<DocumentStatus> statuses,
    Map<String, String> metadata,
    Set<String> documentKeys) {
  /** The most document keys one filter names: {@value}. */
  public static final int MAX_DOCUMENT_KEYS = 10_000;

  private static final SearchFilter NONE =
      new SearchFilter(Set.of(), null, Set.of(), Map.of(), Set.of());

  /** Validates and copies the components. */
  public SearchFilter {
    sourceIds = sourceIds == null ? Set.of() : Set.copyOf(sourceIds);
    sourceIds.forEach(s -> Inputs.requireKey("filter.sourceId", s));
    Inputs.optionalKey("filter.workspace", workspace);
    statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
    Inputs.metadataProblem(metadata)
        .ifPresent(
            p -> {
              throw new dev.portfolio.core.error.InvalidInputException(
                  "filter.metadata", "filter.metadata is invalid: " + p);
            });
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    documentKeys = documentKeys == null ? Set.of() : Set.copyOf(documentKeys);
    documentKeys.forEach(k -> Inputs.requireKey("filter.documentKey", k));
    if (documentKeys.size() > MAX_DOCUMENT_KEYS) {
      throw new dev.portfolio.core.error.InvalidInputException(
          "filter.documentKeys",
          "filter.documentKeys names "
              + documentKeys.size()
              + " keys; at most "
              + MAX_DOCUMENT_KEYS
              + " are allowed. Split the work into several calls.");
    }
  }

  /**
   * A filter without a document-key restriction.
   *
   * @param sourceIds documents from one of these sources
   * @param workspace documents of this workspace, or null for any
   * @param statuses documents with one of these statuses
   * @param metadata documents whose metadata has each of these entries
   */
  public SearchFilter(
      Set<String> sourceIds,
      String workspace,
      Set<DocumentStatus> statuses,
      Map<String, String> metadata) {
    this(sourceIds, workspace, statuses, metadata, Set.of());
  }

  /**
   * Returns the filter that keeps every document except soft-deleted ones.
   *
   * @return the empty filter
   */
  public static SearchFilter none() {
    return NONE;
  }

  /**
   * Starts building a filter.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the statuses this filter admits, with the default applied.
   *
   * @return the admitted statuses, never empty
   */
  public Set<DocumentStatus> effectiveStatuses() {
    if (!statuses.isEmpty()) {
      return statuses;
    }
    EnumSet<DocumentStatus> s = EnumSet.allOf(DocumentStatus.class);
    s.remove(DocumentStatus.DELETED);
    return s;
  }

  /**
   * Tells whether a document passes this filter.
   *
   * @param document the document
   * @return true when every condition holds
   */
  public boolean matches(Document document) {
    if (!sourceIds.isEmpty() && !sourceIds.contains(document.sourceId())) {
      return false;
    }
    if (workspace != null && !workspace.equals(document.workspace())) {
      return false;
    }
    if (!documentKeys.isEmpty() && !documentKeys.contains(document.key())) {
      return false;
    }
    if (!effectiveStatuses().contains(document.status())) {
      return false;
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (!e.getValue().equals(document.metadata().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Builds a {@link SearchFilter}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Set<String> sourceIds = new LinkedHashSet<>();
    private String workspace;
    private final Set<DocumentStatus> statuses = EnumSet.noneOf(DocumentStatus.class);
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<String> documentKeys = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Admits the document with this key (repeat, or use {@link #documentKeys}, for several).
     *
     * @param key the document key
     * @return this builder
     */
    public Builder documentKey(String key) {
      documentKeys.add(Inputs.requireKey("filter.documentKey", key));
      return this;
    }

    /**
     * Admits the documents with these keys.
     *
     * @param keys the document keys
     * @return this builder
     */
    public Builder documentKeys(java.util.Collection<String> keys) {
      Inputs.requireNonNull("filter.documentKeys", keys).forEach(this::documentKey);
      return this;
    }

    /**
     * Admits documents from this source (repeat for several).
     *
     * @param sourceId the source id
     * @return this builder
     */
    public Builder sourceId(String sourceId) {
      sourceIds.add(Inputs.requireKey("filter.sourceId", sourceId));
      return this;
    }

    /**
     * Admits only documents of this workspace.
     *
     * @param value the workspace
     * @return this builder
     */
    public Builder workspace(String value) {
      this.workspace = value;
      return this;
    }

    /**
     * Admits documents with this status (repeat for several).
     *
     * @param status the status
     * @return this builder
     */
    public Builder status(DocumentStatus status) {
      statuses.add(Inputs.requireNonNull("filter.status", status));
      return this;
    }

    /**
     * Admits documents of every status, soft-deleted ones included (by default they are left out).
     *
     * @return this builder
     */
    public Builder includeDeleted() {
      statuses.addAll(EnumSet.allOf(DocumentStatus.class));
      return this;
    }

    /**
     * Admits only documents whose metadata has this entry.
     *
     * @param name the metadata key
     * @param value the required value
     * @return this builder
     */
    public Builder metadata(String name, String value) {
      metadata.put(
          Inputs.requireNonNull("filter.metadata key", name),
          Inputs.requireNonNull("filter.metadata value", value));
      return this;
    }

    /**
     * Builds the filter.
     *
     * @return the filter
     */
    public SearchFilter build() {
      return new SearchFilter(sourceIds, workspace, statuses, metadata, documentKeys);
    }
  }
}
