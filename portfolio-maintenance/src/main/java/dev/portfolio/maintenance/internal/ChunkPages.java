package dev.portfolio.maintenance.internal;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.spi.VectorStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The chunks a run selects, one keyset page at a time. The cursor is the id of the last chunk
 * <em>read</em>, never an offset: writing vectors takes chunks out of the {@code MISSING} (or
 * {@code STALE}) selection while the run pages through it, and an offset would then skip chunks.
 *
 * <p>The store's filter cannot name documents, so a run limited to documents pages, per document,
 * over the id range of its chunks ({@link VectorStore#chunks}) and keeps that document's chunks.
 * Not thread-safe: one reader.
 */
final class ChunkPages {
  private final VectorStore store;
  private final RunSpec spec;
  private final ChunkQuery first;
  private final boolean byDocument;
  private final Deque<String> documents;
  private String document;
  private long cursor;
  private long lastId = Long.MAX_VALUE;
  private boolean done;

  ChunkPages(VectorStore store, RunSpec spec) {
    this.store = store;
    this.spec = spec;
    this.first = spec.firstPage();
    this.byDocument = !spec.documentKeys().isEmpty();
    this.documents = new ArrayDeque<>(spec.documentKeys().stream().sorted().toList());
    this.cursor = spec.window().afterId();
    this.lastId = spec.window().upToId();
  }

  /**
   * Returns the id of the last chunk read: every selected chunk up to it has been returned by
   * {@link #next()}.
   *
   * @return the cursor
   */
  long cursor() {
    return cursor;
  }

  /**
   * Reads the next page that has chunks to work on.
   *
   * @return the chunks in ascending id order, at most the batch size; empty at the end
   */
  List<Chunk> next() {
    while (true) {
      if (byDocument && document == null && !openNextDocument()) {
        return List.of();
      }
      if (done) {
        return List.of();
      }
      Page<Chunk> page = store.listChunks(first.after(cursor));
      boolean end = !page.hasNext();
      List<Chunk> items = new ArrayList<>(page.items().size());
      for (Chunk c : page.items()) {
        if (c.id() > lastId) {
          end = true;
          break;
        }
        cursor = c.id();
        if (byDocument && !c.documentKey().equals(document)) {
          continue;
        }
        if (!spec.skip().test(c.id())) {
          items.add(c);
        }
      }
      if (end) {
        if (byDocument) {
          document = null;
        } else {
          done = true;
        }
      }
      if (!items.isEmpty()) {
        return items;
      }
    }
  }

  private boolean openNextDocument() {
    while (!documents.isEmpty()) {
      String key = documents.poll();
      List<Chunk> chunks = store.chunks(spec.collection(), key);
      if (!chunks.isEmpty()) {
        cursor =
            Math.max(
                spec.window().afterId(),
                chunks.stream().mapToLong(Chunk::id).min().getAsLong() - 1);
        lastId =
            Math.min(
                spec.window().upToId(), chunks.stream().mapToLong(Chunk::id).max().getAsLong());
        if (cursor >= lastId) {
          continue;
        }
        document = key;
        return true;
      }
    }
    done = true;
    return false;
  }
}
