package dev.portfolio.maintenance.domains;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.MetadataFilters;
import dev.portfolio.core.validation.Inputs;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A type of content in a {@link DomainPlan} (documentation, code, images...): every source gets one
 * collection of each type, with the type's embedding model, dimension and distance.
 *
 * @param name the type's name, inserted as is for {@code {type}}: lower-case ASCII letters, digits,
 *     {@code _} and {@code -}, starting with a letter or digit; unique in a plan
 * @param model the embedding model reference, for example {@code "onnx:all-minilm-l6-v2"}
 * @param dimension the vector dimension, 1 to {@link Inputs#MAX_DIMENSION}
 * @param distance the ranking distance, not null
 * @param filters the document metadata keys searches of the type's collections filter on, sorted;
 *     each declared on every collection of the type ({@link
 *     dev.portfolio.core.spi.VectorStore#defineFilters}), which indexes them; empty (the default)
 *     for none. Keys as {@link MetadataFilters#validateKey}, none twice
 * @since 0.1.0
 */
public record DomainType(
    String name, String model, int dimension, Distance distance, Set<String> filters) {
  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]*$");

  /** Validates every component. */
  public DomainType {
    Inputs.requireNonNull("type.name", name);
    if (!NAME.matcher(name).matches() || name.length() > DomainNames.MAX_LENGTH - 1) {
      throw new InvalidInputException(
          "type.name",
          "Invalid type name \""
              + Inputs.printable(name)
              + "\": it is inserted into collection names as is, so it must match "
              + NAME.pattern()
              + " and be at most "
              + (DomainNames.MAX_LENGTH - 1)
              + " characters long.");
    }
    Inputs.requireKey("type.model", model);
    Inputs.dimension("type.dimension", dimension);
    Inputs.requireNonNull("type.distance", distance);
    filters =
        Collections.unmodifiableSortedSet(
            MetadataFilters.validateKeys(
                "type.filters", filters == null ? List.of() : new java.util.ArrayList<>(filters)));
  }

  /**
   * Creates a type without filters.
   *
   * @param name the type's name
   * @param model the embedding model reference
   * @param dimension the vector dimension
   * @param distance the ranking distance
   */
  public DomainType(String name, String model, int dimension, Distance distance) {
    this(name, model, dimension, distance, Set.of());
  }

  /**
   * Returns this type with the metadata filters of its collections.
   *
   * @param keys the document metadata keys searches filter on; none twice
   * @return a copy with these filters instead of the current ones
   * @throws dev.portfolio.core.error.InvalidInputException for an invalid or repeated key
   */
  public DomainType withFilters(String... keys) {
    return new DomainType(
        name,
        model,
        dimension,
        distance,
        MetadataFilters.validateKeys("type.filters", java.util.Arrays.asList(keys)));
  }

  /**
   * Creates a type ranked by cosine distance.
   *
   * @param name the type's name
   * @param model the embedding model reference
   * @param dimension the vector dimension
   * @return the type
   */
  public static DomainType of(String name, String model, int dimension) {
    return new DomainType(name, model, dimension, Distance.COSINE);
  }
}
