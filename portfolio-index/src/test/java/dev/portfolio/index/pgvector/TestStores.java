package dev.portfolio.index.pgvector;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.index.testing.TestSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds stores on a test schema and test documents. */
public final class TestStores {
  private TestStores() {}

  /**
   * Opens a small pool on the test database.
   *
   * @param db the schema
   * @return the pool
   */
  public static HikariDataSource pool(TestSchema db) {
    return PgDataSources.pooled(
        PgPoolOptions.builder(db.jdbcUrl())
            .poolSize(4)
            .statementTimeout(Duration.ofMinutes(2))
            .build());
  }

  /**
   * Installs the Portfolio schema into the test schema.
   *
   * @param db the schema
   */
  public static void install(TestSchema db) {
    PortfolioSchema.install(db.dataSource(), SchemaOptions.forSchema(db.name()));
  }

  /**
   * Returns a deterministic unit-ish vector.
   *
   * @param seed the seed
   * @param dimension the dimension
   * @return the vector
   */
  public static Embedding vector(long seed, int dimension) {
    Random r = new Random(seed);
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Embedding.of(v);
  }

  /**
   * Builds a document with embedded chunks.
   *
   * @param key the key
   * @param chunks how many chunks
   * @param dimension the dimension
   * @param seed the vector seed
   * @return the document
   */
  public static DocumentInput doc(String key, int chunks, int dimension, long seed) {
    List<ChunkInput> list = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      list.add(
          ChunkInput.embedded(
              i, "chunk " + i + " of " + key, vector(seed * 1000 + i, dimension), "test-model"));
    }
    return DocumentInput.builder(key).chunks(list).build();
  }
}
