package dev.portfolio.maintenance.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.maintenance.modelswitch.SwitchOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchJobRequestTest {
  @Test
  void aSecretIsNeverStoredInAJobsParameters() {
    assertThatThrownBy(
            () ->
                SwitchJobHandler.request(
                    "docs",
                    Map.of("provider", "openai", "apiKey", "sk-live-123"),
                    SwitchOptions.defaults()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("embedder.apiKey")
        .hasMessageContaining("apiKeyEnv")
        .hasMessageNotContaining("sk-live-123");
  }

  @Test
  void theEnvironmentVariableNamingTheKeyIsStored() {
    JobRequest request =
        SwitchJobHandler.request(
                "docs",
                Map.of("provider", "openai", "apiKeyEnv", "OPENAI_KEY_2"),
                SwitchOptions.defaults())
            .build();

    assertThat(request.params().withPrefix("embedder."))
        .containsEntry("apiKeyEnv", "OPENAI_KEY_2")
        .containsEntry("provider", "openai");
  }
}
