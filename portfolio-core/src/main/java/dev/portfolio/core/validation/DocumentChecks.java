package dev.portfolio.core.validation;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates documents the way every {@link dev.portfolio.core.spi.VectorStore} must before an
 * upsert: each document on its own, so one bad document is reported without losing the good ones of
 * the same batch. Stores share these checks so the same bad input gets the same reason whichever
 * store receives it.
 *
 * @since 0.1.0
 */
public final class DocumentChecks {
  private DocumentChecks() {}

  /**
   * Explains why a document cannot be stored in a collection of the given dimension, or returns
   * empty when it can. Checks the document metadata and fingerprint, then each chunk in the given
   * order: duplicate ordinal, text ({@link Inputs#chunkTextProblem}), metadata ({@link
   * Inputs#metadataProblem}) and embedding dimension. Only the first problem is reported; a reason
   * about a chunk starts with {@code "chunk <ordinal>: "}.
   *
   * @param doc the document, may be null (reported as a problem)
   * @param collectionDimension the dimension of the collection's vectors
   * @return the reason the document is invalid, or empty
   */
  public static Optional<String> problem(DocumentInput doc, int collectionDimension) {
    if (doc == null) {
      return Optional.of("document is null");
    }
    Optional<String> metadata = Inputs.metadataProblem(doc.metadata());
    if (metadata.isPresent()) {
      return Optional.of("document " + metadata.get());
    }
    if (doc.fingerprint() != null && doc.fingerprint().indexOf('\0') >= 0) {
      return Optional.of("fingerprint contains a NUL character (U+0000); remove it");
    }
    if (doc.chunks().isEmpty()) {
      return Optional.of(
          "document has no chunks; store at least one (a document without content cannot be"
              + " searched, and would look like an interrupted write to health checks)");
    }
    Set<Integer> ordinals = new HashSet<>();
    for (ChunkInput chunk : doc.chunks()) {
      int ordinal = chunk.ordinal();
      if (!ordinals.add(ordinal)) {
        return Optional.of(
            "chunk ordinal "
                + ordinal
                + " appears more than once; ordinals must be unique within a document");
      }
      Optional<String> text = Inputs.chunkTextProblem(chunk.text());
      if (text.isPresent()) {
        return Optional.of("chunk " + ordinal + ": " + text.get());
      }
      Optional<String> chunkMetadata = Inputs.metadataProblem(chunk.metadata());
      if (chunkMetadata.isPresent()) {
        return Optional.of("chunk " + ordinal + ": " + chunkMetadata.get());
      }
      if (chunk.embedding() != null && chunk.embedding().dimension() != collectionDimension) {
        return Optional.of(
            "chunk "
                + ordinal
                + ": the embedding has "
                + chunk.embedding().dimension()
                + " dimensions but the collection stores "
                + collectionDimension
                + ". Embed it with the collection's model, or store it in a collection of "
                + chunk.embedding().dimension()
                + " dimensions.");
      }
    }
    return Optional.empty();
  }

  /**
   * Validates a whole upsert batch: every document with {@link #problem}, plus keys that appear
   * more than once (every occurrence after the first is rejected, whatever the first one's fate).
   *
   * @param documents the batch, not null; null elements are reported as problems
   * @param collectionDimension the dimension of the collection's vectors
   * @return the reason for each rejected document, keyed by its index in the batch, in index order;
   *     empty when every document can be stored
   */
  public static Map<Integer, String> batchProblems(
      List<DocumentInput> documents, int collectionDimension) {
    Inputs.requireNonNull("documents", documents);
    Map<Integer, String> problems = new TreeMap<>();
    Map<String, Integer> firstIndexByKey = new HashMap<>();
    for (int i = 0; i < documents.size(); i++) {
      DocumentInput doc = documents.get(i);
      if (doc != null) {
        Integer first = firstIndexByKey.putIfAbsent(doc.key(), i);
        if (first != null) {
          problems.put(
              i,
              "key \""
                  + Inputs.printable(doc.key())
                  + "\" appears more than once in this batch (first at index "
                  + first
                  + "); send each document once per batch");
          continue;
        }
      }
      final int index = i;
      problem(doc, collectionDimension).ifPresent(p -> problems.put(index, p));
    }
    return problems;
  }
}
