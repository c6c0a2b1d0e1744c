package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.pgvector.TestStores;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the integration tests that run the built {@code portfolio} jar as a process share: a schema
 * of their own with Portfolio installed, the environment that points the command at it, and a store
 * on a pool for setting up data and checking what the command did.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JarCliFixture {
  /** Reads the commands' {@code --json} output. */
  protected static final ObjectMapper JSON = new ObjectMapper();

  /** The test class's schema. */
  protected TestSchema db;

  /** {@code PORTFOLIO_JDBC_URL} and {@code PORTFOLIO_SCHEMA} for the command. */
  protected Map<String, String> env;

  /** The pool of {@link #store}. */
  protected HikariDataSource pool;

  /** A store on the schema. */
  protected PgVectorStore store;

  @BeforeAll
  void openSchema(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    env = Map.of("PORTFOLIO_JDBC_URL", db.jdbcUrl(), "PORTFOLIO_SCHEMA", db.name());
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(pool).schema(db.name()).build();
  }

  @AfterAll
  void closeSchema() {
    store.close();
    pool.close();
  }

  /** Runs the jar with {@link #env}. */
  protected Result run(String... args) throws Exception {
    return JarProcess.run(env, args);
  }

  /** The standard output of a command that succeeded, as JSON. */
  protected static JsonNode json(Result r) throws Exception {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }
}
