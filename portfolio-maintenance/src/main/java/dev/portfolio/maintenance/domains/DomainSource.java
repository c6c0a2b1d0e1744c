package dev.portfolio.maintenance.domains;

import dev.portfolio.core.validation.Inputs;

/**
 * A source of documents in a {@link DomainPlan}: one domain, which gets one collection per type.
 *
 * @param id the source id, as documents carry it ({@code source_id}); not blank, unique in a plan
 * @param title the human title the collection names derive from ({@code {sanitized_source_title}});
 *     not blank
 * @since 0.1.0
 */
public record DomainSource(String id, String title) {
  /** Validates the components. */
  public DomainSource {
    Inputs.requireKey("source.id", id);
    Inputs.requireKey("source.title", title);
  }
}
