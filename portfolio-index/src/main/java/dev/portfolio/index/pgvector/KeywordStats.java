package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.COL_ID;
import static dev.portfolio.index.internal.PgTables.COL_NAME;
import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.C_TEXT_TSV;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.text.Bm25;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.PgTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Per-collection statistics for {@link Bm25}: the number of chunks, their average length in words,
 * and the document frequency of the words a query asks for. Nothing is written: the statistics are
 * read on demand and cached in this store instance, so searches stay read-only (and work on a
 * standby), and writes pay nothing for them.
 *
 * <ul>
 *   <li>The chunk count, the average length and the frequent words come from a snapshot: every
 *       chunk of a collection up to {@value #SAMPLE} chunks (exact), else a sample of about that
 *       many (every k-th chunk id), whose words seen in at least {@value #MIN_SAMPLE_HITS} sampled
 *       chunks get an estimated frequency. A snapshot is taken at the first search of a collection
 *       and again after {@link #MAX_AGE_NANOS} or after a write through this store.
 *   <li>Any other query word is rare: its frequency is counted exactly through the GIN index, at
 *       most up to a small cap, so the count is cheap; the snapshot keeps the counts (up to {@value
 *       #MAX_COUNTED} words), so a word is counted once per snapshot.
 * </ul>
 */
final class KeywordStats {
  /** Chunks read for a snapshot. */
  static final int SAMPLE = 2_000;

  /** Sampled chunks a word must be in to count as frequent. */
  static final int MIN_SAMPLE_HITS = 3;

  /**
   * Rare words whose counts a snapshot keeps for later searches (query words repeat: a word counted
   * once is not counted again until the snapshot is retaken).
   */
  static final int MAX_COUNTED = 20_000;

  /** How long a snapshot serves searches when this store wrote nothing to the collection. */
  static final long MAX_AGE_NANOS = 60_000_000_000L;

  private final PgTables t;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

  KeywordStats(PgTables t) {
    this.t = t;
  }

  /**
   * The frequencies of a query's words.
   *
   * @param collectionId the collection's id when the statistics were read
   * @param chunks the chunks of the collection
   * @param averageLength their average length in words
   * @param documentFrequency chunks containing each word, estimated for frequent words
   */
  record Terms(
      long collectionId, long chunks, double averageLength, Map<String, Long> documentFrequency) {
    /** The inverse document frequency of each word. */
    Map<String, Double> idf() {
      Map<String, Double> idf = new HashMap<>();
      documentFrequency.forEach((w, df) -> idf.put(w, Bm25.idf(df, chunks)));
      return idf;
    }
  }

  /** Forgets what is known of a collection, after a write to it. */
  void invalidate(String collection) {
    snapshots.remove(collection);
  }

  /**
   * The statistics of the given words (distinct, as indexed) in one collection: no statement when
   * the collection's snapshot is fresh and every word is in it, else one (the rare words' counts),
   * or a few when the snapshot is taken.
   *
   * @throws dev.portfolio.core.error.PortfolioException with {@code NOT_FOUND} when the collection
   *     does not exist
   */
  Terms terms(Tx tx, String collection, List<String> words) {
    Snapshot s = snapshots.get(collection);
    if (s == null || System.nanoTime() - s.takenAt > MAX_AGE_NANOS) {
      s = snapshot(tx, collection, collectionId(tx, collection));
      snapshots.put(collection, s);
    }
    Map<String, Long> df = new HashMap<>();
    List<String> rare = new ArrayList<>();
    for (String w : words) {
      Long known = s.frequent.get(w);
      if (known == null) {
        known = s.counted.get(w);
      }
      if (known != null) {
        df.put(w, known);
      } else if (s.exact) {
        df.put(w, 0L);
      } else {
        rare.add(w);
      }
    }
    if (!rare.isEmpty()) {
      Map<String, Long> counts = count(tx, s.collectionId, rare, s.rareCap());
      df.putAll(counts);
      if (s.counted.size() < MAX_COUNTED) {
        s.counted.putAll(counts);
      }
    }
    return new Terms(s.collectionId, s.chunks, s.averageLength, df);
  }

  /**
   * Checks that the collection a snapshot was taken of still exists under its name; forgets the
   * snapshot when it does not.
   *
   * @return false when the name now belongs to another collection (the snapshot is forgotten)
   * @throws dev.portfolio.core.error.PortfolioException with {@code NOT_FOUND} when no collection
   *     has the name
   */
  boolean stillCurrent(Tx tx, String collection, long collectionId) {
    long id;
    try {
      id = collectionId(tx, collection);
    } catch (RuntimeException e) {
      invalidate(collection);
      throw e;
    }
    if (id != collectionId) {
      invalidate(collection);
      return false;
    }
    return true;
  }

  /** The id of a collection by name. */
  long collectionId(Tx tx, String collection) {
    Long id =
        tx.dsl().select(COL_ID).from(t.collections).where(COL_NAME.eq(collection)).fetchOne(COL_ID);
    if (id == null) {
      throw StoreErrors.collectionNotFound(collection);
    }
    return id;
  }

  private Snapshot snapshot(Tx tx, String collection, long collectionId) {
    long chunks =
        tx.dsl()
            .selectCount()
            .from(t.chunks)
            .where(C_COLLECTION_ID.eq(inline(collectionId)))
            .fetchSingle()
            .value1();
    long every = Math.max(1, chunks / SAMPLE);
    boolean exact = every == 1;
    var sample =
        tx.dsl()
            .select(C_TEXT_TSV)
            .from(t.chunks)
            .where(C_COLLECTION_ID.eq(inline(collectionId)))
            .and(exact ? DSL.noCondition() : DSL.condition("{0} % {1} = 0", C_ID, inline(every)));
    // One pass over the sample: a row per frequent word, and one with a NULL word carrying the
    // sampled chunks and their total length in words (positions; at most 256 per word and chunk).
    Map<String, Long> hits = new HashMap<>();
    long sampled = 0;
    long words = 0;
    for (Record r :
        tx.dsl()
            .resultQuery(
                "WITH s AS MATERIALIZED ({0}),"
                    + " w AS (SELECT u.lexeme, count(*) AS df,"
                    + " sum(coalesce(array_length(u.positions, 1), 1)) AS occurrences"
                    + " FROM s, unnest(s.text_tsv) AS u GROUP BY u.lexeme)"
                    + " SELECT lexeme, df, 0::numeric AS occurrences FROM w WHERE df >= {1}"
                    + " UNION ALL SELECT NULL, (SELECT count(*) FROM s),"
                    + " (SELECT coalesce(sum(occurrences), 0) FROM w)",
                sample, inline(exact ? 1 : MIN_SAMPLE_HITS))
            .fetch()) {
      String lexeme = r.get(0, String.class);
      long df = r.get(1, Long.class);
      if (lexeme == null) {
        sampled = df;
        words = r.get(2, Long.class);
      } else {
        hits.put(lexeme, df);
      }
    }
    Map<String, Long> frequent = new HashMap<>();
    double scale = sampled == 0 ? 0 : (double) chunks / sampled;
    hits.forEach((w, n) -> frequent.put(w, exact ? n : Math.round(n * scale)));
    return new Snapshot(
        collectionId,
        System.nanoTime(),
        chunks,
        sampled == 0 ? 0 : (double) words / sampled,
        exact,
        Map.copyOf(frequent),
        new ConcurrentHashMap<>());
  }

  /**
   * Counts the chunks of each word through the GIN index, each up to {@code cap}, in one statement
   * of one scalar subquery per word. Each word is a literal, so that each subquery is planned for
   * its word (a bitmap scan of the GIN index), never as a generic plan that could scan the table.
   */
  private Map<String, Long> count(Tx tx, long collectionId, List<String> words, long cap) {
    List<Field<Integer>> counts = new ArrayList<>();
    for (String w : words) {
      counts.add(
          DSL.field(
              DSL.selectCount()
                  .from(
                      DSL.select(DSL.one())
                          .from(t.chunks)
                          .where(C_COLLECTION_ID.eq(inline(collectionId)))
                          .and(
                              DSL.condition(
                                  "{0} @@ {1}::tsquery", C_TEXT_TSV, inline(Search.lexeme(w))))
                          .limit(inline(cap))
                          .asTable("x"))));
    }
    Record r = tx.dsl().select(counts).fetchSingle();
    Map<String, Long> df = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      Integer n = r.get(i, Integer.class);
      df.put(words.get(i), n == null ? 0L : n.longValue());
    }
    return df;
  }

  /** What a snapshot of a collection says. */
  private record Snapshot(
      long collectionId,
      long takenAt,
      long chunks,
      double averageLength,
      boolean exact,
      Map<String, Long> frequent,
      Map<String, Long> counted) {
    /**
     * The most a word missing from the sample is counted up to: several times the frequency a word
     * would need to be seen in the sample.
     */
    long rareCap() {
      return Math.max(100, 4 * MIN_SAMPLE_HITS * chunks / SAMPLE);
    }
  }
}
