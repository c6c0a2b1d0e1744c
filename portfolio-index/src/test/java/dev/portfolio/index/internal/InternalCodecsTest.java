package dev.portfolio.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Distance;
import dev.portfolio.core.model.Embedding;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InternalCodecsTest {
  @Test
  void vectorTextRoundTripsEveryFloatExactly() {
    Embedding e = Embedding.of(1f, -0.1f, 3.4028235e38f, 1.4e-45f, 0f, 123456.78f);

    assertThat(VectorText.parse(VectorText.format(e))).isEqualTo(e);
    assertThat(VectorText.parse("[1,2.5,-3]")).isEqualTo(Embedding.of(1f, 2.5f, -3f));
    assertThat(VectorText.parse(null)).isNull();
    assertThatThrownBy(() -> VectorText.parse("1,2")).hasMessageContaining("not a pgvector value");
  }

  @Test
  void jsonObjectsEscapeEverythingAndParseBack() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("quote\"key", "back\\slash");
    m.put("line", "a\nb\r\tc\u0001");
    m.put("unicode", "Ünïcödé ✓ 🚀");
    m.put("", "empty key is the caller's problem");

    String json = Json.object(m);

    assertThat(json).doesNotContain("\n").contains("\\u0001");
    assertThat(Json.parseObject(json)).isEqualTo(m);
    assertThat(Json.parseObject("{ \"a\" : \"\\u00e9\\/\" }")).isEqualTo(Map.of("a", "é/"));
    assertThat(Json.object(Map.of())).isEqualTo("{}");
  }

  @Test
  void identifiersAreValidatedAndQuoted() {
    assertThat(Identifiers.quote(Identifiers.schemaName("schema", "rag_index_2")))
        .isEqualTo("\"rag_index_2\"");
    assertThatThrownBy(() -> Identifiers.schemaName("schema", null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("schema must not be null");
    assertThatThrownBy(() -> Identifiers.quote("a\"b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void annIndexesUseVectorUpTo2000AndHalfvecUpTo4000Dimensions() {
    assertThat(AnnIndexSql.castType(2000)).isEqualTo("vector");
    assertThat(AnnIndexSql.castType(2001)).isEqualTo("halfvec");
    assertThat(AnnIndexSql.indexable(4000)).isTrue();
    assertThat(AnnIndexSql.indexable(4001)).isFalse();
    assertThat(AnnIndexSql.indexName(7)).isEqualTo("embeddings_7_ann");
    assertThat(AnnIndexSql.partitionName(7)).isEqualTo("embeddings_7");
    assertThat(AnnIndexSql.operatorClass(Distance.INNER_PRODUCT, 3072)).isEqualTo("halfvec_ip_ops");
    assertThat(
            AnnIndexSql.render(
                AnnIndexSql.createIndex("portfolio", 7, 384, Distance.COSINE, 16, 64, true)))
        .isEqualTo(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"embeddings_7_ann\" ON"
                + " \"portfolio\".\"embeddings_7\" USING hnsw ((embedding::vector(384))"
                + " vector_cosine_ops) WITH (m = 16, ef_construction = 64)");
    assertThat(
            AnnIndexSql.createPartition("portfolio", 7, 3072).stream()
                .map(AnnIndexSql::render)
                .toList())
        .containsExactly(
            "CREATE TABLE \"portfolio\".\"embeddings_7\" (LIKE \"portfolio\".\"embeddings\""
                + " INCLUDING DEFAULTS, CONSTRAINT \"embeddings_7_dimension_check\""
                + " CHECK (vector_dims(embedding) = 3072))",
            "ALTER TABLE \"portfolio\".\"embeddings\" ATTACH PARTITION"
                + " \"portfolio\".\"embeddings_7\" FOR VALUES IN (7)");
    assertThatThrownBy(() -> AnnIndexSql.partitionName(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
