package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.COL_NAME;
import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.C_DOCUMENT_ID;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.C_TEXT;
import static dev.portfolio.index.internal.PgTables.C_TEXT_TSV;
import static dev.portfolio.index.internal.PgTables.D_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.E_CHUNK_ID;
import static dev.portfolio.index.internal.PgTables.E_SET_ID;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.model.HybridQuery;
import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
import dev.portfolio.core.spi.RankFusion;
import dev.portfolio.core.text.Bm25;
import dev.portfolio.core.text.KeywordTokenizer;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.index.internal.AnnIndexSql;
import dev.portfolio.index.internal.PgTables;
import dev.portfolio.index.internal.TsVectorEncoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectField;
import org.jooq.conf.Settings;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vector and keyword search. Vector search reads only the collection's active set: its partition is
 * chosen by a constant {@code set_id}, so the planner prunes every other set and can use the
 * partition's HNSW index for {@code ORDER BY distance LIMIT k}. Keyword search matches the
 * library's own words against the library-built {@code tsvector}.
 */
final class Search {
  private static final Logger LOG = LoggerFactory.getLogger(Search.class);
  private static final java.util.regex.Pattern VECTOR_LITERAL =
      java.util.regex.Pattern.compile("'\\[[-0-9.,eE+ ]*\\]'");

  private final Db db;
  private final PgTables t;
  private final Catalog catalog;
  private final int defaultEfSearch;
  private final boolean iterativeScan;
  private final KeywordStats keywordStats;
  private final AtomicLong unmergedChunks = new AtomicLong();

  /** Chunks this store adds before it merges the keyword index's pending list. */
  static final long MERGE_AFTER_CHUNKS = 1_000;

  /** Chunks the candidate step of a keyword search may match (see {@link #keywordSearch}). */
  static final long CANDIDATE_ROWS = 1_000;

  /** The most matches of the candidate step that are ranked by {@code ts_rank}. */
  static final int MAX_MATCHES = 2_000;

  /** The fewest candidates the ranking step reads. */
  static final int MIN_CANDIDATES = 100;

  Search(Db db, Catalog catalog, int defaultEfSearch, boolean iterativeScan) {
    this.db = db;
    this.t = db.tables();
    this.catalog = catalog;
    this.defaultEfSearch = defaultEfSearch;
    this.iterativeScan = iterativeScan;
    this.keywordStats = new KeywordStats(t);
  }

