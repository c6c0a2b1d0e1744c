package dev.portfolio.maintenance.internal.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.pgvector.PgCollectionExport;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.maintenance.backup.ArchivedCollection;
import dev.portfolio.maintenance.backup.ArchivedCollection.ArchivedSet;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.internal.backup.VectorRecords.VectorRecord;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes collections into an archive. On PostgreSQL ({@link PgVectorStore}) the rows stream out
 * with {@code COPY ... TO STDOUT (FORMAT binary)} in one read-only snapshot ({@link
 * PgCollectionExport}) straight into their entries. Any other store is read through the {@link
 * VectorStore} SPI, page by page: documents in keyset pages, their chunks (with the active set's
 * vectors) by document key, so memory holds one page; the documents and vectors entries are staged
 * in temporary files beside the archive while the chunks entry streams, then copied in. Both paths
 * write the same entries.
 */
public final class BackupRun {
  /** Documents per page. */
  static final int DOCUMENT_PAGE = 500;

  /** Chunks per listing call. */
  static final int CHUNK_PAGE = 2_000;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final VectorStore store;
  private final ProgressReporter reporter;
  // Without this, every line flushed the archive's file buffer: one write system call per line.
  private final ObjectMapper json =
      new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  /**
   * Prepares a backup.
   *
   * @param store the store to read
   * @param reporter where progress goes
   */
  public BackupRun(VectorStore store, ProgressReporter reporter) {
    this.store = store;
    this.reporter = reporter;
  }

  /**
   * Resolves where an archive goes: into a directory under a time-stamped name, or to a file that
   * must not exist.
   *
   * @param target a directory or a file
   * @param prefix the file name prefix, e.g. {@code portfolio-backup}
   * @return the archive path
   */
  public static Path archivePath(Path target, String prefix) {
    Path file =
        Files.isDirectory(target)
            ? target.resolve(prefix + "-" + STAMP.format(Instant.now()) + ".zip")
            : target;
    if (Files.exists(file)) {
      throw new InvalidInputException(
          "target",
          "The backup target "
              + file
              + " exists; backups never overwrite a file. Give a new file name or a directory.");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InvalidInputException(
          "target", "The directory of the backup target " + file + " does not exist.");
    }
    return file;
  }

  /**
   * Writes the archive.
   *
   * @param target a directory (the archive gets a time-stamped name) or a new file
   * @param options what to back up
   * @return what was written
   */
  public BackupResult run(Path target, BackupOptions options) {
    return run(target, options, "portfolio-backup");
  }

