package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.spi.StoreCapability;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresSchemaExtension.class)
class PgVectorStoreProviderIT {
  @Test
  void theProviderIsFoundByIdAndBuildsAStoreOnItsOwnPool(TestSchema db) {
    TestStores.install(db);
    try (VectorStore store =
        Providers.vectorStore(
            Map.of(
                "provider", "pgvector",
                "jdbcUrl", db.jdbcUrl(),
                "schema", db.name(),
                "poolSize", "2",
                "statementTimeout", "30s",
                "connectionTimeout", "5s"))) {
      assertThat(store).isInstanceOf(PgVectorStore.class);
      assertThat(store.capabilities())
          .contains(StoreCapability.DURABLE, StoreCapability.KEYWORD_SEARCH);
      store.createCollection(CollectionSpec.of("via-provider", "m", 3));
      assertThat(store.findCollection("via-provider")).isPresent();
    }
  }

  @Test
  void unknownOptionsAreRejectedWithTheKnownOnes(TestSchema db) {
    assertThatThrownBy(
            () ->
                new PgVectorStoreProvider()
                    .create(Map.of("jdbcUrl", db.jdbcUrl(), "poolsize", "3")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Unknown pgvector option [poolsize]. Known options: [connectionTimeout, jdbcUrl,"
                + " password, poolSize, provider, schema, statementTimeout, user].");
  }

  @Test
  void aMissingJdbcUrlIsNamed() {
    assertThatThrownBy(() -> new PgVectorStoreProvider().create(Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("pgvector option 'jdbcUrl' is required but was not set");
  }

  @Test
  void aFailedConnectionIsReportedWithoutEchoingThePassword(TestSchema db) {
    String url =
        db.jdbcUrl()
            .replace("/portfolio_test", "/no_such_database")
            .replaceAll("password=[^&]*", "password=n0t-the-pa55word");

    assertThatThrownBy(
            () ->
                new PgVectorStoreProvider()
                    .create(Map.of("jdbcUrl", url, "connectionTimeout", "2s")))
        .isInstanceOf(PortfolioException.class)
        .hasMessageStartingWith("Connecting to ")
        .hasMessageContaining("password=***")
        .hasMessageContaining("no_such_database")
        .hasMessageNotContaining("n0t-the-pa55word");
  }

  @Test
  void poolOptionsNeverPrintThePassword() {
    PgPoolOptions options =
        PgPoolOptions.builder("jdbc:postgresql://h/db?user=u&password=url-secret")
            .password("field-secret")
            .connectionTimeout(Duration.ofSeconds(1))
            .build();

    assertThat(options.toString())
        .doesNotContain("url-secret")
        .doesNotContain("field-secret")
        .contains("password=***");
    assertThatThrownBy(() -> PgPoolOptions.builder("mysql://h/db?password=x").build())
        .hasMessageContaining("jdbcUrl must start with jdbc:postgresql:")
        .hasMessageNotContaining("password=x");
  }
}
