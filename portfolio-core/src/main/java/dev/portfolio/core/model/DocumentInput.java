package dev.portfolio.core.model;

import dev.portfolio.core.validation.Inputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document to store together with all of its chunks. Storing it replaces any chunks the document
 * had before. Build one with {@link #builder(String)}.
 *
 * @param key the host-supplied key, unique within the collection
 * @param sourceId the source it came from; defaults to the key
 * @param workspace the tenant or workspace, or null
 * @param status the status to store; defaults to {@link DocumentStatus#READY} when every chunk has
 *     an embedding and {@link DocumentStatus#PENDING} otherwise
 * @param fingerprint the content fingerprint, or null
 * @param metadata string metadata, never null
 * @param chunks the chunks, never null, may be empty
 * @since 0.1.0
 */
public record DocumentInput(
    String key,
    String sourceId,
    String workspace,
    DocumentStatus status,
    String fingerprint,
    Map<String, String> metadata,
    List<ChunkInput> chunks) {
  /** Validates the identity components and copies collections. */
  public DocumentInput {
    Inputs.requireKey("key", key);
    sourceId = sourceId == null ? key : Inputs.requireKey("sourceId", sourceId);
    Inputs.optionalKey("workspace", workspace);
    chunks = List.copyOf(Inputs.requireNonNull("chunks", chunks));
    if (status == null) {
      status =
          chunks.stream().allMatch(c -> c.embedding() != null)
              ? DocumentStatus.READY
              : DocumentStatus.PENDING;
    }
    metadata =
        metadata == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * Starts building a document.
   *
   * @param key the host-supplied key, unique within the collection
   * @return a builder
   */
  public static Builder builder(String key) {
    return new Builder(key);
  }

  /**
   * Builds a {@link DocumentInput}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String key;
    private String sourceId;
    private String workspace;
    private DocumentStatus status;
    private String fingerprint;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ChunkInput> chunks = new ArrayList<>();

    private Builder(String key) {
      this.key = key;
    }

    /**
     * Sets the source id (default: the key).
     *
     * @param sourceId the source id
     * @return this builder
     */
    public Builder sourceId(String sourceId) {
      this.sourceId = sourceId;
      return this;
    }

    /**
     * Sets the workspace (default: none).
     *
     * @param workspace the workspace
     * @return this builder
     */
    public Builder workspace(String workspace) {
      this.workspace = workspace;
      return this;
    }

    /**
     * Sets the status (default: derived from whether every chunk has an embedding).
     *
     * @param status the status
     * @return this builder
     */
    public Builder status(DocumentStatus status) {
      this.status = status;
      return this;
    }

    /**
     * Sets the content fingerprint (default: none).
     *
     * @param fingerprint the fingerprint
     * @return this builder
     */
    public Builder fingerprint(String fingerprint) {
      this.fingerprint = fingerprint;
      return this;
    }

    /**
     * Adds one metadata entry.
     *
     * @param name the key
     * @param value the value
     * @return this builder
     */
    public Builder metadata(String name, String value) {
      metadata.put(name, value);
      return this;
    }

    /**
     * Adds all entries of a metadata map.
     *
     * @param values the entries
     * @return this builder
     */
    public Builder metadata(Map<String, String> values) {
      metadata.putAll(Inputs.requireNonNull("metadata", values));
      return this;
    }

    /**
     * Adds one chunk.
     *
     * @param chunk the chunk
     * @return this builder
     */
    public Builder chunk(ChunkInput chunk) {
      chunks.add(Inputs.requireNonNull("chunk", chunk));
      return this;
    }

    /**
     * Adds chunks.
     *
     * @param values the chunks
     * @return this builder
     */
    public Builder chunks(List<ChunkInput> values) {
      Inputs.requireNonNull("chunks", values).forEach(this::chunk);
      return this;
    }

    /**
     * Builds the document.
     *
     * @return the document input
     * @throws dev.portfolio.core.error.InvalidInputException when the key, source id or workspace
     *     is invalid
     */
    public DocumentInput build() {
      return new DocumentInput(key, sourceId, workspace, status, fingerprint, metadata, chunks);
    }
  }
}
