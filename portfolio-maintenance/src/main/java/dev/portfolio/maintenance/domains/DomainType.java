package dev.portfolio.maintenance.domains;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.validation.Inputs;
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
 * @since 0.1.0
 */
public record DomainType(String name, String model, int dimension, Distance distance) {
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
