package dev.portfolio.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.memory.InMemoryVectorStore;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import dev.portfolio.maintenance.reembed.ReembedMode;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MaintenanceBuilderTest {
  private final InMemoryVectorStore store = new InMemoryVectorStore();

  @Test
  void buildRequiresAStore() {
    assertThatThrownBy(() -> Maintenance.builder().build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("store is required");
  }

  @Test
  void buildNamesTheInvalidFieldInItsMessage() {
    assertThatThrownBy(() -> Maintenance.builder().store(store).retryMaxAttempts(0).build())
        .hasMessage("retry.maxAttempts must be between 1 and 100 (was 0)");
    assertThatThrownBy(
            () ->
                Maintenance.builder()
                    .store(store)
                    .retryInitialBackoff(Duration.ofSeconds(5))
                    .retryMaxBackoff(Duration.ofSeconds(1))
                    .build())
        .hasMessage("retry.maxBackoff must be >= retry.initialBackoff (PT5S) (was PT1S)");
    assertThatThrownBy(() -> Maintenance.builder().store(store).maxReportedErrors(-1).build())
        .hasMessage("maxReportedErrors must be between 0 and 10000 (was -1)");
  }

  @Test
  void reembedOptionsNameTheInvalidFieldInTheirMessage() {
    assertThatThrownBy(() -> ReembedOptions.builder("docs").batchSize(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("reembed.batchSize must be between 1 and 10000 (was 0)");
    assertThatThrownBy(() -> ReembedOptions.builder("docs").maxConcurrency(65).build())
        .hasMessage("reembed.maxConcurrency must be between 1 and 64 (was 65)");
    assertThatThrownBy(() -> ReembedOptions.builder("docs").targetSet(-1).build())
        .hasMessage("reembed.targetSet must be >= 0, 0 meaning the active set (was -1)");
    assertThatThrownBy(() -> ReembedOptions.builder("docs").mode(null).build())
        .hasMessage("reembed.mode must not be null");
    assertThatThrownBy(() -> ReembedOptions.builder(null).build())
        .hasMessage("reembed.collection is required (was null)");
    assertThatThrownBy(() -> ReembedOptions.builder("Docs").build())
        .hasMessageContaining("use \"docs\"");
    assertThatThrownBy(() -> SwitchOptions.builder().catchUpRounds(101).build())
        .hasMessage("switch.catchUpRounds must be between 0 and 100 (was 101)");
  }

  @Test
  void reembedOptionsHaveDocumentedDefaults() {
    ReembedOptions o = ReembedOptions.builder("docs").build();
    assertThat(o.mode()).isEqualTo(ReembedMode.MISSING);
    assertThat(o.batchSize()).isEqualTo(100);
    assertThat(o.maxConcurrency()).isEqualTo(4);
    assertThat(o.targetSetId()).isZero();
    assertThat(o.dryRun()).isFalse();
    assertThat(o.isFiltered()).isFalse();
    assertThat(o.cancellation().getAsBoolean()).isFalse();
    SwitchOptions s = SwitchOptions.defaults();
    assertThat(s.activate()).isTrue();
    assertThat(s.force()).isFalse();
    assertThat(s.dropRetired()).isFalse();
    assertThat(s.catchUpRounds()).isEqualTo(3);
  }

  @Test
  void reembedWithoutAnEmbedderSaysHowToConfigureOne() {
    Maintenance m = Maintenance.builder().store(store).build();
    assertThatThrownBy(() -> m.reembed(ReembedOptions.builder("docs").build()))
        .hasMessageContaining("reembed needs an embedder")
        .hasMessageContaining("Maintenance.builder().embedder(...)");
    assertThat(m.embedder()).isEmpty();
  }

  @Test
  void toStringNamesTheConfiguration() {
    Maintenance m = Maintenance.builder().store(store).embedder(new HashingEmbedder(16)).build();
    assertThat(m.toString())
        .startsWith("Maintenance[store=InMemoryVectorStore, embedder=hashing:hashing-v1, retry=");
  }
}
