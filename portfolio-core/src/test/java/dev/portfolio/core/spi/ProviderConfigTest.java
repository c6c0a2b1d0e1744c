package dev.portfolio.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderConfigTest {
  private static ProviderConfig config(Map<String, String> values) {
    return ProviderConfig.of("openai", values);
  }

  @Test
  void integerIsParsedTrimmedAndDefaultsWhenAbsentOrBlank() {
    ProviderConfig c = config(Map.of("batchSize", " 64 ", "blank", "  "));

    assertThat(c.integer("batchSize", 16, 1, 2048)).isEqualTo(64);
    assertThat(c.integer("blank", 16, 1, 2048)).isEqualTo(16);
    assertThat(c.integer("absent", 16, 1, 2048)).isEqualTo(16);
  }

  @Test
  void integerThatIsNotANumberNamesTheKeyAndTheValue() {
    assertThatThrownBy(() -> config(Map.of("batchSize", "ten")).integer("batchSize", 16, 1, 2048))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("batchSize"))
        .hasMessage("openai option 'batchSize' must be an integer (was \"ten\")");
    assertThatThrownBy(
            () -> config(Map.of("batchSize", "99999999999")).integer("batchSize", 16, 1, 2048))
        .hasMessage("openai option 'batchSize' must be an integer (was \"99999999999\")");
  }

  @Test
  void integerOutOfRangeStatesTheRange() {
    assertThatThrownBy(() -> config(Map.of("batchSize", "0")).integer("batchSize", 16, 1, 2048))
        .hasMessage("openai option 'batchSize' must be between 1 and 2048 (was 0)");
    assertThatThrownBy(() -> config(Map.of("batchSize", "2049")).integer("batchSize", 16, 1, 2048))
        .hasMessage("openai option 'batchSize' must be between 1 and 2048 (was 2049)");
  }

  @Test
  void boolAcceptsTrueAndFalseInAnyCase() {
    ProviderConfig c = config(Map.of("a", "TRUE", "b", "False"));

    assertThat(c.bool("a", false)).isTrue();
    assertThat(c.bool("b", true)).isFalse();
    assertThat(c.bool("absent", true)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "on", "t"})
  void boolRejectsAnythingElse(String value) {
    assertThatThrownBy(() -> config(Map.of("truncate", value)).bool("truncate", false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("openai option 'truncate' must be true or false (was \"" + value + "\")");
  }

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "500ms, PT0.5S",
    "2m, PT2M",
    "PT1M30S, PT1M30S",
    "pt5s, PT5S",
    "250, PT0.25S",
    "' 10 s ', PT10S"
  })
  void durationAcceptsUnitsAndIso8601(String value, String expected) {
    assertThat(config(Map.of("timeout", value)).duration("timeout", Duration.ofSeconds(1)))
        .isEqualTo(Duration.parse(expected));
  }

  @Test
  void durationDefaultsWhenAbsent() {
    assertThat(config(Map.of()).duration("timeout", Duration.ofSeconds(42)))
        .isEqualTo(Duration.ofSeconds(42));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "1d", "30 sec", "s", "PT"})
  void malformedDurationShowsTheAcceptedForms(String value) {
    assertThatThrownBy(() -> config(Map.of("timeout", value)).duration("timeout", Duration.ZERO))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("timeout"))
        .hasMessage(
            "openai option 'timeout' must be a duration such as 500ms, 30s, 2m, 1h or PT30S (was \""
                + value
                + "\")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "-5s", "PT-1S", "0"})
  void durationMustBePositive(String value) {
    assertThatThrownBy(() -> config(Map.of("timeout", value)).duration("timeout", Duration.ZERO))
        .hasMessage("openai option 'timeout' must be positive (was \"" + value + "\")");
  }

  @Test
  void requireNamesTheMissingOption() {
    assertThat(config(Map.of("model", "text-embedding-3-small")).require("model"))
        .isEqualTo("text-embedding-3-small");
    assertThatThrownBy(() -> config(Map.of("apiKey", " ")).require("apiKey"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("apiKey"))
        .hasMessage("openai option 'apiKey' is required but was not set");
  }

  @Test
  void rejectUnknownListsTheUnknownAndTheKnownKeys() {
    ProviderConfig c =
        config(Map.of("model", "m", "colour", "red", "size", "xl", "provider", "openai"));
    c.string("model");
    c.integer("batchSize", 1, 1, 10);

    assertThatThrownBy(c::rejectUnknown)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("colour"))
        .hasMessage(
            "Unknown openai options [colour, size]. Known options: [batchSize, model, provider].");
  }

  @Test
  void rejectUnknownUsesTheSingularForOneKey() {
    ProviderConfig c = config(Map.of("modle", "m"));
    c.string("model", "default");

    assertThatThrownBy(c::rejectUnknown)
        .hasMessage("Unknown openai option [modle]. Known options: [model, provider].");
  }

  @Test
  void rejectUnknownPassesWhenEveryKeyWasRead() {
    ProviderConfig c = config(Map.of("model", "m", "provider", "openai"));
    c.string("model");

    c.rejectUnknown();

    assertThat(c.string("model")).contains("m");
  }

  @Test
  void nullConfigurationIsRejected() {
    assertThatThrownBy(() -> ProviderConfig.of("openai", null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("openai configuration must not be null");
  }
}
