package dev.portfolio.maintenance.internal;

import dev.portfolio.core.validation.Inputs;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an ingested document's metadata into the string map stores keep: strings as they are,
 * numbers and booleans as their JSON text, lists, arrays and maps as JSON. Anything else (an
 * arbitrary object, a NaN, a null, a map with non-string keys, a cycle) is not JSON-serialisable
 * and is reported with the key that holds it.
 */
final class MetadataStrings {
  private static final int MAX_DEPTH = 64;

  private MetadataStrings() {}

  /** The converted map, or the reason it cannot be converted. */
  record Converted(Map<String, String> values, String problem) {}

  static Converted convert(Map<String, Object> metadata) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : metadata.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isEmpty()) {
        return new Converted(null, "metadata has an empty or null key; name every entry");
      }
      Object value = e.getValue();
      if (value == null) {
        return new Converted(
            null,
            "metadata key \""
                + Inputs.printable(key)
                + "\" is null; use an empty string or leave the key out");
      }
      if (value instanceof String s) {
        out.put(key, s);
        continue;
      }
      StringBuilder json = new StringBuilder();
      Optional<String> problem = write(value, json, new IdentityHashMap<>(), 0);
      if (problem.isPresent()) {
        return new Converted(
            null,
            "metadata key \""
                + Inputs.printable(key)
                + "\" is not JSON-serialisable: "
                + problem.get()
                + ". Pass strings, numbers, booleans, or lists and maps of them.");
      }
      out.put(key, json.toString());
    }
    Optional<String> stored = Inputs.metadataProblem(out);
    return stored.map(p -> new Converted(null, p)).orElseGet(() -> new Converted(out, null));
  }

  private static Optional<String> write(
      Object v, StringBuilder out, IdentityHashMap<Object, Boolean> open, int depth) {
    if (depth > MAX_DEPTH) {
      return Optional.of("it nests deeper than " + MAX_DEPTH + " levels");
    }
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(s, out);
    } else if (v instanceof Boolean b) {
      out.append(b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        return Optional.of("the number " + d + " has no JSON form");
      }
      out.append(v);
    } else if (v instanceof Byte
        || v instanceof Short
        || v instanceof Integer
        || v instanceof Long
        || v instanceof java.math.BigInteger
        || v instanceof java.math.BigDecimal) {
      out.append(v instanceof java.math.BigDecimal bd ? bd.toPlainString() : v.toString());
    } else if (v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray()) {
      if (open.put(v, Boolean.TRUE) != null) {
        return Optional.of("it contains itself");
      }
      Optional<String> p = container(v, out, open, depth);
      open.remove(v);
      return p;
    } else {
      return Optional.of("it holds a " + v.getClass().getName());
    }
    return Optional.empty();
  }

  private static Optional<String> container(
      Object v, StringBuilder out, IdentityHashMap<Object, Boolean> open, int depth) {
    if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          return Optional.of("a map key is a " + describe(e.getKey()) + ", not a string");
        }
        out.append(first ? "" : ",");
        first = false;
        string(k, out);
        out.append(':');
        Optional<String> p = write(e.getValue(), out, open, depth + 1);
        if (p.isPresent()) {
          return p;
        }
      }
      out.append('}');
      return Optional.empty();
    }
    out.append('[');
    if (v instanceof Collection<?> c) {
      boolean first = true;
      for (Object item : c) {
        out.append(first ? "" : ",");
        first = false;
        Optional<String> p = write(item, out, open, depth + 1);
        if (p.isPresent()) {
          return p;
        }
      }
    } else {
      for (int i = 0; i < Array.getLength(v); i++) {
        out.append(i == 0 ? "" : ",");
        Optional<String> p = write(Array.get(v, i), out, open, depth + 1);
        if (p.isPresent()) {
          return p;
        }
      }
    }
    out.append(']');
    return Optional.empty();
  }

  private static String describe(Object o) {
    return o == null ? "null" : o.getClass().getName();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
