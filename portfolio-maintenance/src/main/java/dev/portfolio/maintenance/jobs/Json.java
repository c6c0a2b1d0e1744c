package dev.portfolio.maintenance.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link JobParams} to and from the JSON objects stored in {@code jsonb} columns. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String write(JobParams params) {
    ObjectNode node = MAPPER.createObjectNode();
    params.asMap().forEach(node::put);
    return node.toString();
  }

  static JobParams read(String json) {
    if (json == null || json.isBlank()) {
      return JobParams.empty();
    }
    try {
      JsonNode node = MAPPER.readTree(json);
      if (!node.isObject()) {
        throw new NonRetriableException(
            ErrorCode.INTERNAL, "A job's parameters are not a JSON object: " + json);
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode v = e.getValue();
        if (!v.isNull()) {
          out.put(e.getKey(), v.isTextual() ? v.textValue() : v.toString());
        }
      }
      return JobParams.of(out);
    } catch (JsonProcessingException e) {
      throw new NonRetriableException(
          ErrorCode.INTERNAL,
          "A job's parameters are not valid JSON: " + e.getOriginalMessage(),
          e);
    }
  }
}
