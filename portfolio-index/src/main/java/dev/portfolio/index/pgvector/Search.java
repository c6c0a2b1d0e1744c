package dev.portfolio.index.pgvector;

import static dev.portfolio.index.internal.PgTables.COL_NAME;
import static dev.portfolio.index.internal.PgTables.C_COLLECTION_ID;
import static dev.portfolio.index.internal.PgTables.C_DOCUMENT_ID;
import static dev.portfolio.index.internal.PgTables.C_ID;
import static dev.portfolio.index.internal.PgTables.C_TEXT;
import static dev.portfolio.index.internal.PgTables.C_TEXT_TSV;
import static dev.portfolio.index.internal.PgTables.D_ID;
import static dev.portfolio.index.internal.PgTables.E_CHUNK_ID;
import static dev.portfolio.index.internal.PgTables.E_SET_ID;
import static org.jooq.impl.DSL.inline;

import dev.portfolio.core.model.KeywordQuery;
import dev.portfolio.core.model.SearchHit;
import dev.portfolio.core.model.VectorQuery;
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
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Vector and keyword search. Vector search reads only the collection's active set: its partition is
 * chosen by a constant {@code set_id}, so the planner prunes every other set and can use the
 * partition's HNSW index for {@code ORDER BY distance LIMIT k}. Keyword search matches the
 * library's own words against the library-built {@code tsvector}.
 */
final class Search {
  private static final java.util.regex.Pattern VECTOR_LITERAL =
      java.util.regex.Pattern.compile("'\\[[-0-9.,eE+ ]*\\]'");

  private final Db db;
  private final PgTables t;
  private final Catalog catalog;
  private final int defaultEfSearch;
  private final boolean iterativeScan;
  private final KeywordStats keywordStats;

  /** Chunks the candidate step of a keyword search may match (see {@link #keywordSearch}). */
  static final long CANDIDATE_ROWS = 1_000;

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
   *       while their document frequencies add up to at most {@value #CANDIDATE_ROWS} chunks (the
   *       rarest word always); when even the rarest word is in more chunks, the chunks containing
   *       every word. Words in most chunks thus never drive the scan. The best {@link
   *       #candidates(int)} of them by {@code ts_rank} come back with their text.
   *   <li>Ranking: BM25 of every query word over each candidate's words, in Java, exactly as the
   *       in-memory store ranks.
   * </ol>
   */
  List<SearchHit> keywordSearch(KeywordQuery query) {
    List<String> words = words(query.text());
    return db.read(
        "Searching collection '" + query.collection() + "' by keywords",
        tx -> {
          CollectionRow coll = catalog.requireForQuery(tx, query.collection());
          if (words.isEmpty()) {
            return List.<SearchHit>of();
          }
          KeywordStats.Terms terms = keywordStats.terms(tx, coll, words);
          Map<String, Double> idf = terms.idf();
          List<SearchHit> hits = new ArrayList<>();
          for (Record r : keywordCandidates(tx, coll, query, words, terms).fetch()) {
            double score =
                Bm25.score(idf, KeywordTokenizer.words(r.get(C_TEXT)), terms.averageLength());
            if (score > 0) {
              hits.add(Rows.hit(coll.name(), r, score));
            }
          }
          hits.sort(
              Comparator.comparingDouble(SearchHit::score)
                  .reversed()
                  .thenComparingLong(SearchHit::chunkId));
          return List.copyOf(hits.subList(0, Math.min(query.limit(), hits.size())));
        });
  }

  /** The plan of {@link #keywordSearch}'s candidate query, for tests and diagnostics. */
  String explainKeywordSearch(KeywordQuery query) {
    List<String> words = words(query.text());
    return db.read(
        "Explaining a keyword search of collection '" + query.collection() + "'",
        tx -> {
          CollectionRow coll = catalog.require(tx, query.collection());
          if (words.isEmpty()) {
            return "";
          }
          KeywordStats.Terms terms = keywordStats.terms(tx, coll, words);
          return String.join(
              "\n",
              tx.dsl()
                  .resultQuery("EXPLAIN {0}", keywordCandidates(tx, coll, query, words, terms))
                  .fetch()
                  .getValues(0, String.class));
        });
  }

  /** Forgets the keyword statistics of a collection this store wrote to. */
  void written(String collection) {
    keywordStats.invalidate(collection);
  }

  /** How many candidates the ranking step reads for a limit. */
  static int candidates(int limit) {
    return Math.max(MIN_CANDIDATES, 2 * limit);
  }

  private ResultQuery<Record> keywordCandidates(
      Tx tx, CollectionRow coll, KeywordQuery query, List<String> words, KeywordStats.Terms terms) {
    List<String> byRarity = new ArrayList<>(words);
    byRarity.sort(Comparator.comparingLong(w -> terms.documentFrequency().getOrDefault(w, 0L)));
    List<String> chosen = new ArrayList<>();
    long rows = 0;
    for (String w : byRarity) {
      long df = terms.documentFrequency().getOrDefault(w, 0L);
      if (!chosen.isEmpty() && rows + df > CANDIDATE_ROWS) {
        break;
      }
      chosen.add(w);
      rows += df;
    }
    String operator = rows > CANDIDATE_ROWS ? " & " : " | ";
    List<String> match = rows > CANDIDATE_ROWS ? words : chosen;
    String tsquery = String.join(operator, match.stream().map(Search::lexeme).toList());
    Field<Object> q = DSL.field("{0}::tsquery", Object.class, DSL.val(tsquery));
    Field<Float> rank = DSL.field("ts_rank({0}, {1})", SQLDataType.REAL, C_TEXT_TSV, q);
    return tx.dsl()
        .select(Rows.hitFields())
        .from(t.chunks)
        .join(t.documents)
        .on(D_ID.eq(C_DOCUMENT_ID))
        .where(C_COLLECTION_ID.eq(inline(coll.id())))
        .and(DSL.condition("{0} @@ {1}", C_TEXT_TSV, q))
        .and(Rows.filter(query.filter()))
        .orderBy(rank.desc(), C_ID)
        .limit(inline(candidates(query.limit())));
  }

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
