package dev.portfolio.index.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SchemaOptionsTest {
  @Test
  void defaultSchemaIsPortfolio() {
    assertThat(SchemaOptions.defaults().schema()).isEqualTo("portfolio");
    assertThat(SchemaOptions.defaults().runtimeRole()).isEmpty();
  }

  @Test
  void schemaNamesThatCouldEscapeQuotingAreRejected() {
    assertThatThrownBy(() -> SchemaOptions.forSchema("x\"; DROP TABLE users; --"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid schema name \"x\"; DROP TABLE users; --\": use 1 to 63")
        .hasMessageContaining("^[a-z_][a-z0-9_]{0,62}$");
    assertThatThrownBy(() -> SchemaOptions.forSchema("Portfolio"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> SchemaOptions.forSchema("a".repeat(64)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> SchemaOptions.forSchema("")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void reservedPgPrefixIsRejectedWithTheReason() {
    assertThatThrownBy(() -> SchemaOptions.forSchema("pg_portfolio"))
        .hasMessage(
            "Invalid schema name \"pg_portfolio\": names starting with pg_ are reserved by"
                + " PostgreSQL. Choose another name.");
  }

  @Test
  void runtimeRoleIsValidatedLikeTheSchema() {
    assertThatThrownBy(() -> SchemaOptions.builder().runtimeRole("app'); --").build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid role name");
  }

  @Test
  void fromVersionMustBeAKnownVersion() {
    assertThatThrownBy(() -> SchemaOptions.builder().fromVersion(7).build())
        .hasMessage(
            "fromVersion must be between 0 and " + PortfolioSchema.latestVersion() + " (was 7)");
  }

  @Test
  void exportQuotesTheSchemaAndNamesTheExtensionAsAPrerequisiteOnly() throws IOException {
    StringWriter out = new StringWriter();
    PortfolioSchema.writeSchema(
        out, SchemaOptions.builder().schema("rag_index").runtimeRole("app").build());
    String sql = out.toString();

    assertThat(sql)
        .startsWith(
            "-- Portfolio schema \"rag_index\": migrations 1 to " + PortfolioSchema.latestVersion())
        .contains("--   CREATE EXTENSION IF NOT EXISTS vector;")
        .contains(
            "SET standard_conforming_strings = on;\nBEGIN;\n-- Serialises concurrent installs of"
                + " this schema.\nSELECT pg_advisory_xact_lock(")
        .contains("CREATE TABLE \"rag_index\".embeddings (")
        .contains("PARTITION BY LIST (set_id)")
        .contains("CREATE SCHEMA IF NOT EXISTS \"rag_index\";")
        .contains("CREATE TABLE \"rag_index\".chunks (")
        .contains("CREATE TABLE \"rag_index\".jobs (")
        .contains("CREATE TABLE \"rag_index\".job_units (")
        .contains("INSERT INTO \"rag_index\".\"schema_version\"")
        .contains("GRANT USAGE ON SCHEMA \"rag_index\" TO \"app\";")
        .contains(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON \"rag_index\".collections,"
                + " \"rag_index\".documents, \"rag_index\".chunks, \"rag_index\".embedding_sets,"
                + " \"rag_index\".embeddings, \"rag_index\".operation_log,"
                + " \"rag_index\".maintenance_locks, \"rag_index\".jobs, \"rag_index\".job_units,"
                + " \"rag_index\".document_history TO \"app\";")
        .endsWith("COMMIT;\n")
        .doesNotContain("${schema}");
    assertThat(sql.lines().filter(l -> l.startsWith("CREATE EXTENSION"))).isEmpty();
  }

  @Test
  void exportFromTheLatestVersionHasNoMigrationAndNoTransactionWhenAskedNot() throws IOException {
    StringWriter out = new StringWriter();
    PortfolioSchema.writeSchema(
        out,
        SchemaOptions.builder()
            .fromVersion(PortfolioSchema.latestVersion())
            .transaction(false)
            .build());

    assertThat(out.toString())
        .doesNotContain("CREATE TABLE \"portfolio\".chunks")
        .doesNotContain("CREATE TABLE \"portfolio\".embeddings")
        .doesNotContain("BEGIN;")
        .doesNotContain("COMMIT;");
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(PortfolioSchema.compareVersions("0.10.0", "0.7.0")).isPositive();
    assertThat(PortfolioSchema.compareVersions("0.6.2", "0.7.0")).isNegative();
    assertThat(PortfolioSchema.compareVersions("0.7", "0.7.0")).isZero();
  }
}
