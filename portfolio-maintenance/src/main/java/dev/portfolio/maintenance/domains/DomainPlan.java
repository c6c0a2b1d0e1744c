package dev.portfolio.maintenance.domains;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.core.validation.Inputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collections a set of domains needs, declared: the sources (id and title), the types of
 * content (name, model, dimension, distance, metadata filters), and the pattern that names each
 * source's collection of each type. Immutable; {@link Builder#build()} computes every name and
 * rejects the plan, before anything is created, when a name cannot be formed or two of them
 * collide.
 *
 * <pre>{@code
 * DomainPlan plan = DomainPlan.builder()
 *     .pattern("{sanitized_source_title}_{type}")          // the default
 *     .source("wiki-eng", "Engineering Wiki")
 *     .source("wiki-sales", "Ventes & Marketing")
 *     .type(DomainType.of("docs", "onnx:all-minilm-l6-v2", 384))
 *     .type(new DomainType("code", "voyage:voyage-code-3", 1024, Distance.COSINE))
 *     .build();
 * plan.collections();   // engineering_wiki_docs, engineering_wiki_code, ventes_marketing_docs, ...
 * }</pre>
 *
 * <p>The pattern's placeholders are {@value #TITLE} (the source's title, sanitised by {@link
 * DomainNames}), {@value #SOURCE_ID} (the source's id, sanitised the same way) and {@value #TYPE}
 * (the type's name, as is); the rest of the pattern is kept as is and may only hold {@code a-z},
 * {@code 0-9}, {@code _} and {@code -}. When a name would exceed {@value DomainNames#MAX_LENGTH}
 * characters, the sanitised fragments share the room left by the rest and are shortened with a hash
 * ({@link DomainNames#sanitize(String, int)}).
 *
 * <p>A plan can be read from JSON ({@link #fromJson}, {@link #read}):
 *
 * <pre>{@code
 * {
 *   "pattern": "{sanitized_source_title}_{type}",
 *   "sources": [ { "id": "wiki-eng", "title": "Engineering Wiki" } ],
 *   "types": [ { "name": "docs", "model": "onnx:all-minilm-l6-v2", "dimension": 384,
 *                "distance": "cosine", "filters": ["lang", "product"] } ]
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DomainPlan {
  /** The placeholder of the sanitised source title: {@value}. */
  public static final String TITLE = "{sanitized_source_title}";

  /** The placeholder of the sanitised source id: {@value}. */
  public static final String SOURCE_ID = "{source_id}";

  /** The placeholder of the type's name: {@value}. */
  public static final String TYPE = "{type}";

  /** The default pattern: {@value}. */
  public static final String DEFAULT_PATTERN = TITLE + "_" + TYPE;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");
  private static final Pattern LITERAL = Pattern.compile("[a-z0-9_-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String pattern;
  private final List<DomainSource> sources;
  private final List<DomainType> types;
  private final List<DomainCollection> collections;

  private DomainPlan(Builder b, List<DomainCollection> collections) {
    this.pattern = b.pattern;
    this.sources = List.copyOf(b.sources);
    this.types = List.copyOf(b.types);
    this.collections = List.copyOf(collections);
  }

  /**
   * Starts building a plan.
   *
   * @return a builder with the default pattern and no sources or types
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the name pattern.
   *
   * @return the pattern (default: {@value #DEFAULT_PATTERN})
   */
  public String pattern() {
    return pattern;
  }

  /**
   * Returns the sources, in the order given.
   *
   * @return the sources, never empty
   */
  public List<DomainSource> sources() {
    return sources;
  }

  /**
   * Returns the types, in the order given.
   *
   * @return the types, never empty
   */
  public List<DomainType> types() {
    return types;
  }

  /**
   * Returns every collection the plan expects: for each source in order, one per type in order.
   * Names are distinct and valid collection names.
   *
   * @return the collections
   */
  public List<DomainCollection> collections() {
    return collections;
  }

  /**
   * Returns the expected collection of one source and type.
   *
   * @param sourceId the source's id
   * @param type the type's name
   * @return the collection
   * @throws InvalidInputException when the plan has no such source or type
   */
  public DomainCollection collection(String sourceId, String type) {
    return collections.stream()
        .filter(c -> c.source().id().equals(sourceId) && c.type().name().equals(type))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "sourceId",
                    "The plan has no source \""
                        + Inputs.printable(sourceId)
                        + "\" with type \""
                        + Inputs.printable(type)
                        + "\""));
  }

  /**
   * Reads a plan from a JSON file (UTF-8), as {@link #fromJson}.
   *
   * @param file the file
   * @return the plan
   * @throws InvalidInputException when the file is missing or unreadable, or the plan invalid; the
   *     message names the file
   */
  public static DomainPlan read(Path file) {
    Inputs.requireNonNull("file", file);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("plan", "Plan file " + file + " does not exist");
    } catch (IOException e) {
      throw new InvalidInputException(
          "plan", "Cannot read plan file " + file + ": " + e.getMessage());
    }
    try {
      return fromJson(text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.argument(), "Plan file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads a plan from JSON: an object with {@code pattern} (optional, default {@value
   * #DEFAULT_PATTERN}), {@code sources} (objects with {@code id} and {@code title}) and {@code
   * types} (objects with {@code name}, {@code model}, {@code dimension}, optional {@code distance}:
   * {@code cosine} (default), {@code l2} or {@code inner_product}, and optional {@code filters}:
   * the document metadata keys searches of the type's collections filter on, default none). Unknown
   * keys are rejected, so that a misspelt key is not silently ignored.
   *
   * @param json the JSON text
   * @return the plan
   * @throws InvalidInputException when the JSON is malformed or the plan invalid, naming the key
   */
  public static DomainPlan fromJson(String json) {
    Inputs.requireNonNull("json", json);
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "plan",
          "not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(
          "plan", "a plan must be a JSON object with \"sources\" and \"types\"");
    }
    onlyKeys(root, "plan", Set.of("pattern", "sources", "types"));
    Builder b = builder();
    if (root.has("pattern")) {
      b.pattern(text(root, "pattern", "plan"));
    }
    int i = 0;
    for (JsonNode s : array(root, "sources")) {
      String where = "sources[" + i++ + "]";
      object(s, where);
      onlyKeys(s, where, Set.of("id", "title"));
      b.source(text(s, "id", where), text(s, "title", where));
    }
    i = 0;
    for (JsonNode t : array(root, "types")) {
      String where = "types[" + i++ + "]";
      object(t, where);
      onlyKeys(t, where, Set.of("name", "model", "dimension", "distance", "filters"));
      JsonNode dim = t.get("dimension");
      if (dim == null || !dim.canConvertToInt() || !dim.isIntegralNumber()) {
        throw new InvalidInputException(
            where + ".dimension", where + ".dimension must be a whole number (was " + dim + ")");
      }
      Distance distance =
          t.has("distance")
              ? distance(text(t, "distance", where), where + ".distance")
              : Distance.COSINE;
      b.type(
          new DomainType(
              text(t, "name", where),
              text(t, "model", where),
              dim.intValue(),
              distance,
              filters(t, where + ".filters")));
    }
    return b.build();
  }

  /**
   * Reads a distance name: {@code cosine}, {@code l2} or {@code inner_product} ({@code
   * inner-product}), in any case.
   *
   * @param value the name
   * @param argument the argument named in the message
   * @return the distance
   * @throws InvalidInputException for another name
   */
  public static Distance distance(String value, String argument) {
    String v = value.toLowerCase(Locale.ROOT).replace('-', '_');
    for (Distance d : Distance.values()) {
      if (d.name().toLowerCase(Locale.ROOT).equals(v)) {
        return d;
      }
    }
    throw new InvalidInputException(
        argument,
        argument
            + " must be cosine, l2 or inner_product (was \""
            + Inputs.printable(value)
            + "\")");
  }

  @Override
  public String toString() {
    return "DomainPlan[pattern="
        + pattern
        + ", sources="
        + sources.size()
        + ", types="
        + types.size()
        + ", collections="
        + collections.size()
        + "]";
  }

  private static Iterable<JsonNode> array(JsonNode root, String key) {
    JsonNode a = root.get(key);
    if (a == null || !a.isArray()) {
      throw new InvalidInputException(key, "plan." + key + " must be a JSON array");
    }
    return a;
  }

  /** Reads a type's optional {@code filters}: an array of distinct, valid metadata keys. */
  private static Set<String> filters(JsonNode type, String where) {
    JsonNode a = type.get("filters");
    if (a == null) {
      return Set.of();
    }
    if (!a.isArray()) {
      throw new InvalidInputException(
          where,
          where
              + " must be a JSON array of metadata keys, for example [\"lang\", \"product\"] (was "
              + Inputs.printable(a.toString())
              + ")");
    }
    List<String> keys = new ArrayList<>();
    int i = 0;
    for (JsonNode k : a) {
      if (!k.isTextual()) {
        throw new InvalidInputException(
            where + "[" + i + "]",
            where
                + "["
                + i
                + "] must be a JSON string, a metadata key (was "
                + Inputs.printable(k.toString())
                + ")");
      }
      keys.add(k.textValue());
      i++;
    }
    return MetadataFilters.validateKeys(where, keys);
  }

  private static void object(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new InvalidInputException(where, where + " must be a JSON object (was " + node + ")");
    }
  }

  private static void onlyKeys(JsonNode node, String where, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new InvalidInputException(
            where,
            where
                + " has an unknown key \""
                + Inputs.printable(n)
                + "\"; the keys are "
                + allowed.stream().sorted().toList());
      }
    }
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw new InvalidInputException(
          where + "." + key, where + "." + key + " must be a JSON string (was " + v + ")");
    }
    return v.textValue();
  }

  /** A piece of a pattern: a literal, or a placeholder. */
  private record Piece(String literal, String placeholder) {}

  private static List<Piece> parse(String pattern) {
    List<Piece> pieces = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(pattern);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        pieces.add(literal(pattern, pattern.substring(at, m.start())));
      }
      String p = m.group();
      if (!p.equals(TITLE) && !p.equals(SOURCE_ID) && !p.equals(TYPE)) {
        throw new InvalidInputException(
            "pattern",
            "pattern \""
                + Inputs.printable(pattern)
                + "\" has an unknown placeholder "
                + Inputs.printable(p)
                + "; the placeholders are "
                + TITLE
                + ", "
                + SOURCE_ID
                + " and "
                + TYPE);
      }
      pieces.add(new Piece(null, p));
      at = m.end();
    }
    if (at < pattern.length()) {
      pieces.add(literal(pattern, pattern.substring(at)));
    }
    return pieces;
  }

  private static Piece literal(String pattern, String text) {
    if (!LITERAL.matcher(text).matches()) {
      throw new InvalidInputException(
          "pattern",
          "pattern \""
              + Inputs.printable(pattern)
              + "\" has \""
              + Inputs.printable(text)
              + "\" outside placeholders; only a-z, 0-9, '_' and '-' may appear there");
    }
    return new Piece(text, null);
  }

  /**
   * Builds a {@link DomainPlan}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private String pattern = DEFAULT_PATTERN;
    private final List<DomainSource> sources = new ArrayList<>();
    private final List<DomainType> types = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the name pattern.
     *
     * @param value the pattern (default: {@value #DEFAULT_PATTERN})
     * @return this builder
     */
    public Builder pattern(String value) {
      this.pattern = value;
      return this;
    }

    /**
     * Adds a source.
     *
     * @param value the source
     * @return this builder
     */
    public Builder source(DomainSource value) {
      sources.add(Inputs.requireNonNull("source", value));
      return this;
    }

    /**
     * Adds a source.
     *
     * @param id its id
     * @param title its title
     * @return this builder
     */
    public Builder source(String id, String title) {
      return source(new DomainSource(id, title));
    }

    /**
     * Adds a type.
     *
     * @param value the type
     * @return this builder
     */
    public Builder type(DomainType value) {
      types.add(Inputs.requireNonNull("type", value));
      return this;
    }

    /**
     * Validates the plan and computes its collections.
     *
     * @return the plan
     * @throws InvalidInputException when there is no source or no type, a source id or type name is
     *     repeated, the pattern is invalid or misses a placeholder the plan needs, a name cannot
     *     fit, or two collections would get the same name (the message names both)
     */
    public DomainPlan build() {
      Inputs.requireKey("pattern", pattern);
      Inputs.requireNonEmpty("sources", sources);
      Inputs.requireNonEmpty("types", types);
      unique("sources", sources.stream().map(DomainSource::id).toList(), "source id");
      unique("types", types.stream().map(DomainType::name).toList(), "type name");
      List<Piece> pieces = parse(pattern);
      boolean hasSource =
          pieces.stream()
              .anyMatch(p -> TITLE.equals(p.placeholder()) || SOURCE_ID.equals(p.placeholder()));
      boolean hasType = pieces.stream().anyMatch(p -> TYPE.equals(p.placeholder()));
      if (sources.size() > 1 && !hasSource) {
        throw new InvalidInputException(
            "pattern",
            "pattern \""
                + Inputs.printable(pattern)
                + "\" has neither "
                + TITLE
                + " nor "
                + SOURCE_ID
                + ", so the plan's "
                + sources.size()
                + " sources would share each name; add one of them");
      }
      if (types.size() > 1 && !hasType) {
        throw new InvalidInputException(
            "pattern",
            "pattern \""
                + Inputs.printable(pattern)
                + "\" has no "
                + TYPE
                + ", so the plan's "
                + types.size()
                + " types would share each name; add it");
      }
      if (!pieces.isEmpty() && pieces.get(0).literal() != null) {
        char first = pieces.get(0).literal().charAt(0);
        if (first == '_' || first == '-') {
          throw new InvalidInputException(
              "pattern",
              "pattern \""
                  + Inputs.printable(pattern)
                  + "\" starts with '"
                  + first
                  + "'; collection names must start with a letter or digit");
        }
      }
      List<DomainCollection> out = new ArrayList<>();
      Map<String, DomainCollection> byName = new HashMap<>();
      for (DomainSource s : sources) {
        for (DomainType t : types) {
          String name = name(pieces, s, t);
          DomainCollection c =
              new DomainCollection(
                  new CollectionSpec(name, t.model(), t.dimension(), t.distance()), s, t);
          DomainCollection other = byName.putIfAbsent(name, c);
          if (other != null) {
            throw collision(name, other, c);
          }
          out.add(c);
        }
      }
      return new DomainPlan(this, out);
    }

    private static void unique(String argument, List<String> values, String what) {
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (int i = 0; i < values.size(); i++) {
        Integer first = seen.putIfAbsent(values.get(i), i);
        if (first != null) {
          throw new InvalidInputException(
              argument,
              argument
                  + " "
                  + first
                  + " and "
                  + i
                  + " have the same "
                  + what
                  + " \""
                  + Inputs.printable(values.get(i))
                  + "\"; each must be unique");
        }
      }
    }

    private String name(List<Piece> pieces, DomainSource s, DomainType t) {
      int fixed = 0;
      List<Integer> variable = new ArrayList<>();
      List<String> full = new ArrayList<>();
      for (int i = 0; i < pieces.size(); i++) {
        Piece p = pieces.get(i);
        if (p.literal() != null) {
          fixed += p.literal().length();
        } else if (TYPE.equals(p.placeholder())) {
          fixed += t.name().length();
        } else {
          variable.add(i);
          full.add(DomainNames.sanitize(value(p, s), Integer.MAX_VALUE));
        }
      }
      int room = DomainNames.MAX_LENGTH - fixed;
      int[] allowed = share(full, room);
      String[] fragments = new String[pieces.size()];
      for (int k = 0; k < variable.size(); k++) {
        String f = full.get(k);
        if (f.length() > allowed[k]) {
          if (allowed[k] < DomainNames.HASH_LENGTH) {
            throw new InvalidInputException(
                "pattern",
                "pattern \""
                    + Inputs.printable(pattern)
                    + "\" with type \""
                    + t.name()
                    + "\" leaves "
                    + Math.max(allowed[k], 0)
                    + " characters for "
                    + pieces.get(variable.get(k)).placeholder()
                    + " of source \""
                    + Inputs.printable(s.id())
                    + "\"; at least "
                    + DomainNames.HASH_LENGTH
                    + " are needed. Shorten the pattern or the type name.");
          }
          f = DomainNames.sanitize(value(pieces.get(variable.get(k)), s), allowed[k]);
        }
        fragments[variable.get(k)] = f;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < pieces.size(); i++) {
        Piece p = pieces.get(i);
        if (p.literal() != null) {
          sb.append(p.literal());
        } else if (TYPE.equals(p.placeholder())) {
          sb.append(t.name());
        } else {
          sb.append(fragments[i]);
        }
      }
      return sb.toString();
    }

    private static String value(Piece p, DomainSource s) {
      return TITLE.equals(p.placeholder()) ? s.title() : s.id();
    }

    /** Shares the room among fragments: short ones keep their length, long ones split the rest. */
    private static int[] share(List<String> fragments, int room) {
      int n = fragments.size();
      int[] allowed = new int[n];
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      order.sort((a, b) -> Integer.compare(fragments.get(a).length(), fragments.get(b).length()));
      int left = room;
      for (int k = 0; k < n; k++) {
        int i = order.get(k);
        int share = left / (n - k);
        allowed[i] = Math.min(fragments.get(i).length(), share);
        left -= Math.max(allowed[i], 0);
      }
      return allowed;
    }

    private static InvalidInputException collision(
        String name, DomainCollection first, DomainCollection second) {
      return new InvalidInputException(
          "sources",
          "Collection name collision: \""
              + name
              + "\" is the name of source \""
              + Inputs.printable(first.source().id())
              + "\" (title \""
              + Inputs.printable(first.source().title())
              + "\") type "
              + first.type().name()
              + " and of source \""
              + Inputs.printable(second.source().id())
              + "\" (title \""
              + Inputs.printable(second.source().title())
              + "\") type "
              + second.type().name()
              + ". Change one of the titles, or add "
              + SOURCE_ID
              + " to the pattern. Nothing was created.");
    }
  }
}
