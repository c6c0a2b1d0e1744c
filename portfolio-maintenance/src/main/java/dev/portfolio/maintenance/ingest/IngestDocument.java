package dev.portfolio.maintenance.ingest;

import dev.portfolio.core.validation.Inputs;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A document to ingest: a host key, the source it belongs to, optionally a workspace and a title,
 * its whole text, and metadata. Portfolio chunks, fingerprints and embeds it. Build one with {@link
 * #builder(String)}.
 *
 * <p>Only the key is checked here. The text and the metadata are checked when ingested, document by
 * document, so that one bad document fails with a reason while the rest of its batch is stored.
 *
 * @param key the host-supplied key, unique within the collection
 * @param sourceId the source (a file tree, a site, a table); null means the ingestion's {@link
 *     IngestOptions#sourceId()}, or else the key
 * @param workspace the tenant or workspace, or null
 * @param title the document's title, or null; with {@link IngestOptions#titlePrefix()} it heads
 *     every chunk
 * @param text the whole text
 * @param metadata metadata whose values are strings, numbers, booleans, lists or maps of those
 *     (stored as strings; lists and maps as JSON), immutable, never null
 * @since 0.1.0
 */
public record IngestDocument(
    String key,
    String sourceId,
    String workspace,
    String title,
    String text,
    Map<String, Object> metadata) {
  /** Validates the key and copies the metadata (null values are kept, to be reported). */
  public IngestDocument {
    Inputs.requireKey("key", key);
    metadata =
        metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * Creates a document with a key and a text and nothing else.
   *
   * @param key the key
   * @param text the text
   * @return the document
   */
  public static IngestDocument of(String key, String text) {
    return new IngestDocument(key, null, null, null, text, null);
  }

  /**
   * Starts building a document.
   *
   * @param key the host-supplied key
   * @return a builder
   */
  public static Builder builder(String key) {
    return new Builder(key);
  }

  /**
   * Returns a copy with another text.
   *
   * @param newText the text
   * @return the copy
   */
  public IngestDocument withText(String newText) {
    return new IngestDocument(key, sourceId, workspace, title, newText, metadata);
  }

  /**
   * Builds an {@link IngestDocument}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String key;
    private String sourceId;
    private String workspace;
    private String title;
    private String text;
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    private Builder(String key) {
      this.key = key;
    }

    /**
     * Sets the source id (default: the ingestion's source id, else the key).
     *
     * @param value the source id
     * @return this builder
     */
    public Builder sourceId(String value) {
      this.sourceId = value;
      return this;
    }

    /**
     * Sets the workspace (default: none).
     *
     * @param value the workspace
     * @return this builder
     */
    public Builder workspace(String value) {
      this.workspace = value;
      return this;
    }

    /**
     * Sets the title (default: none).
     *
     * @param value the title
     * @return this builder
     */
    public Builder title(String value) {
      this.title = value;
      return this;
    }

    /**
     * Sets the text (required when ingesting).
     *
     * @param value the text
     * @return this builder
     */
    public Builder text(String value) {
      this.text = value;
      return this;
    }

    /**
     * Adds one metadata entry.
     *
     * @param name the key
     * @param value a string, number, boolean, list or map
     * @return this builder
     */
    public Builder metadata(String name, Object value) {
      metadata.put(name, value);
      return this;
    }

    /**
     * Adds metadata entries.
     *
     * @param values the entries
     * @return this builder
     */
    public Builder metadata(Map<String, ?> values) {
      metadata.putAll(Inputs.requireNonNull("metadata", values));
      return this;
    }

    /**
     * Builds the document.
     *
     * @return the document
     * @throws dev.portfolio.core.error.InvalidInputException when the key is invalid
     */
    public IngestDocument build() {
      return new IngestDocument(key, sourceId, workspace, title, text, metadata);
    }
  }
}
