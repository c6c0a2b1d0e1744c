package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.error.RetriableException;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentChange;
import dev.portfolio.core.model.DocumentFingerprint;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.model.UpsertResult;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.text.Fingerprints;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.ingest.IngestDocument;
import dev.portfolio.maintenance.ingest.IngestFailure;
import dev.portfolio.maintenance.ingest.IngestMode;
import dev.portfolio.maintenance.ingest.IngestOptions;
import dev.portfolio.maintenance.ingest.IngestResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ingestion loop: reads the input in batches, and per batch validates each document, looks up
 * the stored fingerprints in one step, skips unchanged documents, chunks the rest for the embedder,
 * reuses the stored vectors of chunks whose text did not change, embeds each distinct new text
 * once, and upserts. The next batch is read ahead and its fingerprints looked up meanwhile (looked
 * up again when the batch before wrote one of its keys). Memory is bounded by two batches (plus the
 * keys seen, for a full sync). Each batch is a checkpoint: {@link IngestResult#nextPosition()} is
 * where a new run resumes.
 */
public final class Ingestor {
  /** The metadata key under which the title joins the fingerprint when chunks are prefixed. */
  private static final String TITLE_KEY = "\u0001portfolio.title";

  /** Batches read ahead of the one processed, their fingerprints looked up meanwhile. */
  private static final int READ_AHEAD = 2;

  /** Batches at least this large check and fingerprint their documents on several cores. */
  private static final int PARALLEL_FINGERPRINTS = 64;

  private final Settings settings;
  private final Embedder embedder;
  private final VectorStore store;
  private final TextEmbedder texts;

  /**
   * Creates the loop.
   *
   * @param settings the facade's settings
   * @param embedder the collection's model's embedder
   */
  public Ingestor(Settings settings, Embedder embedder) {
    this.settings = settings;
    this.embedder = embedder;
    this.store = settings.store();
    this.texts = new TextEmbedder(embedder, settings.retry());
  }

  /**
   * Ingests documents.
   *
   * @param collection the collection; created with the embedder's model (cosine) when missing
   * @param input the documents, read once
   * @param size the input's size when known, else -1
   * @param options how
   * @return what was done
   */
  public IngestResult ingest(
      String collection, Iterator<IngestDocument> input, long size, IngestOptions options) {
    Inputs.collectionName(collection);
    Inputs.requireNonNull("documents", input);
    Inputs.requireNonNull("options", options);
    prepare(collection);
    Run run = new Run(collection, options, size);
    return run.execute(input);
  }

  private void prepare(String collection) {
    String model = embedder.info().modelRef();
    int dimension = embedder.info().dimension();
    Optional<CollectionInfo> found = store.findCollection(collection);
    if (found.isEmpty()) {
      store.createCollection(new CollectionSpec(collection, model, dimension, Distance.COSINE));
      return;
    }
    EmbeddingSet active = store.activeSet(collection);
    if (!active.model().equals(model) || active.dimension() != dimension) {
      throw new InvalidInputException(
          "embedder",
          "Model mismatch: the embedder "
              + model
              + " yields "
              + dimension
              + " dimensions, but collection '"
              + collection
              + "' stores "
              + active.model()
              + " vectors of "
              + active.dimension()
              + ". Ingest with the collection's model, or switch the collection's model first"
              + " (Maintenance.switchModel).");
    }
  }

  /** One document of the input with its position. */
  private record Item(long position, IngestDocument doc) {}

  /** A valid document with what the batch needs. */
  private record Prepared(
      Item item, String sourceId, Map<String, String> metadata, String fingerprint) {
    String key() {
      return item.doc().key();
    }
  }

  /** A document to write with its chunks. */
  private record Write(
      Prepared doc, DocumentFingerprint stored, List<ChunkPlanner.Planned> chunks) {}

  /** One run's state and totals. */
  private final class Run {
    private final String collection;
    private final IngestOptions o;
    private final long size;
    private final ChunkPlanner planner;
    private final boolean history;
    private final long budget;
    private final double price;
    private final long started = System.nanoTime();
    private final Set<String> seen;
    private final List<IngestFailure> failures = new ArrayList<>();

    /** The keys the last batch sent to the store. */
    private final Set<String> written = new HashSet<>();

    private long read;
    private long added;
    private long updated;
    private long unchanged;
    private long skipped;
    private long removed;
    private long failed;
    private long embedded;
    private long reused;
    private long truncated;
    private long tokens;
    private long calls;
    private boolean stopped;
    private long next;
    private final java.util.concurrent.ExecutorService lookups =
        java.util.concurrent.Executors.newFixedThreadPool(
            READ_AHEAD,
            r -> {
              Thread t = new Thread(r, "portfolio-ingest-lookup");
              t.setDaemon(true);
              return t;
            });

    Run(String collection, IngestOptions o, long size) {
      this.collection = collection;
      this.o = o;
      this.size = size;
      this.planner = new ChunkPlanner(embedder.inputTokens(), o.chunker(), o.titlePrefix());
      this.history = store.supports(StoreCapability.DOCUMENT_HISTORY);
      this.price = o.pricePer1kTokens(embedder.info());
      if (o.costBudget() > 0 && price == 0) {
        throw new InvalidInputException(
            "ingest.costBudget",
            "ingest.costBudget needs a price of 1,000 tokens: set ingest.costPer1kTokens, or the"
                + " embedder option pricePer1kTokens ("
                + embedder.info().modelRef()
                + " has none)");
      }
      this.budget = o.effectiveTokenBudget(price);
      this.seen = o.mode() == IngestMode.FULL_SYNC ? new HashSet<>() : null;
      this.next = o.startAt();
    }

    IngestResult execute(Iterator<IngestDocument> input) {
      try {
        return executeBatches(input);
      } finally {
        lookups.shutdownNow();
      }
    }

    private IngestResult executeBatches(Iterator<IngestDocument> input) {
      long position = 0;
      while (position < o.startAt() && input.hasNext()) {
        IngestDocument skippedDoc = input.next();
        if (seen != null && skippedDoc != null) {
          seen.add(skippedDoc.key()); // stored by the run that got this far
        }
        position++;
      }
      long total = size >= 0 ? Math.max(0, size - o.startAt()) : ProgressTracker.UNKNOWN_TOTAL;
      try (ProgressTracker progress =
          ProgressTracker.start(settings.progress(), "ingest " + collection, total)) {
        // Batches are read ahead, and their stored fingerprints looked up (on two threads) while
        // the batch before them is processed: the lookups of an unchanged re-run wait for nothing.
        java.util.ArrayDeque<Batch> ahead = new java.util.ArrayDeque<>();
        long after = position;
        while (!ahead.isEmpty() || input.hasNext()) {
          while (ahead.size() <= READ_AHEAD && input.hasNext()) {
            Batch read = readBatch(input, after);
            after = read.items().get(read.items().size() - 1).position() + 1;
            ahead.add(read);
          }
          Batch batch = ahead.poll();
          long end = batch.items().get(batch.items().size() - 1).position() + 1;
          boolean done;
          try {
            done = batch(batch);
          } catch (PortfolioException e) {
            progress.fail(e);
            throw stoppedAt(batch.items().get(0).position(), e);
          }
          if (!done) {
            stopped = true;
            break;
          }
          if (!written.isEmpty()) {
            java.util.ArrayDeque<Batch> checked = new java.util.ArrayDeque<>();
            for (Batch b : ahead) {
              if (java.util.Collections.disjoint(written, b.keys())) {
                checked.add(b);
              } else {
                // A key of this batch was just written: its lookup may predate the write.
                b.lookup().cancel(false);
                checked.add(withLookup(b.items(), b.keys()));
              }
            }
            ahead = checked;
          }
          read += batch.items().size();
          next = end;
          progress.advance(batch.items().size());
          if (o.onBatch() != null) {
            o.onBatch().accept(result());
          }
        }
        if (seen != null && !stopped) {
          removeMissing();
        }
        IngestResult r = result();
        progress.succeed(
            (stopped ? "stopped by the budget at position " + next + "; " : "")
                + r.added()
                + " added, "
                + r.updated()
                + " updated, "
                + r.unchanged()
                + " unchanged, "
                + r.removed()
                + " removed, "
                + r.failed()
                + " failed; "
                + r.chunksEmbedded()
                + " chunks embedded, "
                + r.chunksReused()
                + " reused");
        return r;
      }
    }

    private PortfolioException stoppedAt(long position, PortfolioException e) {
      String message =
          "Ingestion into '"
              + collection
              + "' stopped at input position "
              + position
              + ": "
              + e.getMessage()
              + " The "
              + (added + updated)
              + " documents stored before are kept; run again with startAt("
              + position
              + ") (or with the same input: unchanged documents cost no embedder call).";
      if (e instanceof RetriableException r) {
        return new RetriableException(r.code(), message, r, r.retryAfter().orElse(null));
      }
      return new NonRetriableException(e.code(), message, e);
    }

    private IngestResult result() {
      return new IngestResult(
          read,
          added,
          updated,
          unchanged,
          skipped,
          removed,
          failed,
          failures,
          embedded,
          reused,
          truncated,
          tokens,
          calls,
          tokens / 1000.0 * price,
          Duration.ofNanos(System.nanoTime() - started),
          stopped,
          next,
          size >= 0 ? OptionalLong.of(Math.max(0, size - next)) : OptionalLong.empty());
    }

    private void fail(String key, long position, String reason) {
      failed++;
      if (failures.size() < settings.maxReportedErrors()) {
        failures.add(new IngestFailure(key, position, reason));
      }
    }

    /**
     * A batch of the input with the lookup of its stored fingerprints, started when it was read.
     *
     * @param items the documents with their positions
     * @param keys the distinct keys of its documents
     * @param lookup the stored fingerprints of those keys
     */
    private record Batch(
        List<Item> items,
        Set<String> keys,
        java.util.concurrent.CompletableFuture<Map<String, DocumentFingerprint>> lookup) {}

    /**
     * Reads up to a batch of documents and starts looking up the stored fingerprints of all their
     * keys (keys are valid by construction; those of documents that fail their checks are read for
     * nothing).
     */
    private Batch readBatch(Iterator<IngestDocument> input, long from) {
      List<Item> items = new ArrayList<>(o.batchSize());
      long position = from;
      while (items.size() < o.batchSize() && input.hasNext()) {
        items.add(new Item(position++, input.next()));
      }
      Set<String> keys = new java.util.LinkedHashSet<>();
      for (Item item : items) {
        if (item.doc() != null) {
          keys.add(item.doc().key());
        }
      }
      return withLookup(items, keys);
    }

    private Batch withLookup(List<Item> items, Set<String> keys) {
      List<String> list = List.copyOf(keys);
      return new Batch(
          items,
          keys,
          list.isEmpty()
              ? java.util.concurrent.CompletableFuture.completedFuture(Map.of())
              : java.util.concurrent.CompletableFuture.supplyAsync(
                  () -> store.fingerprints(collection, list), lookups));
    }

    /** Processes one batch; false when the budget stops the run before it. */
    private boolean batch(Batch read) {
      List<Item> batch = read.items();
      written.clear();
      // The documents are checked and fingerprinted while their stored fingerprints arrive.
      List<Prepared> valid = validate(batch, checks(batch));
      Map<String, DocumentFingerprint> stored;
      try {
        stored = read.lookup().join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
      List<Write> writes = new ArrayList<>();
      long unchangedHere = 0;
      long skippedHere = 0;
      List<String[]> rejected = new ArrayList<>();
      for (Prepared p : valid) {
        DocumentFingerprint s = stored.get(p.key());
        boolean same = s != null && !o.force() && s.unchangedBy(p.fingerprint());
        switch (o.mode()) {
          case UPSERT, FULL_SYNC -> {
            if (same) {
              unchangedHere++;
            } else {
              writes.add(new Write(p, s, null));
            }
          }
          case ADD_ONLY -> {
            if (s != null) {
              rejected.add(
                  new String[] {
                    p.key(),
                    String.valueOf(p.item().position()),
                    "document is stored already (status "
                        + s.status().name().toLowerCase(java.util.Locale.ROOT)
                        + "); mode ADD_ONLY adds new documents only. Use UPSERT to update it, or"
                        + " SKIP_EXISTING to pass over stored documents."
                  });
            } else {
              writes.add(new Write(p, null, null));
            }
          }
          case UPDATE_ONLY -> {
            if (s == null) {
              rejected.add(
                  new String[] {
                    p.key(),
                    String.valueOf(p.item().position()),
                    "document is not stored; mode UPDATE_ONLY updates stored documents only."
                        + " Use UPSERT or ADD_ONLY to add it."
                  });
            } else if (same) {
              unchangedHere++;
            } else {
              writes.add(new Write(p, s, null));
            }
          }
          case SKIP_EXISTING -> {
            if (s != null) {
              skippedHere++;
            } else {
              writes.add(new Write(p, null, null));
            }
          }
        }
      }
      // Chunk what must be written; gather the vectors that can be kept.
      List<Write> planned = new ArrayList<>(writes.size());
      for (Write w : writes) {
        planned.add(
            new Write(w.doc(), w.stored(), planner.plan(w.doc().item().doc().text(), title(w))));
      }
      Map<String, Embedding> pool = new HashMap<>();
      if (!o.force()) {
        List<String> existing =
            planned.stream().filter(w -> w.stored() != null).map(w -> w.doc().key()).toList();
        if (!existing.isEmpty()) {
          for (Map<String, Embedding> byHash :
              store.reusableVectors(collection, existing).values()) {
            pool.putAll(byHash);
          }
        }
      }
      Map<String, Integer> needed = new LinkedHashMap<>(); // hash -> index in toEmbed
      List<String> toEmbed = new ArrayList<>();
      long estimate = 0;
      long truncatedHere = 0;
      for (Write w : planned) {
        for (ChunkPlanner.Planned c : w.chunks()) {
          if (!pool.containsKey(c.hash()) && !needed.containsKey(c.hash())) {
            needed.put(c.hash(), toEmbed.size());
            toEmbed.add(c.text());
            estimate += c.tokenCount();
            if (c.truncated()) {
              truncatedHere++;
            }
          }
        }
      }
      if (budget != Long.MAX_VALUE && estimate > 0 && tokens + estimate > budget) {
        return false;
      }
      TextEmbedder.Outcome outcome = toEmbed.isEmpty() ? null : texts.embed(toEmbed);
      // Only now is the batch committed to: count it.
      for (String[] r : rejected) {
        fail(r[0], Long.parseLong(r[1]), r[2]);
      }
      unchanged += unchangedHere;
      skipped += skippedHere;
      if (outcome != null) {
        calls += outcome.calls();
        tokens += outcome.usage().tokens() > 0 ? outcome.usage().tokens() : estimate;
        for (Embedding v : outcome.vectors()) {
          if (v != null) {
            embedded++;
          }
        }
        truncated += truncatedHere;
      }
      String model = embedder.info().modelRef();
      List<DocumentInput> inputs = new ArrayList<>(planned.size());
      List<Write> sent = new ArrayList<>(planned.size());
      for (Write w : planned) {
        List<ChunkInput> chunks = new ArrayList<>(w.chunks().size());
        String problem = null;
        long reusedHere = 0;
        for (ChunkPlanner.Planned c : w.chunks()) {
          Embedding v = pool.get(c.hash());
          if (v != null) {
            reusedHere++;
          } else {
            int at = needed.get(c.hash());
            v = outcome.vectors()[at];
            if (v == null) {
              problem =
                  "chunk " + c.ordinal() + ": the embedder rejected it: " + outcome.reasons()[at];
              break;
            }
          }
          chunks.add(new ChunkInput(c.ordinal(), c.text(), c.tokenCount(), v, model, null));
        }
        Prepared p = w.doc();
        if (problem != null) {
          fail(p.key(), p.item().position(), problem);
          continue;
        }
        reused += reusedHere;
        IngestDocument d = p.item().doc();
        inputs.add(
            new DocumentInput(
                p.key(), p.sourceId(), d.workspace(), null, p.fingerprint(), p.metadata(), chunks));
        sent.add(w);
      }
      for (DocumentInput d : inputs) {
        written.add(d.key());
      }
      UpsertResult result = inputs.isEmpty() ? null : store.upsert(collection, inputs);
      Map<String, String> storeFailures = new HashMap<>();
      if (result != null) {
        for (UpsertResult.Failure f : result.failures()) {
          storeFailures.put(f.key(), f.reason());
        }
      }
      List<DocumentChange> changes = new ArrayList<>();
      Instant now = Instant.now();
      for (Write w : sent) {
        Prepared p = w.doc();
        String reason = storeFailures.get(p.key());
        if (reason != null) {
          fail(p.key(), p.item().position(), reason);
          continue;
        }
        DocumentChange.Kind kind;
        if (w.stored() == null) {
          added++;
          kind = DocumentChange.Kind.ADDED;
        } else {
          updated++;
          kind =
              w.stored().status() == DocumentStatus.DELETED
                      && p.fingerprint().equals(w.stored().fingerprint())
                  ? DocumentChange.Kind.RESTORED
                  : DocumentChange.Kind.UPDATED;
        }
        changes.add(new DocumentChange(p.key(), kind, p.fingerprint(), o.jobId(), now));
      }
      if (history && !changes.isEmpty()) {
        store.recordChanges(collection, changes);
      }
      return true;
    }

    private String title(Write w) {
      return w.doc().item().doc().title();
    }

    /**
     * What a document's own content says about it: a problem of its text, metadata or title, else
     * its metadata as strings and its fingerprint.
     */
    private record Check(String problem, Map<String, String> metadata, String fingerprint) {}

    /**
     * Checks the documents' texts, metadata and titles and fingerprints the good ones: the whole
     * CPU cost of an unchanged document (scanning and hashing its text), spread over the cores
     * while the stored fingerprints are looked up. Returns one check per item, null for a null
     * document.
     */
    private List<Check> checks(List<Item> batch) {
      java.util.stream.Stream<Item> all =
          batch.size() >= PARALLEL_FINGERPRINTS ? batch.parallelStream() : batch.stream();
      return all.map(item -> item.doc() == null ? null : check(item.doc()))
          .collect(java.util.stream.Collectors.toList());
    }

    private Check check(IngestDocument d) {
      Optional<String> text = textProblem(d.text());
      if (text.isPresent()) {
        return new Check(text.get(), null, null);
      }
      MetadataStrings.Converted meta = MetadataStrings.convert(d.metadata());
      if (meta.problem() != null) {
        return new Check(meta.problem(), null, null);
      }
      if (d.title() != null && titleProblem(d.title()).isPresent()) {
        return new Check("title " + titleProblem(d.title()).get(), null, null);
      }
      return new Check(null, meta.values(), fingerprint(d, meta.values()));
    }

    /**
     * Applies the checks in input order: the batch-level ones (null, duplicate key, source) first,
     * then the document's own {@link Check}, as one document at a time would.
     */
    private List<Prepared> validate(List<Item> batch, List<Check> checks) {
      List<Prepared> valid = new ArrayList<>(batch.size());
      Map<String, Long> firstAt = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        Item item = batch.get(i);
        IngestDocument d = item.doc();
        if (d == null) {
          fail("(null)", item.position(), "document is null; pass an IngestDocument");
          continue;
        }
        String key = d.key();
        if (seen != null) {
          seen.add(key);
        }
        Long first = firstAt.putIfAbsent(key, item.position());
        if (first != null) {
          fail(
              key,
              item.position(),
              "key \""
                  + Inputs.printable(key)
                  + "\" appears more than once in this batch (first at position "
                  + first
                  + "); the first one was ingested. Send each document once per run.");
          continue;
        }
        String source =
            d.sourceId() != null ? d.sourceId() : o.sourceId() != null ? o.sourceId() : key;
        if (o.mode() == IngestMode.FULL_SYNC && !source.equals(o.sourceId())) {
          fail(
              key,
              item.position(),
              "document belongs to source \""
                  + Inputs.printable(source)
                  + "\" but this FULL_SYNC syncs source \""
                  + Inputs.printable(o.sourceId())
                  + "\"; sync each source on its own.");
          continue;
        }
        if (d.sourceId() != null) {
          try {
            Inputs.requireKey("sourceId", d.sourceId());
            if (d.workspace() != null) {
              Inputs.requireKey("workspace", d.workspace());
            }
          } catch (InvalidInputException e) {
            fail(key, item.position(), e.getMessage());
            continue;
          }
        }
        Check check = checks.get(i);
        if (check.problem() != null) {
          fail(key, item.position(), check.problem());
          continue;
        }
        valid.add(new Prepared(item, source, check.metadata(), check.fingerprint()));
      }
      return valid;
    }

    private String fingerprint(IngestDocument d, Map<String, String> metadata) {
      if (!o.titlePrefix() || d.title() == null) {
        return Fingerprints.fingerprint(d.text(), metadata, o.fingerprintKeys());
      }
      Map<String, String> withTitle = new HashMap<>(metadata);
      withTitle.put(TITLE_KEY, d.title());
      Set<String> keys = new TreeSet<>(o.fingerprintKeys());
      keys.add(TITLE_KEY);
      return Fingerprints.fingerprint(d.text(), withTitle, keys);
    }

    private Optional<String> textProblem(String text) {
      if (text == null) {
        return Optional.of("text is null; every document needs its text");
      }
      if (text.isBlank()) {
        return Optional.of(
            "text is empty or only whitespace; there is nothing to embed. Leave the document out"
                + " (or remove it with Maintenance.documents(...).remove).");
      }
      if (text.length() > o.maxTextLength()) {
        return Optional.of(
            "text is "
                + text.length()
                + " characters long; the limit is "
                + o.maxTextLength()
                + " (IngestOptions.maxTextLength). Split the document, or raise the limit.");
      }
      int nul = text.indexOf('\0');
      if (nul >= 0) {
        return Optional.of(
            "text contains a NUL character (U+0000) at index "
                + nul
                + ", which PostgreSQL cannot store; remove it (binary content is not text).");
      }
      int lone = Inputs.unpairedSurrogate(text);
      if (lone >= 0) {
        return Optional.of(
            String.format(
                java.util.Locale.ROOT,
                "text contains an unpaired UTF-16 surrogate U+%04X at index %d, which UTF-8 (and"
                    + " PostgreSQL) cannot represent; fix the text's encoding (decode the source"
                    + " bytes with the right charset).",
                (int) text.charAt(lone),
                lone));
      }
      return Optional.empty();
    }

    private Optional<String> titleProblem(String title) {
      if (title.indexOf('\0') >= 0) {
        return Optional.of("contains a NUL character (U+0000); remove it");
      }
      if (Inputs.unpairedSurrogate(title) >= 0) {
        return Optional.of("contains an unpaired UTF-16 surrogate; fix its encoding");
      }
      return Optional.empty();
    }

    private void removeMissing() {
      SearchFilter filter = SearchFilter.builder().sourceId(o.sourceId()).build();
      DocumentQuery query = new DocumentQuery(collection, filter, 0, 1000);
      List<String> gone = new ArrayList<>();
      while (query != null) {
        Page<Document> page = store.listDocuments(query);
        for (Document d : page.items()) {
          if (!seen.contains(d.key())) {
            gone.add(d.key());
          }
        }
        query = page.hasNext() ? query.after(page.nextAfter().getAsLong()) : null;
      }
      List<DocumentChange> changes = new ArrayList<>();
      Instant now = Instant.now();
      Map<String, DocumentFingerprint> last = new HashMap<>();
      for (int from = 0; from < gone.size(); from += 1000) {
        last.putAll(
            store.fingerprints(collection, gone.subList(from, Math.min(gone.size(), from + 1000))));
      }
      for (String key : gone) {
        if (store.softDelete(collection, key)) {
          removed++;
          DocumentFingerprint f = last.get(key);
          changes.add(
              new DocumentChange(
                  key,
                  DocumentChange.Kind.REMOVED,
                  f == null ? null : f.fingerprint(),
                  o.jobId(),
                  now));
        }
      }
      if (history && !changes.isEmpty()) {
        store.recordChanges(collection, changes);
      }
      if (o.purgeRemoved()) {
        for (String key : gone) {
          store.deleteDocument(collection, key);
        }
      }
    }
  }
}
