package dev.portfolio.index.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Starts a pgvector container when (and only when) a Docker engine is available. */
final class Containers {
  private static final String IMAGE = "pgvector/pgvector:pg17";

  private Containers() {}

  /**
   * Starts one container for the JVM, stopped by Testcontainers' reaper at exit.
   *
   * @return the JDBC URL with credentials, or null when no Docker engine answers
   */
  @SuppressWarnings("resource") // lives for the whole test JVM
  static String startPgvectorIfDockerAvailable() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    if (!docker) {
      return null;
    }
    PostgreSQLContainer pg =
        new PostgreSQLContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"))
            .withDatabaseName("portfolio_test")
            .withUsername("portfolio")
            .withPassword("portfolio")
            .withInitScript("dev/portfolio/index/testing/create-vector-extension.sql");
    pg.start();
    return pg.getJdbcUrl()
        + (pg.getJdbcUrl().contains("?") ? "&" : "?")
        + "user=portfolio&password=portfolio";
  }
}
