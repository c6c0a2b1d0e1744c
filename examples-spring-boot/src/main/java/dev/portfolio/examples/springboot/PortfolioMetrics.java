package dev.portfolio.examples.springboot;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.health.HealthCheckOptions;
import dev.portfolio.maintenance.health.HealthReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The index's health as Micrometer gauges, per collection (tag {@code collection}): {@code
 * portfolio.index.coverage} (share of chunks with a current vector in the active set, 0 to 1),
 * {@code portfolio.index.chunks.missing} and {@code portfolio.index.documents.failed}. Statistics
 * are read at most every {@value #CACHE_SECONDS} seconds per collection, however often the gauges
 * are scraped. Collections created later get their gauges at the next refresh ({@code
 * portfolio.metrics.refresh}, default one minute). The health check ({@link
 * Maintenance#healthCheck}, no repairs) runs every {@code portfolio.health.refresh} (default 15
 * minutes, first after one minute) and is the gauge {@code portfolio.health.status}: 0 PASS, 1
 * INFO, 2 FAIL, NaN before the first check or when it could not run; {@code
 * portfolio.health.checks.failed} counts its failing checks. Registered only when Micrometer is on
 * the class path.
 */
@Component
@ConditionalOnClass(MeterRegistry.class)
public class PortfolioMetrics implements MeterBinder {
  /** How long read statistics serve the gauges: {@value} seconds. */
  public static final int CACHE_SECONDS = 10;

  private final VectorStore store;
  private final Maintenance maintenance;
  private volatile HealthReport health;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  private record Cached(long readAtNanos, CollectionStats stats) {}

  /**
   * Creates the binder.
   *
   * @param store the store whose collections are measured
   * @param maintenance the facade whose health check the health gauges show
   */
  public PortfolioMetrics(VectorStore store, Maintenance maintenance) {
    this.store = store;
    this.maintenance = maintenance;
  }

  @Override
  public void bindTo(MeterRegistry value) {
    this.registry = value;
    Gauge.builder("portfolio.health.status", this, PortfolioMetrics::healthStatus)
        .description("the last health check: 0 PASS, 1 INFO, 2 FAIL")
        .register(value);
    Gauge.builder(
            "portfolio.health.checks.failed",
            this,
            m -> m.health == null ? Double.NaN : m.health.failures().size())
        .description("checks that failed in the last health check")
        .register(value);
  }

  /**
   * Runs the health check (no repairs) and keeps its report for the health gauges.
   *
   * @return the report
   */
  @Scheduled(
      initialDelayString = "${portfolio.health.initial-delay:PT1M}",
      fixedDelayString = "${portfolio.health.refresh:PT15M}")
  public HealthReport checkHealth() {
    HealthReport report = maintenance.healthCheck(HealthCheckOptions.defaults());
    health = report;
    return report;
  }

  private double healthStatus() {
    HealthReport h = health;
    if (h == null) {
      return Double.NaN;
    }
    return switch (h.status()) {
      case PASS -> 0;
      case INFO -> 1;
      case FAIL -> 2;
    };
  }

  /** Registers the gauges of collections that have none yet. */
  @EventListener(ApplicationReadyEvent.class)
  @Scheduled(fixedDelayString = "${portfolio.metrics.refresh:PT1M}")
  public void refresh() {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    for (CollectionInfo c : store.listCollections()) {
      String name = c.spec().name();
      if (registered.add(name)) {
        gauge(
            r,
            "portfolio.index.coverage",
            name,
            "share of chunks embedded",
            CollectionStats::coverage);
        gauge(
            r,
            "portfolio.index.chunks.missing",
            name,
            "chunks without a current vector",
            CollectionStats::missingChunks);
        gauge(
            r,
            "portfolio.index.documents.failed",
            name,
            "documents whose processing failed",
            s -> s.documentsByStatus().getOrDefault(DocumentStatus.FAILED, 0L));
      }
    }
  }

  private void gauge(
      MeterRegistry r,
      String meter,
      String collection,
      String description,
      ToDoubleFunction<CollectionStats> value) {
    Gauge.builder(meter, this, m -> m.read(collection, value))
        .tag("collection", collection)
        .description(description)
        .register(r);
  }

  private double read(String collection, ToDoubleFunction<CollectionStats> value) {
    long now = System.nanoTime();
    Cached c = cache.get(collection);
    if (c == null || now - c.readAtNanos() > Duration.ofSeconds(CACHE_SECONDS).toNanos()) {
      try {
        c = new Cached(now, store.stats(collection));
      } catch (RuntimeException e) {
        return Double.NaN; // dropped collection or database down: no value rather than a stale one
      }
      cache.put(collection, c);
    }
    return value.applyAsDouble(c.stats());
  }

  /** Forgets the statistics read, so that the next scrape reads them again. */
  public void invalidate() {
    cache.clear();
  }
}
