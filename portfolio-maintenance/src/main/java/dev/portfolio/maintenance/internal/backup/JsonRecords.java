package dev.portfolio.maintenance.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON lines of {@code documents.jsonl} and {@code chunks.jsonl}. */
final class JsonRecords {
  private JsonRecords() {}

  /**
   * A document as archived.
   *
   * @param key the key
   * @param sourceId the source id
   * @param workspace the workspace, or null
   * @param status the status
   * @param fingerprint the fingerprint, or null
   * @param metadata the metadata
   * @param error the last error, or null
   * @param attempts the attempts
   */
  record DocumentLine(
      String key,
      String sourceId,
      String workspace,
      DocumentStatus status,
      String fingerprint,
      Map<String, String> metadata,
      String error,
      int attempts) {}

  /**
   * A chunk as archived.
   *
   * @param documentKey the document's key
   * @param ordinal the ordinal
   * @param text the text
   * @param contentHash the content hash
   * @param tokenCount the token count
   * @param metadata the metadata
   */
  record ChunkLine(
      String documentKey,
      int ordinal,
      String text,
      String contentHash,
      int tokenCount,
      Map<String, String> metadata) {}

  static ObjectNode document(ObjectMapper json, Document d) {
    ObjectNode n = json.createObjectNode();
    n.put("key", d.key());
    n.put("source", d.sourceId());
    n.put("workspace", d.workspace());
    n.put("status", d.status().name());
    n.put("fingerprint", d.fingerprint());
    n.set("metadata", json.valueToTree(d.metadata()));
    n.put("error", d.error());
    n.put("attempts", d.attempts());
    n.put("created", instant(d.createdAt()));
    n.put("updated", instant(d.updatedAt()));
    n.put("deleted", instant(d.deletedAt()));
    return n;
  }

  static ObjectNode chunk(ObjectMapper json, Chunk c) {
    ObjectNode n = json.createObjectNode();
    n.put("doc", c.documentKey());
    n.put("ordinal", c.ordinal());
    n.put("text", c.text());
    n.put("hash", c.contentHash());
    n.put("tokens", c.tokenCount());
    n.set("metadata", json.valueToTree(c.metadata()));
    return n;
  }

  static DocumentLine document(JsonNode n) {
    return new DocumentLine(
        text(n, "key", true),
        text(n, "source", true),
        text(n, "workspace", false),
        DocumentStatus.valueOf(text(n, "status", true)),
        text(n, "fingerprint", false),
        map(n.get("metadata")),
        text(n, "error", false),
        n.path("attempts").asInt(0));
  }

  static ChunkLine chunk(JsonNode n) {
    JsonNode ordinal = n.get("ordinal");
    if (ordinal == null || !ordinal.canConvertToInt()) {
      throw new IllegalArgumentException("a chunk line has no integer 'ordinal'");
    }
    return new ChunkLine(
        text(n, "doc", true),
        ordinal.asInt(),
        text(n, "text", true),
        text(n, "hash", false),
        n.path("tokens").asInt(0),
        map(n.get("metadata")));
  }

  private static String text(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("a line has no '" + field + "'");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is not a string");
    }
    return v.asText();
  }

  private static Map<String, String> map(JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    if (n != null && !n.isNull()) {
      if (!n.isObject()) {
        throw new IllegalArgumentException("'metadata' is not an object");
      }
      n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }
}
