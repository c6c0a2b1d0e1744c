package dev.portfolio.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.ingest.IngestDocument;
import dev.portfolio.maintenance.ingest.IngestOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The Spring Boot example against the test database ({@code PORTFOLIO_TEST_JDBC_URL}), in a schema
 * of its own: the beans on the host's DataSource, the admin endpoints and the gauges. Without a
 * database the test is skipped with a message, except with {@code CI=true}, where it fails.
 */
@SpringBootTest(
    properties = {"portfolio.embedder.provider=hashing", "portfolio.embedder.dimension=16"})
@AutoConfigureMockMvc
class PortfolioAdminIT {
  private static final String URL = System.getenv("PORTFOLIO_TEST_JDBC_URL");
  private static final String SCHEMA =
      "it_springboot_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

  @Autowired private MockMvc mvc;
  @Autowired private Maintenance maintenance;
  @Autowired private VectorStore store;
  @Autowired private PortfolioMetrics metrics;
  @Autowired private MeterRegistry registry;

  @BeforeAll
  static void requireDatabase() {
    if (URL == null || URL.isBlank()) {
      String message =
          "PORTFOLIO_TEST_JDBC_URL is not set: the Spring Boot example needs PostgreSQL with"
              + " pgvector (scripts/provision-postgres.sh prints a URL)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.abort(message);
    }
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
    registry.add("portfolio.schema", () -> SCHEMA);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (URL == null || URL.isBlank()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + SCHEMA + "\" CASCADE");
    }
  }

  @Test
  void diagnosticsRetryFailedAndGaugesWorkOnTheHostsDataSource() throws Exception {
    maintenance.ingest(
        "docs",
        List.of(
            IngestDocument.of("a", "Write-ahead logging makes crash recovery possible."),
            IngestDocument.of("b", "Exponential backoff with jitter spreads retries.")),
        IngestOptions.defaults());
    store.updateStatus("docs", "b", DocumentStatus.FAILED, "embedder timed out");

    mvc.perform(get("/admin/portfolio/diagnostics"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.collections[0].name").value("docs"))
        .andExpect(jsonPath("$.collections[0].failedDocuments").value(1))
        .andExpect(jsonPath("$.configuration.embedder").value("hashing:hashing-v1"));

    metrics.refresh();
    assertThat(
            registry
                .get("portfolio.index.documents.failed")
                .tag("collection", "docs")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(registry.get("portfolio.index.coverage").tag("collection", "docs").gauge().value())
        .isEqualTo(1.0);

    mvc.perform(post("/admin/portfolio/retry-failed").param("collection", "docs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.collection").value("docs"));
    assertThat(store.findDocument("docs", "b").orElseThrow().status())
        .isEqualTo(DocumentStatus.READY);
    metrics.invalidate();
    assertThat(
            registry
                .get("portfolio.index.documents.failed")
                .tag("collection", "docs")
                .gauge()
                .value())
        .isZero();

    mvc.perform(get("/admin/portfolio/health"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.schemaVersion").value(1))
        .andExpect(jsonPath("$.status").value(org.hamcrest.Matchers.oneOf("pass", "info")));
    assertThat(registry.get("portfolio.health.status").gauge().value()).isBetween(0.0, 1.0);
    assertThat(registry.get("portfolio.health.checks.failed").gauge().value()).isZero();

    mvc.perform(post("/admin/portfolio/retry-failed").param("collection", "no-such"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("NOT_FOUND"));
  }
}
