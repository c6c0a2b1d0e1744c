package dev.portfolio.maintenance.domains;

import dev.portfolio.core.model.CollectionSpec;
import java.util.Objects;

/**
 * One collection a {@link DomainPlan} expects: a source's collection of one type.
 *
 * @param spec the collection's name, model, dimension and distance
 * @param source the source it is for
 * @param type the type of content it holds
 * @since 0.1.0
 */
public record DomainCollection(CollectionSpec spec, DomainSource source, DomainType type) {
  /** Validates the components. */
  public DomainCollection {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
  }

  /**
   * Returns the collection name.
   *
   * @return the name
   */
  public String name() {
    return spec.name();
  }
}
