package dev.portfolio.maintenance.ingest;

import java.util.stream.Stream;

/**
 * Reads documents from somewhere (a directory, a wiki, a database) for {@link
 * dev.portfolio.maintenance.Maintenance#ingest(String, DocumentLoader, IngestOptions)}. Hosts
 * implement it for their own formats; {@link DirectoryLoader} reads plain text and Markdown files.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DocumentLoader {
  /**
   * Opens a lazy stream of documents, in a stable order so that a resumed run ({@link
   * IngestOptions#startAt()}) sees the same positions. The caller closes the stream.
   *
   * @return the documents
   * @throws dev.portfolio.core.error.PortfolioException when the source cannot be read
   */
  Stream<IngestDocument> load();
}
