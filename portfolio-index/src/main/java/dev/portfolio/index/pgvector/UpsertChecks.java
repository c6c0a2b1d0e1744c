package dev.portfolio.index.pgvector;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.validation.Inputs;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Per-document checks of an upsert: a document that fails one is reported and not written. */
final class UpsertChecks {
  private UpsertChecks() {}

  /**
   * Explains why a document cannot be stored in a collection.
   *
   * @param doc the document
   * @param collection the collection name (for messages)
   * @param dimension the collection's dimension
   * @return the reason, or empty when it can be stored
   */
  static Optional<String> problem(DocumentInput doc, String collection, int dimension) {
    if (doc.status() == DocumentStatus.DELETED) {
      return Optional.of(
          "status DELETED cannot be upserted; store the document with another status and call"
              + " softDelete to hide it");
    }
    if (doc.fingerprint() != null && doc.fingerprint().indexOf('\0') >= 0) {
      return Optional.of("fingerprint contains a NUL character (U+0000); remove it");
    }
    Optional<String> meta = Inputs.metadataProblem(doc.metadata());
    if (meta.isPresent()) {
      return meta;
    }
    Set<Integer> ordinals = new HashSet<>();
    for (ChunkInput chunk : doc.chunks()) {
      String at = "chunk " + chunk.ordinal() + ": ";
      if (!ordinals.add(chunk.ordinal())) {
        return Optional.of(at + "ordinal " + chunk.ordinal() + " appears more than once");
      }
      Optional<String> text = Inputs.chunkTextProblem(chunk.text());
      if (text.isPresent()) {
        return Optional.of(at + text.get());
      }
      Optional<String> chunkMeta = Inputs.metadataProblem(chunk.metadata());
      if (chunkMeta.isPresent()) {
        return Optional.of(at + chunkMeta.get());
      }
      if (chunk.embedding() != null) {
        if (chunk.embedding().dimension() != dimension) {
          return Optional.of(
              at
                  + "Dimension mismatch: the embedding has "
                  + chunk.embedding().dimension()
                  + " dimensions but collection '"
                  + collection
                  + "' stores "
                  + dimension);
        }
        for (int i = 0; i < dimension; i++) {
          if (!Float.isFinite(chunk.embedding().get(i))) {
            return Optional.of(
                at + "embedding component " + i + " is not a finite number; check the embedder");
          }
        }
        if (chunk.embeddingModel().indexOf('\0') >= 0) {
          return Optional.of(at + "embeddingModel contains a NUL character (U+0000)");
        }
      }
    }
    return Optional.empty();
  }
}
