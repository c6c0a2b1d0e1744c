package dev.portfolio.examples.springboot;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.CollectionStats;
import dev.portfolio.core.model.DocumentStatus;
import dev.portfolio.core.spi.VectorStore;
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
 * portfolio.metrics.refresh}, default one minute). Registered only when Micrometer is on the class
 * path.
 */
@Component
@ConditionalOnClass(MeterRegistry.class)
public class PortfolioMetrics implements MeterBinder {
  /** How long read statistics serve the gauges: {@value} seconds. */
  public static final int CACHE_SECONDS = 10;

  private final VectorStore store;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  private record Cached(long readAtNanos, CollectionStats stats) {}

  /**
   * Creates the binder.
   *
   * @param store the store whose collections are measured
   */
  public PortfolioMetrics(VectorStore store) {
    this.store = store;
  }

  @Override
  public void bindTo(MeterRegistry value) {
    this.registry = value;
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
