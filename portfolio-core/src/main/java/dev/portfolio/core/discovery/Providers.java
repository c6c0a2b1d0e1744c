package dev.portfolio.core.discovery;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderProvider;
import dev.portfolio.core.spi.NamedProvider;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.spi.ProgressReporterProvider;
import dev.portfolio.core.spi.ProviderConfig;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.spi.VectorStoreProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers and creates embedders, stores and progress reporters.
 *
 * <p>Order of precedence:
 *
 * <ol>
 *   <li>an explicit instance passed to {@code resolve...} (or to a builder) wins;
 *   <li>else the provider named by the {@code provider} key of the configuration map;
 *   <li>else the provider named by the system property ({@value #EMBEDDER_PROPERTY}, {@value
 *       #STORE_PROPERTY}, {@value #PROGRESS_PROPERTY});
 *   <li>else the {@link ServiceLoader} provider with the highest priority; when several are found,
 *       the candidates and the one chosen are logged.
 * </ol>
 *
 * <p>A provider that fails to load is logged and skipped; it does not stop discovery of the others.
 * When nothing matches, the message names the artifact to add.
 *
 * @since 0.1.0
 */
public final class Providers {
  /** System property naming the embedder provider id. */
  public static final String EMBEDDER_PROPERTY = "portfolio.embedder";

  /** System property naming the store provider id. */
  public static final String STORE_PROPERTY = "portfolio.store";

  /** System property naming the progress reporter provider id. */
  public static final String PROGRESS_PROPERTY = "portfolio.progress";

  private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

  /** Providers that work anywhere but should not be picked up unnoticed in production. */
  private static final Map<String, String> FALLBACK_WARNINGS =
      Map.of(
          "hashing",
          "it embeds words, not meaning (for tests and demos only).",
          "memory",
          "it keeps everything in the heap and loses it when the JVM stops.");

  /** Provider ids that Portfolio's own artifacts supply, by kind, with the artifact to add. */
  private static final Map<Class<?>, Map<String, String>> KNOWN_ARTIFACTS =
      Map.of(
          EmbedderProvider.class,
          Map.of(
              "openai", "dev.portfolio:portfolio-embedders",
              "voyage", "dev.portfolio:portfolio-embedders",
              "onnx", "dev.portfolio:portfolio-embedders",
              "hashing", "dev.portfolio:portfolio-core"),
          VectorStoreProvider.class,
          Map.of(
              "pgvector", "dev.portfolio:portfolio-index",
              "memory", "dev.portfolio:portfolio-core"),
          ProgressReporterProvider.class,
          Map.of(
              "console", "dev.portfolio:portfolio-core",
              "slf4j", "dev.portfolio:portfolio-core",
              "silent", "dev.portfolio:portfolio-core",
              "jfr", "dev.portfolio:portfolio-core"));

  private Providers() {}

  /**
   * Creates the embedder the configuration selects.
   *
   * <p>Besides the provider's own options, every embedder accepts {@value
   * ProviderConfig#PRICE_PER_1K_TOKENS} (the price of 1,000 tokens, a decimal >= 0): it is read
   * here, not by the provider, and shows in {@link
   * dev.portfolio.core.spi.EmbedderInfo#pricePer1kTokens()} of the embedder returned, for cost
   * estimates and budgets.
   *
   * @param config options; {@code provider} selects the provider, the rest go to it
   * @return a new embedder
   * @throws PortfolioException with {@link ErrorCode#PROVIDER_NOT_FOUND} when none matches
   */
  public static Embedder embedder(Map<String, String> config) {
    return resolveEmbedder(null, config);
  }

  /**
   * Returns the explicit embedder when given, else creates the one the configuration selects.
   *
   * @param explicit an instance that wins over discovery, or null
   * @param config options for discovery, used only when {@code explicit} is null
   * @return the embedder
   */
  public static Embedder resolveEmbedder(Embedder explicit, Map<String, String> config) {
    if (explicit != null) {
      return explicit;
    }
    EmbedderProvider provider = select(EmbedderProvider.class, config);
    Map<String, String> options = withoutSelector(config);
    // The price is an option of every embedder: read here, so providers and plugins need not.
    String rawPrice = options.remove(ProviderConfig.PRICE_PER_1K_TOKENS);
    double price =
        rawPrice == null
            ? 0
            : ProviderConfig.of(provider.id(), Map.of(ProviderConfig.PRICE_PER_1K_TOKENS, rawPrice))
                .decimal(ProviderConfig.PRICE_PER_1K_TOKENS, 0, 0, 1_000_000);
    Embedder embedder = provider.create(options);
    return price > 0 ? new PricedEmbedder(embedder, price) : embedder;
  }

  /**
   * Creates the store the configuration selects.
   *
   * @param config options; {@code provider} selects the provider, the rest go to it
   * @return a new store
   * @throws PortfolioException with {@link ErrorCode#PROVIDER_NOT_FOUND} when none matches
   */
  public static VectorStore vectorStore(Map<String, String> config) {
    return resolveVectorStore(null, config);
  }

  /**
   * Returns the explicit store when given, else creates the one the configuration selects.
   *
   * @param explicit an instance that wins over discovery, or null
   * @param config options for discovery, used only when {@code explicit} is null
   * @return the store
   */
  public static VectorStore resolveVectorStore(VectorStore explicit, Map<String, String> config) {
    if (explicit != null) {
      return explicit;
    }
    return select(VectorStoreProvider.class, config).create(withoutSelector(config));
  }

  /**
   * Creates the progress reporter the configuration selects.
   *
   * @param config options; {@code provider} selects the provider, the rest go to it
   * @return a new reporter
   * @throws PortfolioException with {@link ErrorCode#PROVIDER_NOT_FOUND} when none matches
   */
  public static ProgressReporter progressReporter(Map<String, String> config) {
    return select(ProgressReporterProvider.class, config).create(withoutSelector(config));
  }

  /**
   * Selects a provider: by the configuration's {@code provider} key, else by system property, else
   * the highest priority found by {@link ServiceLoader}.
   *
   * @param <P> the provider type
   * @param type {@link EmbedderProvider}, {@link VectorStoreProvider} or {@link
   *     ProgressReporterProvider} (or another {@link NamedProvider} type)
   * @param config the configuration, may be null
   * @return the provider
   * @throws PortfolioException with {@link ErrorCode#PROVIDER_NOT_FOUND} when none matches
   */
  public static <P extends NamedProvider> P select(Class<P> type, Map<String, String> config) {
    String requested = config == null ? null : config.get(ProviderConfig.PROVIDER_KEY);
    if (requested == null || requested.isBlank()) {
      String property = propertyFor(type);
      requested = property == null ? null : System.getProperty(property);
    }
    List<P> found = available(type);
    if (requested != null && !requested.isBlank()) {
      return byId(type, found, requested.trim());
    }
    if (found.isEmpty()) {
      throw new NonRetriableException(
          ErrorCode.PROVIDER_NOT_FOUND,
          "No "
              + kind(type)
              + " provider found on the classpath. Add "
              + artifactsFor(type)
              + ", register your own in META-INF/services/"
              + type.getName()
              + ", or pass an instance to the builder. In a shaded (fat) jar, merge"
              + " META-INF/services files (ServicesResourceTransformer).");
    }
    P chosen = found.get(0);
    String fallbackWarning = FALLBACK_WARNINGS.get(chosen.id());
    if (fallbackWarning != null) {
      LOG.warn(
          "No {} provider was named, and '{}' is the only kind found: {} Name one with the"
              + " 'provider' option to silence this warning.",
          kind(type),
          chosen.id(),
          fallbackWarning);
    }
    if (found.size() > 1) {
      boolean tie = found.get(1).priority() == chosen.priority();
      String property = propertyFor(type);
      String how =
          property == null
              ? "Name one with the 'provider' option."
              : "Name one with the 'provider' option or -D" + property + "=<id>.";
      if (tie) {
        LOG.warn(
            "Several {} providers found: {}; using '{}' (equal priority, first by id). {}",
            kind(type),
            describe(found),
            chosen.id(),
            how);
      } else {
        // Distinct priorities decide deterministically: not worth a line at INFO on every lookup.
        LOG.debug(
            "Several {} providers found: {}; using '{}'. {}",
            kind(type),
            describe(found),
            chosen.id(),
            how);
      }
    }
    return chosen;
  }

  /**
   * Lists the providers of a type that load, highest priority first (ties by id). Providers that
   * fail to load are logged at WARN and left out.
   *
   * @param <P> the provider type
   * @param type the provider interface
   * @return the providers, possibly empty
   */
  public static <P extends NamedProvider> List<P> available(Class<P> type) {
    // The thread's context loader sees the application's plugins; Portfolio's own loader sees our
    // providers even on threads whose context loader does not (plugin loaders, pool threads).
    Map<String, P> byId = new LinkedHashMap<>();
    java.util.Set<Class<?>> seen = new java.util.HashSet<>();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ClassLoader own = Providers.class.getClassLoader();
    for (ClassLoader loader :
        context == null || context == own ? List.of(own) : List.of(context, own)) {
      load(type, loader, byId, seen);
    }
    List<P> list = new ArrayList<>(byId.values());
    list.sort(
        Comparator.comparingInt((P p) -> p.priority()).reversed().thenComparing(NamedProvider::id));
    return list;
  }

  private static <P extends NamedProvider> void load(
      Class<P> type, ClassLoader loader, Map<String, P> byId, java.util.Set<Class<?>> seen) {
    Iterator<P> it = ServiceLoader.load(type, loader).iterator();
    int errors = 0;
    while (errors < 100) {
      try {
        if (!it.hasNext()) {
          break;
        }
        P p = it.next();
        if (!seen.add(p.getClass())) {
          continue;
        }
        String id = p.id();
        P previous = byId.putIfAbsent(id, p);
        if (previous != null) {
          LOG.warn(
              "Two {} providers share the id '{}': {} and {}; keeping the first.",
              kind(type),
              id,
              previous.getClass().getName(),
              p.getClass().getName());
        }
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        errors++;
        Throwable cause = e.getCause() == null ? e : e.getCause();
        LOG.warn(
            "Skipping a {} provider that failed to load: {} (cause: {})",
            kind(type),
            e.getMessage(),
            cause.toString(),
            cause);
      }
    }
  }

  private static <P extends NamedProvider> P byId(Class<P> type, List<P> found, String id) {
    for (P p : found) {
      if (p.id().equalsIgnoreCase(id)) {
        return p;
      }
    }
    String lower = id.toLowerCase(Locale.ROOT);
    String artifact = KNOWN_ARTIFACTS.getOrDefault(type, Map.of()).get(lower);
    StringBuilder msg =
        new StringBuilder("No ")
            .append(kind(type))
            .append(" provider with id '")
            .append(dev.portfolio.core.validation.Inputs.printable(id))
            .append("' on the classpath. ");
    if (artifact != null) {
      msg.append("It is provided by ").append(artifact).append(": add that dependency. ");
    } else {
      for (Map.Entry<Class<?>, Map<String, String>> other : KNOWN_ARTIFACTS.entrySet()) {
        if (other.getKey() != type && other.getValue().containsKey(lower)) {
          msg.append("'")
              .append(lower)
              .append("' names a provider of another kind (")
              .append(kind(other.getKey()))
              .append("), not a ")
              .append(kind(type))
              .append(". ");
        }
      }
    }
    msg.append(
        found.isEmpty()
            ? "No " + kind(type) + " providers are available."
            : "Available: " + describe(found) + ".");
    throw new NonRetriableException(ErrorCode.PROVIDER_NOT_FOUND, msg.toString());
  }

  private static String describe(List<? extends NamedProvider> providers) {
    return providers.stream()
        .map(p -> p.id() + " (priority " + p.priority() + ")")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static Map<String, String> withoutSelector(Map<String, String> config) {
    if (config == null) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>(config);
    copy.remove(ProviderConfig.PROVIDER_KEY);
    return copy;
  }

  private static String propertyFor(Class<?> type) {
    if (type == EmbedderProvider.class) {
      return EMBEDDER_PROPERTY;
    }
    if (type == VectorStoreProvider.class) {
      return STORE_PROPERTY;
    }
    if (type == ProgressReporterProvider.class) {
      return PROGRESS_PROPERTY;
    }
    return null;
  }

  private static String kind(Class<?> type) {
    if (type == EmbedderProvider.class) {
      return "embedder";
    }
    if (type == VectorStoreProvider.class) {
      return "vector store";
    }
    if (type == ProgressReporterProvider.class) {
      return "progress reporter";
    }
    return type.getSimpleName();
  }

  private static String artifactsFor(Class<?> type) {
    if (type == EmbedderProvider.class) {
      return "dev.portfolio:portfolio-embedders (openai, voyage, onnx)"
          + " or dev.portfolio:portfolio-core (hashing)";
    }
    if (type == VectorStoreProvider.class) {
      return "dev.portfolio:portfolio-index (pgvector) or dev.portfolio:portfolio-core (memory)";
    }
    return "dev.portfolio:portfolio-core";
  }
}
