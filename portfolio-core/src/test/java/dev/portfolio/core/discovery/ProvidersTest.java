package dev.portfolio.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.discovery.TestWidgets.Alpha;
import dev.portfolio.core.discovery.TestWidgets.TestWidgetProvider;
import dev.portfolio.core.discovery.TestWidgets.TiedWidgetProvider;
import dev.portfolio.core.discovery.TestWidgets.UnregisteredWidgetProvider;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.progress.ConsoleProgressReporterProvider;
import dev.portfolio.core.progress.SilentProgressReporterProvider;
import dev.portfolio.core.progress.Slf4jProgressReporterProvider;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.spi.NamedProvider;
import dev.portfolio.core.spi.ProgressReporterProvider;
import dev.portfolio.core.spi.VectorStore;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ProvidersTest {
  @Test
  void everyEmbedderTakesAPriceThatShowsInItsInfoAndChangesNoVector() {
    try (Embedder priced =
            Providers.embedder(
                Map.of("provider", "hashing", "dimension", "8", "pricePer1kTokens", "0.02"));
        Embedder plain = Providers.embedder(Map.of("provider", "hashing", "dimension", "8"))) {
      assertThat(priced.info().pricePer1kTokens()).isEqualTo(0.02);
      assertThat(priced.info().hasPrice()).isTrue();
      assertThat(priced.info().cost(50_000)).hasValue(1.0);
      assertThat(priced.info().withPricePer1kTokens(0)).isEqualTo(plain.info());
      assertThat(plain.info().hasPrice()).isFalse();
      assertThat(plain.info().cost(50_000)).isEmpty();
      assertThat(priced.embed(List.of("alpha beta")).embeddings())
          .isEqualTo(plain.embed(List.of("alpha beta")).embeddings());
      assertThat(priced.embedQuery("gamma")).isEqualTo(plain.embedQuery("gamma"));
      assertThat(priced.inputTokens().maxTokens()).isEqualTo(plain.inputTokens().maxTokens());
    }
  }

  @Test
  void aMalformedOrNegativePriceIsRejectedNamingTheOption() {
    assertThatThrownBy(
            () -> Providers.embedder(Map.of("provider", "hashing", "pricePer1kTokens", "cheap")))
        .hasMessage(
            "hashing option 'pricePer1kTokens' must be a number such as 0.02 (was \"cheap\")");
    assertThatThrownBy(
            () -> Providers.embedder(Map.of("provider", "hashing", "pricePer1kTokens", "-1")))
        .hasMessageContaining("'pricePer1kTokens' must be between 0.0 and 1000000.0 (was -1)");
    assertThatThrownBy(() -> new EmbedderInfo("p", "m", 4, 1, 1, Double.NaN))
        .hasMessageContaining("pricePer1kTokens must be finite and >= 0");
  }

  @Test
  void configIdSelectsTheProviderIgnoringCaseAndSurroundingSpace() {
    assertThat(Providers.select(TestWidgetProvider.class, Map.of("provider", "beta")).id())
        .isEqualTo("beta");
    assertThat(Providers.select(TestWidgetProvider.class, Map.of("provider", " BETA ")).id())
        .isEqualTo("beta");
  }

  @Test
  void withNothingNamedTheHighestPriorityWins() {
    assertThat(Providers.select(TestWidgetProvider.class, null)).isInstanceOf(Alpha.class);
    assertThat(Providers.select(TestWidgetProvider.class, Map.of("provider", "  ")))
        .isInstanceOf(Alpha.class);
  }

  @Test
  void systemPropertySelectsTheProviderWhenConfigNamesNone() {
    withProperty(
        Providers.PROGRESS_PROPERTY,
        "console",
        () -> {
          assertThat(Providers.select(ProgressReporterProvider.class, Map.of()))
              .isInstanceOf(ConsoleProgressReporterProvider.class);
          return null;
        });
    assertThat(System.getProperty(Providers.PROGRESS_PROPERTY)).isNull();
  }

  @Test
  void configIdWinsOverTheSystemProperty() {
    withProperty(
        Providers.PROGRESS_PROPERTY,
        "console",
        () -> {
          assertThat(Providers.select(ProgressReporterProvider.class, Map.of("provider", "silent")))
              .isInstanceOf(SilentProgressReporterProvider.class);
          return null;
        });
  }

  @Test
  void withoutConfigOrPropertyPriorityChoosesAmongTheBuiltInReporters() {
    assertThat(Providers.select(ProgressReporterProvider.class, Map.of()))
        .isInstanceOf(Slf4jProgressReporterProvider.class);
  }

  @Test
  void anUnknownIdIsNamedWithTheAvailableProviders() {
    assertThatThrownBy(
            () -> Providers.select(TestWidgetProvider.class, Map.of("provider", "gamma")))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_NOT_FOUND))
        .hasMessage(
            "No TestWidgetProvider provider with id 'gamma' on the classpath. Available: [alpha"
                + " (priority 20), beta (priority 10)].");
  }

  @Test
  void anIdOfAnotherPortfolioArtifactNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> Providers.embedder(Map.of("provider", "onnx")))
        .isInstanceOf(PortfolioException.class)
        .hasMessageStartingWith(
            "No embedder provider with id 'onnx' on the classpath. It is provided by"
                + " dev.portfolio:portfolio-embedders: add that dependency. ");
    assertThatThrownBy(() -> Providers.vectorStore(Map.of("provider", "PGVECTOR")))
        .hasMessageContaining(
            "It is provided by dev.portfolio:portfolio-index: add that dependency.");
  }

  @Test
  void anIdFromTheSystemPropertyIsReportedTheSameWay() {
    withProperty(
        Providers.EMBEDDER_PROPERTY,
        "voyage",
        () -> {
          assertThatThrownBy(() -> Providers.embedder(Map.of()))
              .hasMessageStartingWith(
                  "No embedder provider with id 'voyage' on the classpath. It is provided by"
                      + " dev.portfolio:portfolio-embedders");
          return null;
        });
  }

  @Test
  void aHostileIdIsEscapedInTheMessage() {
    assertThatThrownBy(
            () ->
                Providers.select(
                    TestWidgetProvider.class, Map.of("provider", "x\n[main] ERROR forged")))
        .hasMessageStartingWith(
            "No TestWidgetProvider provider with id 'x\\u000a[main] ERROR forged' on the"
                + " classpath.")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void noProviderAtAllTellsHowToAddOne() {
    assertThatThrownBy(() -> Providers.select(UnregisteredWidgetProvider.class, Map.of()))
        .isInstanceOfSatisfying(
            NonRetriableException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_NOT_FOUND))
        .hasMessageStartingWith("No UnregisteredWidgetProvider provider found on the classpath.")
        .hasMessageContaining(
            "register your own in META-INF/services/"
                + UnregisteredWidgetProvider.class.getName()
                + ", or pass an instance to the builder.");
  }

  @Test
  void builtInProvidersAreFoundEvenWhenTheContextClassLoaderCannotSeeThem() {
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    thread.setContextClassLoader(new ClassLoader(null) {});
    try {
      assertThat(Providers.available(EmbedderProvider.class))
          .extracting(NamedProvider::id)
          .contains("hashing");
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @Test
  void anIdOfAnotherKindIsNamedAsSuch() {
    assertThatThrownBy(() -> Providers.vectorStore(Map.of("provider", "hashing")))
        .hasMessageContaining("No vector store provider with id 'hashing' on the classpath.")
        .hasMessageContaining(
            "'hashing' names a provider of another kind (embedder), not a vector store.")
        .hasMessageContaining("memory (priority 0)")
        .hasMessageNotContaining("add that dependency");
  }

  @Test
  void brokenRegistrationsAreSkippedAndLoggedWhileTheOthersAreFound() {
    List<TestWidgetProvider> found;
    String log;
    try (StderrCapture err = new StderrCapture()) {
      found = Providers.available(TestWidgetProvider.class);
      log = err.text();
    }

    assertThat(found).extracting(NamedProvider::id).containsExactly("alpha", "beta");
    assertThat(log.lines().filter(l -> l.contains("WARN")))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("Skipping a TestWidgetProvider provider that failed to load")
                    .contains("TestWidgets$Exploding could not be instantiated"))
        .anySatisfy(l -> assertThat(l).contains("NotAWidget not a subtype"))
        .anySatisfy(l -> assertThat(l).contains("TestWidgets$Missing not found"))
        .anySatisfy(l -> assertThat(l).contains("no id"));
  }

  @Test
  void aDuplicateIdKeepsTheFirstRegistrationAndWarns() {
    List<TestWidgetProvider> found;
    String log;
    try (StderrCapture err = new StderrCapture()) {
      found = Providers.available(TestWidgetProvider.class);
      log = err.text();
    }

    assertThat(found.get(0)).isInstanceOf(Alpha.class);
    assertThat(found.get(0).priority()).isEqualTo(20);
    assertThat(log)
        .contains(
            "Two TestWidgetProvider providers share the id 'alpha': "
                + Alpha.class.getName()
                + " and "
                + TestWidgets.AlphaTwin.class.getName()
                + "; keeping the first.");
  }

  @Test
  void equalPrioritiesAreBrokenByIdAndLoggedAsAWarning() {
    NamedProvider chosen;
    String log;
    try (StderrCapture err = new StderrCapture()) {
      chosen = Providers.select(TiedWidgetProvider.class, Map.of());
      log = err.text();
    }

    assertThat(chosen.id()).isEqualTo("one");
    assertThat(log)
        .contains("WARN")
        .contains(
            "Several TiedWidgetProvider providers found: [one (priority 5), two (priority 5)];"
                + " using 'one' (equal priority, first by id).");
  }

  @Test
  void distinctPrioritiesChooseTheHighestWithoutWarning() {
    NamedProvider chosen;
    String log;
    try (StderrCapture err = new StderrCapture()) {
      chosen = Providers.select(TestWidgetProvider.class, Map.of());
      log = err.text();
    }

    assertThat(chosen.id()).isEqualTo("alpha");
    assertThat(log.lines().filter(l -> l.contains("Several"))).isEmpty();
  }

  @Test
  void aFallbackProviderChosenWithoutBeingNamedIsLoggedAsAWarning() {
    String log;
    try (StderrCapture err = new StderrCapture()) {
      Providers.embedder(Map.of()).close();
      Providers.vectorStore(Map.of()).close();
      log = err.text();
    }

    assertThat(log.lines().filter(l -> l.contains("WARN")))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(
                        "No embedder provider was named, and 'hashing' is the only kind found: it"
                            + " embeds words, not meaning (for tests and demos only). Name one"
                            + " with the 'provider' option to silence this warning."))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(
                        "No vector store provider was named, and 'memory' is the only kind"
                            + " found: it keeps everything in the heap and loses it when the JVM"
                            + " stops."));
  }

  @Test
  void aFallbackProviderNamedByConfigurationOrPropertyIsNotWarnedAbout() {
    String log;
    try (StderrCapture err = new StderrCapture()) {
      Providers.embedder(Map.of("provider", "hashing")).close();
      Providers.vectorStore(Map.of("provider", "memory")).close();
      withProperty(
          Providers.EMBEDDER_PROPERTY,
          "hashing",
          () -> {
            Providers.embedder(Map.of()).close();
            return null;
          });
      log = err.text();
    }

    assertThat(log).doesNotContain("was named");
  }

  @Test
  void anExplicitInstanceWinsOverConfiguration() {
    Embedder explicit =
        new Embedder() {
          @Override
          public EmbedderInfo info() {
            throw new UnsupportedOperationException();
          }

          @Override
          public EmbeddingBatch embed(List<String> texts, InputType type) {
            throw new UnsupportedOperationException();
          }
        };
    VectorStore store =
        (VectorStore)
            Proxy.newProxyInstance(
                VectorStore.class.getClassLoader(),
                new Class<?>[] {VectorStore.class},
                (proxy, method, args) -> {
                  throw new UnsupportedOperationException(method.getName());
                });

    assertThat(Providers.resolveEmbedder(explicit, Map.of("provider", "nope"))).isSameAs(explicit);
    assertThat(Providers.resolveVectorStore(store, Map.of("provider", "nope"))).isSameAs(store);
  }

  private static <T> T withProperty(String name, String value, Supplier<T> body) {
    String previous = System.getProperty(name);
    System.setProperty(name, value);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, previous);
      }
    }
  }
}