  /**
   * Writes the archive under a name prefix of its own.
   *
   * @param target a directory (the archive gets a time-stamped name) or a new file
   * @param options what to back up
   * @param prefix the file name prefix when {@code target} is a directory
   * @return what was written
   */
  public BackupResult run(Path target, BackupOptions options, String prefix) {
    long start = System.nanoTime();
    List<CollectionInfo> collections = resolve(options);
    Path file = archivePath(target, prefix);
    long total = 0;
    for (CollectionInfo c : collections) {
      total += store.stats(c.name()).chunks();
    }
    List<ArchivedCollection> archived = new ArrayList<>();
    try (ProgressTracker progress =
            ProgressTracker.start(reporter, "backup to " + file.getFileName(), total);
        ArchiveWriter writer = new ArchiveWriter(file, json, options.jobs() > 1);
        PgCollectionExport export =
            store instanceof PgVectorStore pg ? PgCollectionExport.open(pg) : null) {
      int index = 1;
      for (CollectionInfo c : collections) {
        String dir = ArchiveFormat.directory(index++);
        archived.add(
            export == null
                ? writeCollection(writer, dir, c, options, progress)
                : copyCollection(export, writer, dir, c, options, progress));
      }
      ObjectNode manifest = json.createObjectNode();
      manifest.put("format", ArchiveFormat.FORMAT);
      manifest.put("formatVersion", ArchiveFormat.VERSION);
      manifest.put("libraryVersion", ArchiveFormat.libraryVersion());
      manifest.put("createdAt", Instant.now().toString());
      manifest.put("store", store.getClass().getSimpleName());
      ArrayNode list = manifest.putArray("collections");
      index = 1;
      for (ArchivedCollection a : archived) {
        ObjectNode n = json.valueToTree(a);
        n.put("directory", ArchiveFormat.directory(index++));
        list.add(n);
      }
      String sha = writer.finish(json, manifest);
      progress.succeed(archived.size() + " collections archived");
      return new BackupResult(
          file, archived, Files.size(file), sha, Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new NonRetriableException(
          ErrorCode.STORE_FAILURE,
          "Writing the backup "
              + file
              + " failed: "
              + e.getMessage()
              + ". Nothing was left behind; check the disk space and permissions of "
              + file.toAbsolutePath().getParent()
              + ".",
          e);
    }
  }

  private List<CollectionInfo> resolve(BackupOptions options) {
    if (options.collections().isEmpty()) {
      return store.listCollections();
    }
    List<CollectionInfo> found = new ArrayList<>();
    for (String name : options.collections()) {
      found.add(
          store
              .findCollection(name)
              .orElseThrow(
                  () ->
                      new NonRetriableException(
                          ErrorCode.NOT_FOUND,
                          "Collection '"
                              + name
                              + "' does not exist; nothing was backed up. Existing: "
                              + store.listCollections().stream()
                                  .map(CollectionInfo::name)
                                  .toList())));
    }
    return found;
  }

  private ArchivedCollection writeCollection(
      ArchiveWriter writer,
      String dir,
      CollectionInfo c,
      BackupOptions options,
      ProgressTracker progress)
      throws IOException {
    EmbeddingSet active = store.activeSet(c.name());
    Optional<EmbeddingSet> building =
        options.includeBuildingSets() ? store.buildingSet(c.name()) : Optional.empty();
    Path docsTmp = Files.createTempFile("portfolio-backup-", ".jsonl");
    Path vectorsTmp = Files.createTempFile("portfolio-backup-", ".bin");
    long documents = 0;
    long chunks = 0;
    long activeVectors = 0;
    try {
      try (OutputStream docsOut =
              new BufferedOutputStream(Files.newOutputStream(docsTmp), 1 << 16);
          JsonGenerator docsJson = json.getFactory().createGenerator(docsOut);
          DataOutputStream vectors =
              new DataOutputStream(
                  new BufferedOutputStream(Files.newOutputStream(vectorsTmp), 1 << 16));
          OutputStream chunksOut = writer.entry(dir + "/chunks.jsonl");
          JsonGenerator chunksJson = json.getFactory().createGenerator(chunksOut)) {
        docsJson.setRootValueSeparator(null);
        chunksJson.setRootValueSeparator(null);
        VectorRecords.writeHeader(vectors, active.dimension());
        PageWalker walker = new PageWalker(c.name(), 0);
        while (walker.hasNext()) {
          Map<Document, List<Chunk>> page = walker.next();
          for (Map.Entry<Document, List<Chunk>> e : page.entrySet()) {
            json.writeTree(docsJson, JsonRecords.document(json, e.getKey()));
            docsJson.writeRaw('\n');
            documents++;
            for (Chunk ch : e.getValue()) {
              json.writeTree(chunksJson, JsonRecords.chunk(json, ch));
              chunksJson.writeRaw('\n');
              chunks++;
              if (ch.embedding() != null) {
                VectorRecords.write(vectors, record(ch, active));
                activeVectors++;
              }
            }
            progress.advance(e.getValue().size());
          }
        }
      }
      writer.copy(dir + "/documents.jsonl", docsTmp, ArchiveFormat.TEXT_LEVEL);
      writer.copy(dir + "/vectors-" + active.id() + ".bin", vectorsTmp, ArchiveFormat.VECTOR_LEVEL);
    } finally {
      Files.deleteIfExists(docsTmp);
      Files.deleteIfExists(vectorsTmp);
    }
    List<ArchivedSet> sets = new ArrayList<>();
    sets.add(set(active, activeVectors));
    if (building.isPresent()) {
      sets.add(set(building.get(), writeSetVectors(writer, dir, c.name(), building.get())));
    }
    return finishCollection(writer, dir, c, documents, chunks, sets);
  }

  /**
   * The PostgreSQL path: documents, chunks and each set's vectors stream straight into their
   * entries with {@code COPY ... TO STDOUT (FORMAT binary)}, all in one snapshot.
   */
  private ArchivedCollection copyCollection(
      PgCollectionExport export,
      ArchiveWriter writer,
      String dir,
      CollectionInfo c,
      BackupOptions options,
      ProgressTracker progress)
      throws IOException {
    List<EmbeddingSet> sets = new ArrayList<>();
    sets.add(store.activeSet(c.name()));
    if (options.includeBuildingSets()) {
      store.buildingSet(c.name()).ifPresent(sets::add);
    }
    long documents;
    try (OutputStream out = writer.entry(dir + "/documents.jsonl");
        JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.setRootValueSeparator(null);
      documents =
          export.documents(
              c.name(),
              d -> {
                json.writeTree(g, JsonRecords.document(json, d));
                g.writeRaw('\n');
              });
    }
    long chunks;
    try (OutputStream out = writer.entry(dir + "/chunks.jsonl");
        JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.setRootValueSeparator(null);
      long[] unreported = {0};
      chunks =
          export.chunks(
              c.name(),
              ch -> {
                json.writeTree(g, JsonRecords.chunk(json, ch));
                g.writeRaw('\n');
                if (++unreported[0] == CHUNK_PAGE) {
                  progress.advance(unreported[0]);
                  unreported[0] = 0;
                }
              });
      progress.advance(unreported[0]);
    }
    List<ArchivedSet> archivedSets = new ArrayList<>();
    for (EmbeddingSet set : sets) {
      try (DataOutputStream out =
          new DataOutputStream(
              new BufferedOutputStream(
                  writer.entry(dir + "/vectors-" + set.id() + ".bin", ArchiveFormat.VECTOR_LEVEL),
                  1 << 16))) {
        VectorRecords.writeHeader(out, set.dimension());
        long vectors =
            export.vectors(
                c.name(),
                set.id(),
                (key, ordinal, model, textHash, vector) ->
                    VectorRecords.write(
                        out,
                        new VectorRecord(
                            key, ordinal, model == null ? set.model() : model, textHash, vector)));
        archivedSets.add(set(set, vectors));
      }
    }
    return finishCollection(writer, dir, c, documents, chunks, archivedSets);
  }

  private ArchivedCollection finishCollection(
      ArchiveWriter writer,
      String dir,
      CollectionInfo c,
      long documents,
      long chunks,
      List<ArchivedSet> sets)
      throws IOException {
    ArchivedCollection archived =
        new ArchivedCollection(
            c.name(),
            c.spec().model(),
            c.dimension(),
            c.spec().distance().name(),
            documents,
            chunks,
            sets,
            store.supports(StoreCapability.METADATA_FILTERS)
                ? List.copyOf(store.filters(c.name()).keys())
                : List.of());
    try (OutputStream out = writer.entry(dir + "/collection.json")) {
      out.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(archived));
    }
    return archived;
  }

