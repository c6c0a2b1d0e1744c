package dev.portfolio.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.NamedProvider;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.ProgressReporterProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressReporterProvidersTest {
  @Test
  void builtInProvidersAreRegisteredWithSlf4jFirst() {
    assertThat(Providers.available(ProgressReporterProvider.class))
        .extracting(NamedProvider::id, NamedProvider::priority)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("slf4j", 10),
            org.assertj.core.groups.Tuple.tuple("console", 5),
            org.assertj.core.groups.Tuple.tuple("silent", 0),
            org.assertj.core.groups.Tuple.tuple("jfr", -10));
  }

  @Test
  void withNothingNamedTheSlf4jReporterIsCreated() {
    assertThat(Providers.progressReporter(Map.of())).isInstanceOf(Slf4jProgressReporter.class);
  }

  @Test
  void consoleIsCreatedByNameWithItsOptions() {
    ProgressReporter reporter =
        Providers.progressReporter(
            Map.of("provider", "console", "terminal", "false", "interval", "30s", "width", "80"));

    assertThat(reporter)
        .isInstanceOfSatisfying(
            ConsoleProgressReporter.class, c -> assertThat(c.isTerminal()).isFalse());
    assertThat(new ConsoleProgressReporterProvider().create(Map.of("terminal", "TRUE")))
        .isInstanceOfSatisfying(
            ConsoleProgressReporter.class, c -> assertThat(c.isTerminal()).isTrue());
  }

  @Test
  void consoleRejectsAnUnknownOptionListingTheKnownOnes() {
    ConsoleProgressReporterProvider provider = new ConsoleProgressReporterProvider();

    assertThatThrownBy(() -> provider.create(Map.of("colour", "red")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Unknown console option [colour]. Known options: [interval, provider, terminal,"
                + " width].");
  }

  @Test
  void consoleRejectsATerminalValueOtherThanTrueFalseOrAuto() {
    ConsoleProgressReporterProvider provider = new ConsoleProgressReporterProvider();

    assertThatThrownBy(() -> provider.create(Map.of("terminal", "maybe")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("console option 'terminal' must be true, false or auto (was \"maybe\")");
  }

  @Test
  void consoleRejectsAWidthOutOfRange() {
    ConsoleProgressReporterProvider provider = new ConsoleProgressReporterProvider();

    assertThatThrownBy(() -> provider.create(Map.of("width", "5")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("console option 'width' must be between 20 and 1000 (was 5)");
  }

  @Test
  void slf4jUsesTheConfiguredLoggerName() {
    ProgressReporter reporter =
        new Slf4jProgressReporterProvider()
            .create(Map.of("logger", "com.example.progress", "interval", "PT1M"));

    assertThat(reporter)
        .isInstanceOfSatisfying(
            Slf4jProgressReporter.class,
            r -> assertThat(r.loggerName()).isEqualTo("com.example.progress"));
  }

  @Test
  void slf4jRejectsAMalformedIntervalAndUnknownOptions() {
    Slf4jProgressReporterProvider provider = new Slf4jProgressReporterProvider();

    assertThatThrownBy(() -> provider.create(Map.of("interval", "often")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "slf4j option 'interval' must be a duration such as 500ms, 30s, 2m, 1h or PT30S"
                + " (was \"often\")");
    assertThatThrownBy(() -> provider.create(Map.of("level", "debug")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Unknown slf4j option [level]. Known options: [interval, logger, provider].");
  }

  @Test
  void silentReturnsTheSilentReporterAndTakesNoOptions() {
    SilentProgressReporterProvider provider = new SilentProgressReporterProvider();

    assertThat(provider.create(Map.of())).isSameAs(ProgressReporter.SILENT);
    assertThatThrownBy(() -> provider.create(Map.of("interval", "1s")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Unknown silent option [interval]. Known options: [provider].");
  }
}
