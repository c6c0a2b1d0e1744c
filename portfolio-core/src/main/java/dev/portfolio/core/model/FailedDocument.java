package dev.portfolio.core.model;

import java.util.Objects;

/**
 * A {@link DocumentStatus#FAILED} document with the kind of its last failure.
 *
 * @param document the document; {@link Document#error()} is the last reason and {@link
 *     Document#attempts()} the failed attempts so far
 * @param kind the kind of the last failure
 * @since 0.1.0
 */
public record FailedDocument(Document document, FailureKind kind) {
  /** Validates the components. */
  public FailedDocument {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(kind, "kind");
  }
}
