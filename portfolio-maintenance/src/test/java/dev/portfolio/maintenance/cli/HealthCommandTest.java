package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.maintenance.health.HealthCheckOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Option parsing of {@code portfolio health}; nothing is opened. */
class HealthCommandTest {
  private static final Map<String, String> DB =
      Map.of("PORTFOLIO_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none");

  @Test
  void optionsMapToTheLibrarysHealthCheckOptions() {
    HealthCommand cmd =
        InProcess.parse(
            "health",
            "-c",
            "docs",
            "--collection",
            "code",
            "--fix",
            "--deep",
            "--json",
            "--queue",
            "--output",
            "/tmp/health.json",
            "--require-metadata",
            "docs=lang",
            "--require-metadata",
            "docs=owner");

    HealthCheckOptions options = cmd.options(null);

    assertThat(options.collections()).containsExactly("docs", "code");
    assertThat(options.fix()).isTrue();
    assertThat(options.deep()).isTrue();
    assertThat(options.queueRepairs()).isTrue();
    assertThat(options.requiredMetadataKeys("docs")).isEqualTo(Set.of("lang", "owner"));
    assertThat(options.requiredMetadataKeys("code")).isEmpty();
    assertThat(cmd.json).isTrue();
    assertThat(cmd.output).isEqualTo(Path.of("/tmp/health.json"));
  }

  @Test
  void theDefaultsCheckEveryCollectionBySamplingWithoutRepair() {
    HealthCheckOptions options = InProcess.<HealthCommand>parse("health").options(null);

    assertThat(options.collections()).isEmpty();
    assertThat(options.fix()).isFalse();
    assertThat(options.deep()).isFalse();
    assertThat(options.sampleSize()).isEqualTo(HealthCheckOptions.DEFAULT_SAMPLE_SIZE);
  }

  @Test
  void aMalformedRequiredKeyIsAUsageErrorNamingIt() {
    InProcess r = InProcess.run(DB, "health", "--require-metadata", "docs");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--require-metadata must be COLLECTION=KEY (was 'docs')");
  }

  @Test
  void queueWithoutFixIsAUsageError() {
    InProcess r = InProcess.run(DB, "health", "--queue");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--queue only applies with --fix");
  }

  @Test
  void theHelpListsTheOptionsAndExitCodeThree() {
    InProcess r = InProcess.run("health", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("--fix", "--deep", "--json", "--output=FILE", "-c, --collection=NAME")
        .containsPattern("3 +a health check reported FAIL");
  }
}
