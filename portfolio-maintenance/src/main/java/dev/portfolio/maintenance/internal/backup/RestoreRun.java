package dev.portfolio.maintenance.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.pgvector.PgCollectionLoad;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.maintenance.backup.ArchivedCollection;
import dev.portfolio.maintenance.backup.ArchivedCollection.ArchivedSet;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import dev.portfolio.maintenance.backup.BackupVerification;
import dev.portfolio.maintenance.backup.RestoreMode;
import dev.portfolio.maintenance.backup.RestoreOptions;
import dev.portfolio.maintenance.backup.RestoreResult;
import dev.portfolio.maintenance.internal.backup.JsonRecords.ChunkLine;
import dev.portfolio.maintenance.internal.backup.JsonRecords.DocumentLine;
import dev.portfolio.maintenance.internal.backup.VectorRecords.VectorRecord;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.ZipFile;

/**
 * Restores collections from an archive through the {@link VectorStore} SPI. The archive is verified
 * first; nothing is written unless it is valid. Each collection is rebuilt under a staging name and
 * put in place with {@link VectorStore#replaceCollection} only when complete, so a failure leaves
 * the previous collection intact. Replacing a collection that exists takes a safety backup of it
 * first. Attempt counts and timestamps are not restored.
 */
public final class RestoreRun {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RestoreRun.class);

  /** Documents per upsert. */
  static final int BATCH = 200;

  /** Vectors per write into a non-active set. */
  static final int VECTOR_BATCH = 1_000;

  private final VectorStore store;
  private final ProgressReporter reporter;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Prepares a restore.
   *
   * @param store the store to write
   * @param reporter where progress goes
   */
  public RestoreRun(VectorStore store, ProgressReporter reporter) {
    this.store = store;
    this.reporter = reporter;
  }

  /**
   * Restores an archive.
   *
   * @param archive the archive
   * @param options what to restore and how
   * @return what was restored
   */
  public RestoreResult run(Path archive, RestoreOptions options) {
    long start = System.nanoTime();
    BackupVerification verified = new ArchiveCheck(options.limits()).verify(archive, reporter);
    if (!verified.valid()) {
      throw new InvalidInputException(
          "archive",
          "The archive "
              + archive
              + " cannot be restored; nothing was written: "
              + String.join("; ", verified.problems()));
    }
    List<ArchivedCollection> chosen = choose(verified, options);
    Map<String, String> targets = new LinkedHashMap<>();
    for (ArchivedCollection c : chosen) {
      String target = options.targetName(c.name());
      if (targets.containsValue(target)) {
        throw new InvalidInputException(
            "renames", "Two archived collections would be restored as '" + target + "'.");
      }
      targets.put(c.name(), target);
    }
    List<String> existing =
        targets.values().stream().filter(t -> store.findCollection(t).isPresent()).toList();
    if (!existing.isEmpty() && options.mode() == RestoreMode.INTO_EMPTY) {
      throw new NonRetriableException(
          ErrorCode.ALREADY_EXISTS,
          "Collections "
              + existing
              + " exist; nothing was restored. Use RestoreMode.REPLACE to replace them (a safety"
              + " backup is taken first), or restore under new names.");
    }
    Optional<Path> safety = Optional.empty();
    if (!existing.isEmpty()) {
      Path dir = options.safetyBackupDirectory();
      if (dir == null) {
        dir =
            java.util.Objects.requireNonNullElse(
                archive.toAbsolutePath().getParent(), Path.of("."));
      }
      BackupResult backup =
          new BackupRun(store, reporter)
              .run(dir, new BackupOptions(existing, true), "portfolio-safety");
      safety = Optional.of(backup.archive());
    }
    long total = chosen.stream().mapToLong(ArchivedCollection::chunks).sum();
    List<ArchivedCollection> restored = new ArrayList<>();
    try (ZipFile zip = new ZipFile(archive.toFile());
        ProgressTracker progress =
            ProgressTracker.start(reporter, "restore " + archive.getFileName(), total)) {
      JsonNode manifest = json.readTree(zip.getInputStream(zip.getEntry(ArchiveFormat.MANIFEST)));
      for (ArchivedCollection c : chosen) {
        restored.add(
            restoreOne(
                zip, directoryOf(manifest, c.name()), c, targets.get(c.name()), options, progress));
      }
      progress.succeed(restored.size() + " collections restored");
    } catch (IOException e) {
      throw new NonRetriableException(
          ErrorCode.STORE_FAILURE,
          "Reading the archive " + archive + " failed: " + e.getMessage(),
          e);
    }
    return new RestoreResult(restored, safety, Duration.ofNanos(System.nanoTime() - start));
  }

  private static List<ArchivedCollection> choose(
      BackupVerification verified, RestoreOptions options) {
    if (options.collections().isEmpty()) {
      return verified.collections();
    }
    List<ArchivedCollection> chosen = new ArrayList<>();
    for (String name : options.collections()) {
      chosen.add(
          verified.collections().stream()
              .filter(c -> c.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "collections",
                          "The archive holds no collection '"
                              + name
                              + "'; it holds "
                              + verified.collections().stream()
                                  .map(ArchivedCollection::name)
                                  .toList())));
    }
    return chosen;
  }

  private static String directoryOf(JsonNode manifest, String name) {
    for (JsonNode c : manifest.path("collections")) {
      if (c.path("name").asText().equals(name)) {
        return c.path("directory").asText();
      }
    }
    throw new IllegalStateException("verified archive lost collection " + name);
  }

  /**
   * Declares on the staging collection the metadata filters the archive recorded for the collection
   * and those of the collection a restore replaces, so the restored collection has both, each with
   * its index. A store without filters restores the data and logs the keys it cannot keep.
   */
  private void restoreFilters(ArchivedCollection c, String target, String staging) {
    java.util.Set<String> keys = new java.util.TreeSet<>(c.filters());
    if (!store.supports(dev.portfolio.core.spi.StoreCapability.METADATA_FILTERS)) {
      if (!keys.isEmpty()) {
        LOG.warn(
            "Collection '{}' had metadata filters {} in the archive; this store has none, so they"
                + " are not restored",
            c.name(),
            keys);
      }
      return;
    }
    if (store.findCollection(target).isPresent()) {
      keys.addAll(store.filters(target).keys());
    }
    if (!keys.isEmpty()) {
      store.defineFilters(staging, keys);
    }
  }

  private ArchivedCollection restoreOne(
      ZipFile zip,
      String dir,
      ArchivedCollection c,
      String target,
      RestoreOptions options,
      ProgressTracker progress)
      throws IOException {
    String staging =
        "restore-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    ArchivedSet activeSet = c.sets().get(0);
    store.createCollection(
        new CollectionSpec(
            staging, activeSet.model(), activeSet.dimension(), Distance.valueOf(c.distance())));
    try {
      long[] counts =
          store instanceof PgVectorStore pg
              ? copyDocuments(pg, zip, dir, staging, activeSet, progress)
              : writeDocuments(zip, dir, staging, activeSet, progress);
      List<ArchivedSet> sets = new ArrayList<>();
      sets.add(
          new ArchivedSet(
              store.activeSet(staging).id(),
              activeSet.model(),
              activeSet.dimension(),
              "ACTIVE",
              counts[2]));
      for (ArchivedSet s : c.sets().subList(1, c.sets().size())) {
        if (options.includeBuildingSets() && s.state().equals("BUILDING")) {
          EmbeddingSet building = store.createBuildingSet(staging, s.model(), s.dimension());
          long written =
              writeSetVectors(zip, dir + "/vectors-" + s.id() + ".bin", staging, building);
          sets.add(new ArchivedSet(building.id(), s.model(), s.dimension(), "BUILDING", written));
        }
      }
      restoreFilters(c, target, staging);
      CollectionInfo placed = store.replaceCollection(target, staging);
      return new ArchivedCollection(
          placed.name(),
          c.model(),
          c.dimension(),
          c.distance(),
          counts[0],
          counts[1],
          sets,
          List.copyOf(
              store.supports(dev.portfolio.core.spi.StoreCapability.METADATA_FILTERS)
                  ? store.filters(placed.name()).keys()
                  : java.util.Set.of()));
    } catch (IOException | RuntimeException e) {
      try {
        store.dropCollection(staging);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      String message =
          "Restoring collection '"
              + c.name()
              + "' as '"
              + target
              + "' failed, and '"
              + target
              + "' is unchanged (the partial copy was dropped): "
              + e.getMessage();
      if (e instanceof PortfolioException p) {
        throw new NonRetriableException(p.code(), message, e);
      }
      throw new NonRetriableException(ErrorCode.STORE_FAILURE, message, e);
    }
  }

  /**
   * The PostgreSQL path: loads documents, then chunks with the active set's vectors, with COPY
   * ({@link PgCollectionLoad}); returns documents, chunks, vectors.
   */
  private long[] copyDocuments(
      PgVectorStore pg,
      ZipFile zip,
      String dir,
      String staging,
      ArchivedSet activeSet,
      ProgressTracker progress)
      throws IOException {
    String docsName = dir + "/documents.jsonl";
    try (PgCollectionLoad load = PgCollectionLoad.open(pg, staging)) {
      try (BufferedReader docs = lines(zip, docsName)) {
        String line;
        while ((line = docs.readLine()) != null) {
          DocumentLine d = JsonRecords.document(json.readTree(line));
          load.document(
              d.key(),
              d.sourceId(),
              d.workspace(),
              d.status(),
              d.fingerprint(),
              d.metadata(),
              d.error());
        }
      }
      load.startChunks();
      long chunks = 0;
      long vectors = 0;
      int document = -1;
      try (BufferedReader docs = lines(zip, docsName);
          BufferedReader chunkLines = lines(zip, dir + "/chunks.jsonl");
          DataInputStream vectorIn = data(zip, dir + "/vectors-" + activeSet.id() + ".bin")) {
        int dimension = VectorRecords.readHeader(vectorIn, "vectors");
        VectorRecord pendingVector = VectorRecords.read(vectorIn, dimension);
        String pendingChunk = chunkLines.readLine();
        long unreported = 0;
        String line;
        while ((line = docs.readLine()) != null) {
          document++;
          String key = JsonRecords.document(json.readTree(line)).key();
          while (pendingChunk != null) {
            ChunkLine ch = JsonRecords.chunk(json.readTree(pendingChunk));
            if (!ch.documentKey().equals(key)) {
              break;
            }
            // The hash the store would compute, as upserts do; the archived one is not trusted.
            String hash =
                new ChunkInput(ch.ordinal(), ch.text(), ch.tokenCount(), null, null, ch.metadata())
                    .contentHash();
            boolean hasVector =
                pendingVector != null
                    && pendingVector.documentKey().equals(key)
                    && pendingVector.ordinal() == ch.ordinal();
            load.chunk(
                document, ch.ordinal(), ch.text(), hash, ch.tokenCount(), ch.metadata(), hasVector);
            if (hasVector) {
              vectors++;
              pendingVector = VectorRecords.read(vectorIn, dimension);
            }
            chunks++;
            if (++unreported == BATCH * 10) {
              progress.advance(unreported);
              unreported = 0;
            }
            pendingChunk = chunkLines.readLine();
          }
        }
        progress.advance(unreported);
        if (pendingVector != null) {
          throw new IllegalArgumentException(
              "vector of chunk "
                  + pendingVector.ordinal()
                  + " of document '"
                  + pendingVector.documentKey()
                  + "' matches no chunk in document order");
        }
      }
      // The vectors again, now that their chunks are in: each goes to the next chunk that has one.
      load.startVectors();
      try (DataInputStream vectorIn = data(zip, dir + "/vectors-" + activeSet.id() + ".bin")) {
        int dimension = VectorRecords.readHeader(vectorIn, "vectors");
        VectorRecord r;
        while ((r = VectorRecords.read(vectorIn, dimension)) != null) {
          load.vector(r.vector(), r.model(), r.textHash());
        }
      }
      long[] counts = load.finish();
      return new long[] {counts[0], chunks, vectors};
    }
  }

  /** Upserts documents with their chunks and active vectors; returns documents, chunks, vectors. */
  private long[] writeDocuments(
      ZipFile zip, String dir, String staging, ArchivedSet activeSet, ProgressTracker progress)
      throws IOException {
    long documents = 0;
    long chunks = 0;
    long vectors = 0;
    try (BufferedReader docs = lines(zip, dir + "/documents.jsonl");
        BufferedReader chunkLines = lines(zip, dir + "/chunks.jsonl");
        DataInputStream vectorIn = data(zip, dir + "/vectors-" + activeSet.id() + ".bin")) {
      int dimension = VectorRecords.readHeader(vectorIn, "vectors");
      VectorRecord pendingVector = VectorRecords.read(vectorIn, dimension);
      String pendingChunk = chunkLines.readLine();
      List<DocumentInput> batch = new ArrayList<>();
      List<DocumentLine> batchLines = new ArrayList<>();
      Map<String, List<VectorRecord>> stale = new HashMap<>();
      String line;
      while ((line = docs.readLine()) != null) {
        DocumentLine d = JsonRecords.document(json.readTree(line));
        DocumentInput.Builder input =
            DocumentInput.builder(d.key())
                .sourceId(d.sourceId())
                .workspace(d.workspace())
                .fingerprint(d.fingerprint())
                .metadata(d.metadata())
                .status(d.status() == DocumentStatus.DELETED ? DocumentStatus.READY : d.status());
        while (pendingChunk != null) {
          ChunkLine ch = JsonRecords.chunk(json.readTree(pendingChunk));
          if (!ch.documentKey().equals(d.key())) {
            break;
          }
          Embedding embedding = null;
          String model = null;
          if (pendingVector != null
              && pendingVector.documentKey().equals(d.key())
              && pendingVector.ordinal() == ch.ordinal()) {
            if (pendingVector.textHash().equals(ch.contentHash())) {
              embedding = Embedding.of(pendingVector.vector());
              model = pendingVector.model();
            } else {
              stale.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(pendingVector);
            }
            vectors++;
            pendingVector = VectorRecords.read(vectorIn, dimension);
          }
          input.chunk(
              new ChunkInput(
                  ch.ordinal(), ch.text(), ch.tokenCount(), embedding, model, ch.metadata()));
          chunks++;
          pendingChunk = chunkLines.readLine();
        }
        batch.add(input.build());
        batchLines.add(d);
        documents++;
        if (batch.size() == BATCH) {
          flush(staging, batch, batchLines, stale, progress);
        }
      }
      flush(staging, batch, batchLines, stale, progress);
      if (pendingVector != null) {
        throw new IllegalArgumentException(
            "vector of chunk "
                + pendingVector.ordinal()
                + " of document '"
                + pendingVector.documentKey()
                + "' matches no chunk in document order");
      }
    }
    return new long[] {documents, chunks, vectors};
  }

  private void flush(
      String staging,
      List<DocumentInput> batch,
      List<DocumentLine> lines,
      Map<String, List<VectorRecord>> stale,
      ProgressTracker progress) {
    if (batch.isEmpty()) {
      return;
    }
    UpsertResult result = store.upsert(staging, batch);
    if (!result.failures().isEmpty()) {
      throw new IllegalArgumentException(
          result.failures().size()
              + " documents were refused, the first: "
              + result.failures().get(0).key()
              + ": "
              + result.failures().get(0).reason());
    }
    for (DocumentLine d : lines) {
      if (d.status() == DocumentStatus.DELETED) {
        store.softDelete(staging, d.key());
      } else if (d.error() != null) {
        store.updateStatus(staging, d.key(), d.status(), d.error());
      }
    }
    if (!stale.isEmpty()) {
      List<EmbeddingUpdate> updates = new ArrayList<>();
      for (Map.Entry<String, List<VectorRecord>> e : stale.entrySet()) {
        Map<Integer, Long> ids = new HashMap<>();
        for (Chunk ch : store.chunks(staging, e.getKey())) {
          ids.put(ch.ordinal(), ch.id());
        }
        for (VectorRecord r : e.getValue()) {
          updates.add(
              new EmbeddingUpdate(
                  ids.get(r.ordinal()), Embedding.of(r.vector()), r.model(), r.textHash()));
        }
      }
      store.writeVectors(staging, store.activeSet(staging).id(), updates);
      stale.clear();
    }
    progress.advance(batch.stream().mapToLong(b -> b.chunks().size()).sum());
    batch.clear();
    lines.clear();
  }

  /** Writes a building set's vectors, finding each chunk by document key and ordinal. */
  private long writeSetVectors(ZipFile zip, String entry, String staging, EmbeddingSet set)
      throws IOException {
    long written = 0;
    try (DataInputStream in = data(zip, entry)) {
      int dimension = VectorRecords.readHeader(in, entry);
      List<VectorRecord> batch = new ArrayList<>();
      VectorRecord r;
      while ((r = VectorRecords.read(in, dimension)) != null) {
        batch.add(r);
        if (batch.size() == VECTOR_BATCH) {
          written += writeBatch(staging, set, batch);
        }
      }
      written += writeBatch(staging, set, batch);
    }
    return written;
  }

  private long writeBatch(String staging, EmbeddingSet set, List<VectorRecord> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    Set<String> keys = new HashSet<>();
    batch.forEach(r -> keys.add(r.documentKey()));
    Map<String, Long> ids = new HashMap<>();
    ChunkQuery query =
        ChunkQuery.of(staging, 2_000)
            .withFilter(SearchFilter.builder().includeDeleted().documentKeys(keys).build());
    while (true) {
      Page<Chunk> page = store.listChunks(query);
      page.items().forEach(ch -> ids.put(ch.documentKey() + '\u0000' + ch.ordinal(), ch.id()));
      if (!page.hasNext()) {
        break;
      }
      query = query.after(page.nextAfter().getAsLong());
    }
    List<EmbeddingUpdate> updates = new ArrayList<>(batch.size());
    for (VectorRecord r : batch) {
      Long id = ids.get(r.documentKey() + '\u0000' + r.ordinal());
      if (id == null) {
        throw new IllegalArgumentException(
            "a vector of set "
                + set.id()
                + " names chunk "
                + r.ordinal()
                + " of document '"
                + r.documentKey()
                + "', which the archive does not hold");
      }
      updates.add(new EmbeddingUpdate(id, Embedding.of(r.vector()), r.model(), r.textHash()));
    }
    store.writeVectors(staging, set.id(), updates);
    int n = batch.size();
    batch.clear();
    return n;
  }

  private static BufferedReader lines(ZipFile zip, String name) throws IOException {
    return new BufferedReader(
        new InputStreamReader(open(zip, name), StandardCharsets.UTF_8), 1 << 16);
  }

  private static DataInputStream data(ZipFile zip, String name) throws IOException {
    return new DataInputStream(new BufferedInputStream(open(zip, name), 1 << 16));
  }

  private static InputStream open(ZipFile zip, String name) throws IOException {
    var entry = zip.getEntry(name);
    if (entry == null) {
      throw new IllegalArgumentException("entry " + name + " is missing");
    }
    return zip.getInputStream(entry);
  }
}