  /** Writes a non-active set's vectors in a second pass, in the same document order. */
  private long writeSetVectors(
      ArchiveWriter writer, String dir, String collection, EmbeddingSet set) throws IOException {
    long count = 0;
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(
                writer.entry(dir + "/vectors-" + set.id() + ".bin", ArchiveFormat.VECTOR_LEVEL),
                1 << 16))) {
      VectorRecords.writeHeader(out, set.dimension());
      PageWalker walker = new PageWalker(collection, set.id());
      while (walker.hasNext()) {
        for (List<Chunk> docChunks : walker.next().values()) {
          for (Chunk ch : docChunks) {
            if (ch.embedding() != null) {
              VectorRecords.write(out, record(ch, set));
              count++;
            }
          }
        }
      }
    }
    return count;
  }

  private static VectorRecord record(Chunk ch, EmbeddingSet set) {
    return new VectorRecord(
        ch.documentKey(),
        ch.ordinal(),
        ch.embeddingModel() == null ? set.model() : ch.embeddingModel(),
        ch.embeddedTextHash(),
        ch.embedding().toArray());
  }

  private static ArchivedSet set(EmbeddingSet s, long vectors) {
    return new ArchivedSet(s.id(), s.model(), s.dimension(), s.state().name(), vectors);
  }

  /** Walks a collection's documents (soft-deleted ones too) a page at a time, with their chunks. */
  private final class PageWalker {
    private final String collection;
    private final long setId;
    private long after;
    private boolean done;

    PageWalker(String collection, long setId) {
      this.collection = collection;
      this.setId = setId;
    }

    boolean hasNext() {
      return !done;
    }

    Map<Document, List<Chunk>> next() {
      SearchFilter all = SearchFilter.builder().includeDeleted().build();
      Page<Document> docs =
          store.listDocuments(new DocumentQuery(collection, all, after, DOCUMENT_PAGE));
      done = !docs.hasNext();
      docs.nextAfter().ifPresent(a -> after = a);
      Map<String, List<Chunk>> byKey = new LinkedHashMap<>();
      Map<Document, List<Chunk>> page = new LinkedHashMap<>();
      for (Document d : docs.items()) {
        List<Chunk> list = new ArrayList<>();
        byKey.put(d.key(), list);
        page.put(d, list);
      }
      if (byKey.isEmpty()) {
        return page;
      }
      SearchFilter keys =
          SearchFilter.builder().includeDeleted().documentKeys(byKey.keySet()).build();
      ChunkQuery query = ChunkQuery.of(collection, CHUNK_PAGE).withFilter(keys).inSet(setId);
      while (true) {
        Page<Chunk> chunks = store.listChunks(query);
        for (Chunk ch : chunks.items()) {
          List<Chunk> list = byKey.get(ch.documentKey());
          if (list != null) {
            list.add(ch);
          }
        }
        if (!chunks.hasNext()) {
          break;
        }
        query = query.after(chunks.nextAfter().getAsLong());
      }
      byKey.values().forEach(l -> l.sort(Comparator.comparingInt(Chunk::ordinal)));
      return page;
    }
  }
}
