package dev.portfolio.maintenance.testing;

import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.ChunkQuery;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Document;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.DocumentQuery;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.EmbeddingUpdate;
import dev.portfolio.core.model.Page;
import dev.portfolio.core.model.SearchFilter;
import dev.portfolio.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A collection with every kind of row a backup must carry, and a bit-exact picture of it. */
public final class BackupFixture {
  /** The active model. */
  public static final String MODEL = "test:model-a";

  private BackupFixture() {}

  /**
   * Fills a new collection: ready, failed (with an error), pending (no vectors) and soft-deleted
   * documents with metadata, a stale vector, and a building set of another dimension that has
   * vectors for every other chunk.
   *
   * @param store the store
   * @param name the collection name
   * @param documents how many documents (3 chunks each)
   */
  public static void populate(VectorStore store, String name, int documents) {
    store.createCollection(new CollectionSpec(name, MODEL, 6, Distance.COSINE));
    Random random = new Random(name.hashCode());
    List<DocumentInput> batch = new ArrayList<>();
    for (int d = 0; d < documents; d++) {
      boolean pending = d % 7 == 3;
      DocumentInput.Builder b =
          DocumentInput.builder("doc/" + d + "/ünïcode ✓")
              .sourceId("source-" + (d % 4))
              .workspace(d % 2 == 0 ? "ws" : null)
              .fingerprint("fp-" + d)
              .metadata(Map.of("title", "Title " + d, "lang", d % 3 == 0 ? "de" : "en"));
      for (int o = 0; o < 3; o++) {
        String text = "chunk " + o + " of document " + d + " — text with \"quotes\"\nand lines";
        Embedding v = pending ? null : vector(random, 6);
        b.chunk(
            new ChunkInput(o, text, 12 + o, v, pending ? null : MODEL, Map.of("section", "s" + o)));
      }
      batch.add(b.build());
      if (batch.size() == 100) {
        store.upsert(name, batch);
        batch.clear();
      }
    }
    store.upsert(name, batch);
    for (int d = 0; d < documents; d++) {
      String key = "doc/" + d + "/ünïcode ✓";
      if (d % 11 == 5) {
        store.updateStatus(name, key, DocumentStatus.FAILED, "embedder said no (" + d + ")");
      } else if (d % 13 == 6) {
        store.softDelete(name, key);
      }
    }
    // One stale vector: computed from text that has changed since.
    Chunk first = store.chunks(name, "doc/0/ünïcode ✓").get(0);
    store.writeVectors(
        name,
        store.activeSet(name).id(),
        List.of(new EmbeddingUpdate(first.id(), vector(random, 6), MODEL, "0".repeat(64))));
    EmbeddingSet building = store.createBuildingSet(name, "test:model-b", 4);
    List<EmbeddingUpdate> updates = new ArrayList<>();
    ChunkQuery q =
        ChunkQuery.of(name, 500).withFilter(SearchFilter.builder().includeDeleted().build());
    while (true) {
      Page<Chunk> page = store.listChunks(q);
      for (Chunk c : page.items()) {
        if (c.id() % 2 == 0) {
          updates.add(
              new EmbeddingUpdate(c.id(), vector(random, 4), "test:model-b", c.contentHash()));
        }
      }
      if (!page.hasNext()) {
        break;
      }
      q = q.after(page.nextAfter().getAsLong());
    }
    store.writeVectors(name, building.id(), updates);
  }

  private static Embedding vector(Random random, int dimension) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
    }
    v[0] = special(random);
    return Embedding.of(v);
  }

  /** Bit patterns a text format could lose: -0.0, the smallest subnormal, a long mantissa. */
  private static float special(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> -0.0f;
      case 1 -> Float.MIN_VALUE;
      default -> 0.1f + Math.ulp(0.1f);
    };
  }

  /**
   * Describes a collection bit-exactly, without store ids and timestamps: every document, chunk,
   * and the vectors of the active and building sets.
   *
   * @param store the store
   * @param name the collection
   * @return one line per row
   */
  public static List<String> picture(VectorStore store, String name) {
    List<String> lines = new ArrayList<>();
    List<Document> docs = new ArrayList<>();
    SearchFilter all = SearchFilter.builder().includeDeleted().build();
    long after = 0;
    while (true) {
      Page<Document> page = store.listDocuments(new DocumentQuery(name, all, after, 500));
      docs.addAll(page.items());
      if (!page.hasNext()) {
        break;
      }
      after = page.nextAfter().getAsLong();
    }
    docs.sort(Comparator.comparing(Document::key));
    for (Document d : docs) {
      lines.add(
          String.join(
              " | ",
              "doc",
              d.key(),
              d.sourceId(),
              String.valueOf(d.workspace()),
              d.status().name(),
              String.valueOf(d.fingerprint()),
              new java.util.TreeMap<>(d.metadata()).toString(),
              String.valueOf(d.error())));
    }
    List<EmbeddingSet> sets = new ArrayList<>(List.of(store.activeSet(name)));
    store.buildingSet(name).ifPresent(sets::add);
    for (EmbeddingSet set : sets) {
      lines.add("set | " + set.state() + " | " + set.model() + " | " + set.dimension());
      List<String> chunkLines = new ArrayList<>();
      ChunkQuery q = ChunkQuery.of(name, 500).withFilter(all).inSet(set.id());
      while (true) {
        Page<Chunk> page = store.listChunks(q);
        for (Chunk c : page.items()) {
          chunkLines.add(
              String.join(
                  " | ",
                  "chunk",
                  c.documentKey(),
                  String.valueOf(c.ordinal()),
                  c.text(),
                  c.contentHash(),
                  String.valueOf(c.tokenCount()),
                  new java.util.TreeMap<>(c.metadata()).toString(),
                  c.embedding() == null ? "-" : bits(c.embedding()),
                  String.valueOf(c.embeddingModel()),
                  String.valueOf(c.embeddedTextHash())));
        }
        if (!page.hasNext()) {
          break;
        }
        q = q.after(page.nextAfter().getAsLong());
      }
      chunkLines.sort(null);
      lines.addAll(chunkLines);
    }
    return lines;
  }

  private static String bits(Embedding e) {
    float[] v = e.toArray();
    int[] bits = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      bits[i] = Float.floatToRawIntBits(v[i]);
    }
    return Arrays.toString(bits);
  }
}