  List<SearchHit> search(VectorQuery query) {
    return db.read(
        "Searching collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = searchCollection(tx, query);
          Field<Double> distance = distanceField(coll, query);
          List<SearchHit> hits = new ArrayList<>(query.limit());
          for (Record r : searchQuery(tx, coll, query, distance).fetch()) {
            Double d = r.get(distance);
            // A stored all-zero vector has no cosine distance (NaN): it is never a match.
            if (d != null && !d.isNaN()) {
              hits.add(Rows.hit(coll.name(), r, coll.distance().score(d)));
            }
          }
          return hits;
        });
  }

  String explainSearch(VectorQuery query) {
    return db.read(
        "Explaining a search of collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = searchCollection(tx, query);
          String plan =
              String.join(
                  "\n",
                  tx.dsl()
                      .resultQuery(
                          "EXPLAIN {0}", searchQuery(tx, coll, query, distanceField(coll, query)))
                      .fetch()
                      .getValues(0, String.class));
          // The plan repeats the query vector in full: hundreds of numbers nobody reads.
          return VECTOR_LITERAL.matcher(plan).replaceAll("'[" + coll.dimension() + " values]'");
        });
  }

  /** Reads the collection and sets the query's HNSW options for this transaction, in one trip. */
  private CollectionRow searchCollection(Tx tx, VectorQuery query) {
    int ef = query.efSearch() > 0 ? query.efSearch() : defaultEfSearch;
    List<SelectField<?>> fields = new ArrayList<>(Catalog.collectionFields());
    fields.add(Catalog.CUSTOM_PLANS);
    if (ef > 0) {
      fields.add(
          DSL.field(
              "set_config('hnsw.ef_search', {0}, true)",
              SQLDataType.CLOB, DSL.val(Integer.toString(ef))));
    }
    if (iterativeScan) {
      fields.add(DSL.field("set_config('hnsw.iterative_scan', 'strict_order', true)"));
    }
    Record r =
        catalog.selectCollection(tx, fields).where(COL_NAME.eq(query.collection())).fetchOne();
    if (r == null) {
      throw StoreErrors.collectionNotFound(query.collection());
    }
    CollectionRow coll = Catalog.collectionRow(r);
    StoreErrors.checkQueryVector(
        coll.info().spec(),
        query.vector(),
        "Embed the query with " + coll.model() + ", the model of the collection's active set.");
    return coll;
  }

  private static Field<Double> distanceField(CollectionRow coll, VectorQuery query) {
    return AnnIndexSql.distance(coll.dimension(), coll.distance(), query.vector()).as("distance");
  }

  private ResultQuery<Record> searchQuery(
      Tx tx, CollectionRow coll, VectorQuery query, Field<Double> distance) {
    return tx.dsl()
        .select(Rows.hitFields(distance))
        .from(
            t.embeddings
                .join(t.chunks)
                .on(C_ID.eq(E_CHUNK_ID))
                .join(t.documents)
                .on(D_ID.eq(C_DOCUMENT_ID)))
        .where(E_SET_ID.eq(inline(coll.activeSetId())))
        // The collection's id lets the planner use its partial metadata filter index.
        .and(
            query.filter().metadata().isEmpty()
                ? DSL.noCondition()
                : D_COLLECTION_ID.eq(inline(coll.id())))
        .and(Rows.filter(query.filter()))
        // Order by the distance alone: a tie-breaker would keep the planner from the index scan.
        .orderBy(DSL.field(DSL.name("distance")))
        .limit(inline(query.limit()));
  }

  /**
   * Keyword search, ranked by {@link Bm25} with the collection's statistics ({@link KeywordStats}).
   * Runs in two steps so that the GIN index bounds the work whatever the words:
   *
   * <ol>
   *   <li>Candidates: the chunks containing any of the query's rarest words, taken from the rarest
   *       while their document frequencies add up to at most {@value #CANDIDATE_ROWS} chunks; when
   *       even the rarest word is in more chunks, the chunks containing the few rarest words
   *       together, relaxed a word at a time while that matches nothing ({@link #candidateQuery}).
   *       Words in most chunks thus never drive the scan, and at most {@value #MAX_MATCHES} matches
   *       are read. The best {@link #candidates(int)} of them by {@code ts_rank} come back with
   *       their text.
   *   <li>Ranking: BM25 of every query word over each candidate's words, in Java, exactly as the
   *       in-memory store ranks.
   * </ol>
   *
   * <p>On an auto-commit connection, with every value a literal (so each statement is planned for
   * its words): one statement when the collection's statistics are cached and know every word, else
   * two (the rare words' counts first). The collection is found by the cached id; an empty result
   * checks that the name still means that collection.
   */
  List<SearchHit> keywordSearch(KeywordQuery query) {
    List<String> words = words(query.text());
    return db.readAutoCommit(
        "Searching collection '" + query.collection() + "' by keywords",
        tx -> {
          if (words.isEmpty()) {
            keywordStats.collectionId(tx, query.collection());
            return List.<SearchHit>of();
          }
          KeywordStats.Terms terms = keywordStats.terms(tx, query.collection(), words);
          boolean checked = false;
          for (int relax = 0; ; relax++) {
            String tsquery = candidateQuery(words, terms, relax);
            if (tsquery == null) {
              return List.<SearchHit>of();
            }
            List<Record> rows = keywordCandidates(tx, query, tsquery, terms).fetch();
            if (!rows.isEmpty()) {
              return rank(query, words, terms, rows);
            }
            if (!checked) {
              // The collection may have been dropped or replaced since the statistics were read.
              checked = true;
              if (!keywordStats.stillCurrent(tx, query.collection(), terms.collectionId())) {
                terms = keywordStats.terms(tx, query.collection(), words);
                relax = -1;
              }
            }
          }
        });
  }

  private static List<SearchHit> rank(
      KeywordQuery query, List<String> words, KeywordStats.Terms terms, List<Record> rows) {
    Map<String, Double> idf = terms.idf();
    List<SearchHit> hits = new ArrayList<>(rows.size());
    for (Record r : rows) {
      double score = Bm25.scoreText(idf, r.get(C_TEXT), terms.averageLength());
      if (score > 0) {
        hits.add(Rows.hit(query.collection(), r, score));
      }
    }
    hits.sort(
        Comparator.comparingDouble(SearchHit::score)
            .reversed()
            .thenComparingLong(SearchHit::chunkId));
    return List.copyOf(hits.subList(0, Math.min(query.limit(), hits.size())));
  }

  /**
   * Hybrid search with both halves at once: the keyword half on a virtual thread, the vector half
   * on the caller's, each on its own connection; fused as {@link
   * dev.portfolio.core.spi.VectorStore#hybridSearch} does.
   */
  List<SearchHit> hybridSearch(HybridQuery query) {
    int candidates = Math.min(VectorQuery.MAX_LIMIT, query.limit() * 4);
    KeywordQuery words =
        new KeywordQuery(query.collection(), query.text(), candidates, query.filter());
    CompletableFuture<List<SearchHit>> byWords =
        CompletableFuture.supplyAsync(() -> keywordSearch(words), HALVES);
    List<SearchHit> byVector;
    try {
      byVector = search(query.vectorQuery(candidates));
    } catch (RuntimeException e) {
      byWords.cancel(false);
      throw e;
    }
    try {
      return RankFusion.reciprocalRank(
          query.rrfK(), query.limit(), List.of(byVector, byWords.join()));
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Runs the keyword half of hybrid searches: a virtual thread each, nothing to shut down. */
  private static final Executor HALVES =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("portfolio-hybrid-", 0).factory());

  /** The plan of {@link #keywordSearch}'s candidate query, for tests and diagnostics. */
  String explainKeywordSearch(KeywordQuery query) {
    List<String> words = words(query.text());
    return db.readAutoCommit(
        "Explaining a keyword search of collection '" + query.collection() + "'",
        tx -> {
          if (words.isEmpty()) {
            keywordStats.collectionId(tx, query.collection());
            return "";
          }
          KeywordStats.Terms terms = keywordStats.terms(tx, query.collection(), words);
          String tsquery = candidateQuery(words, terms, 0);
          if (tsquery == null) {
            return "";
          }
          return String.join(
              "\n",
              DSL.using(tx.connection(), SQLDialect.POSTGRES, STATIC)
                  .resultQuery("EXPLAIN {0}", keywordCandidates(tx, query, tsquery, terms))
                  .fetch()
                  .getValues(0, String.class));
        });
  }

  /** Forgets the keyword statistics of a collection this store wrote to. */
  void written(String collection) {
    written(collection, 0);
  }

  /**
   * Forgets the keyword statistics of a collection this store wrote to, and merges the keyword
   * index's pending list once this store has added {@value #MERGE_AFTER_CHUNKS} chunks or more
   * since it last did. Every GIN scan reads the whole pending list (bulk loads append to it, up to
   * 32 MB): with 20,000 chunks pending a one-word lookup took 28 ms instead of 0.02 ms. Autovacuum
   * merges it too, but on a large table only after many more inserts. The merge runs through the
   * schema's {@code merge_keyword_pending_list()}, which works for a runtime role; when it fails (a
   * read-only connection, a schema without it) the list waits for autovacuum.
   *
   * @param collection the collection written to
   * @param chunks chunks added or replaced, at most (0 for a delete)
   */
  void written(String collection, long chunks) {
    keywordStats.invalidate(collection);
    if (chunks <= 0 || unmergedChunks.addAndGet(chunks) < MERGE_AFTER_CHUNKS) {
      return;
    }
    unmergedChunks.set(0);
    try {
      db.session(
          "Merging the keyword index's pending list",
          (c, dsl) ->
              dsl.fetchValue("SELECT {0}()", DSL.name(t.schema(), "merge_keyword_pending_list")));
    } catch (RuntimeException e) {
      LOG.debug("Merging the keyword index's pending list failed: {}", e.getMessage());
    }
  }

  /** How many candidates the ranking step reads for a limit. */
  static int candidates(int limit) {
    return Math.max(MIN_CANDIDATES, 2 * limit);
  }

  /**
   * The tsquery of the candidate step, from the words' document frequencies. Words in no chunk are
   * left out (they cannot match). When the rarest word is in at most {@value #CANDIDATE_ROWS}
   * chunks: the rarest words, OR-ed, while their frequencies add up to at most that. Otherwise
   * every word is common, and OR would read too many chunks: the chunks containing the rarest words
   * together (AND), adding words from the rarest while the expected matches (frequencies multiplied
   * as if independent) exceed {@value #CANDIDATE_ROWS}; {@code relax} drops that many of the added
   * words again, for a retry when the conjunction matched nothing.
   *
   * @return the tsquery, or null when no word can match or nothing is left to relax
   */
  static String candidateQuery(List<String> words, KeywordStats.Terms terms, int relax) {
    Map<String, Long> df = terms.documentFrequency();
    List<String> byRarity =
        words.stream()
            .filter(w -> df.getOrDefault(w, 0L) > 0)
            .sorted(Comparator.comparingLong(w -> df.getOrDefault(w, 0L)))
            .toList();
    if (byRarity.isEmpty()) {
      return null;
    }
    List<String> chosen = new ArrayList<>();
    if (df.get(byRarity.get(0)) <= CANDIDATE_ROWS) {
      if (relax > 0) {
        return null;
      }
      long rows = 0;
      for (String w : byRarity) {
        if (rows + df.get(w) > CANDIDATE_ROWS) {
          break;
        }
        chosen.add(w);
        rows += df.get(w);
      }
      return String.join(" | ", chosen.stream().map(Search::lexeme).toList());
    }
    double expected = Double.MAX_VALUE;
    for (String w : byRarity) {
      if (expected <= CANDIDATE_ROWS) {
        break;
      }
      double frequency = df.get(w);
      expected =
          chosen.isEmpty()
              ? frequency
              : expected * frequency / Math.max(1.0, (double) terms.chunks());
      chosen.add(w);
    }
    if (relax > 0 && relax >= chosen.size()) {
      return null;
    }
    return String.join(
        " & ", chosen.subList(0, chosen.size() - relax).stream().map(Search::lexeme).toList());
  }

  private ResultQuery<Record> keywordCandidates(
      Tx tx, KeywordQuery query, String tsquery, KeywordStats.Terms terms) {
    Field<Object> q = DSL.field("{0}::tsquery", Object.class, inline(tsquery));
    Field<Float> rank = DSL.field("ts_rank({0}, {1})", SQLDataType.REAL, C_TEXT_TSV, q).as("rank");
    // Every value a literal: the statement is planned for its words and filter, never generically.
    DSLContext dsl = DSL.using(tx.connection(), SQLDialect.POSTGRES, STATIC);
    // Matches are ranked by ts_rank from the chunks' tsvectors alone: no text is read and no
    // document is joined per match (the filter is a semi- or anti-join on document ids). At most
    // MAX_MATCHES are ranked: when every word is in many chunks, the first ones found (a
    // sequential scan may then stop early, which the planner knows).
    var matches =
        dsl.select(C_ID, C_DOCUMENT_ID, rank)
            .from(t.chunks)
            .where(C_COLLECTION_ID.eq(inline(terms.collectionId())))
            .and(DSL.condition("{0} @@ {1}", C_TEXT_TSV, q))
            .and(Rows.documentFilter(query.filter(), t, terms.collectionId(), C_DOCUMENT_ID))
            .limit(inline(MAX_MATCHES))
            .asTable("m");
    Field<Long> matchId = DSL.field(DSL.name("m", C_ID.getName()), Long.class);
    Field<Long> matchDocument = DSL.field(DSL.name("m", C_DOCUMENT_ID.getName()), Long.class);
    Field<Float> matchRank = DSL.field(DSL.name("m", "rank"), SQLDataType.REAL);
    var best =
        dsl.select(matchId, matchDocument, matchRank)
            .from(matches)
            .orderBy(matchRank.desc(), matchId)
            .limit(inline(candidates(query.limit())))
            .asTable("top");
    Field<Long> topId = DSL.field(DSL.name("top", C_ID.getName()), Long.class);
    Field<Long> topDocument = DSL.field(DSL.name("top", C_DOCUMENT_ID.getName()), Long.class);
    Field<Float> topRank = DSL.field(DSL.name("top", "rank"), SQLDataType.REAL).as("rank");
    // Only the best candidates' texts and documents are read, each by its primary key.
    return dsl.select(Rows.hitFields(topRank))
        .from(best)
        .join(t.chunks)
        .on(C_ID.eq(topId))
        .join(t.documents)
        .on(D_ID.eq(topDocument));
  }

  private static final Settings STATIC =
      new Settings().withStatementType(StatementType.STATIC_STATEMENT);

  /**
   * The distinct words of a keyword query, split exactly as chunk texts are indexed. Words of more
   * than {@value TsVectorEncoder#MAX_LEXEME_BYTES} UTF-8 bytes are never indexed, so they are left
   * out.
   */
  static List<String> words(String text) {
    return KeywordTokenizer.words(text).stream()
        .filter(
            w ->
                w.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    <= TsVectorEncoder.MAX_LEXEME_BYTES)
        .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new))
        .stream()
        .toList();
  }

  /** A word as a quoted tsquery lexeme, taken verbatim (no parser, no dictionary). */
  static String lexeme(String word) {
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
