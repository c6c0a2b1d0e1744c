package dev.portfolio.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.reembed.ReembedResult;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The memory of a large re-embed: loads {@code chunks} chunks (default 1,000,000) without vectors,
 * then re-embeds them all with a zero-cost embedder ({@code bench.dimension}-d, default 384) and
 * the default {@link ReembedOptions} (batches of 100, 4 in flight) into the collection's active
 * set, created without an ANN index (as a fresh collection is filled before its index is built), in
 * a JVM the script starts with {@code -Xmx256m}. Reports the heap's peak during the re-embed two
 * ways: sampled every 5 ms ({@link MemoryMXBean}), and the sum of the heap pools' peak usage since
 * the load (an upper bound: the pools peak at different moments, and garbage counts until
 * collected), with the collections. Argument: {@code [chunks]}.
 */
public final class ReembedMemoryBenchmark {
  private static final String SCHEMA = "portfolio_reembed_memory_bench";
  private static final String COLLECTION = "bench";
  private static final int DIMENSION = Integer.getInteger("bench.dimension", 384);

  private ReembedMemoryBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: chunks (default 1,000,000)
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    int chunks = BenchDb.argument(args, 0, "chunks", 1_000_000, 1000, 100_000_000);
    String url = BenchDb.url();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long max = memory.getHeapMemoryUsage().getMax();
    System.out.printf(
        Locale.ROOT,
        "re-embed memory: %,d chunks of %d-d, zero-cost embedder, default options, max heap %s;"
            + " %s%n",
        chunks,
        DIMENSION,
        mb(max),
        PgPoolOptions.redact(url));
    BenchEmbedders.Latency embedder =
        new BenchEmbedders.Latency("memory", DIMENSION, 10_000, Duration.ZERO);
    try (HikariDataSource pool = BenchDb.pool(url, ReembedOptions.DEFAULT_MAX_CONCURRENCY + 2)) {
      BenchDb.execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      PortfolioSchema.install(pool, SchemaOptions.forSchema(SCHEMA));
      // No ANN index while the set fills (built afterwards, as a switch does): inserting into a
      // live HNSW index ran at ~170 chunks/s here and would measure the index, not the pipeline.
      try (PgVectorStore store =
          PgVectorStore.builder(pool).schema(SCHEMA).annIndexOnCreate(false).build()) {
        double load =
            ReembedBenchCorpus.load(
                store, COLLECTION, embedder.info().modelRef(), DIMENSION, chunks);
        BenchDb.execute(
            pool,
            "ANALYZE " + SCHEMA + ".documents, " + SCHEMA + ".chunks, " + SCHEMA + ".embeddings");
        System.out.printf(
            Locale.ROOT, "loaded %,d chunks without vectors in %.1f s%n", chunks, load);
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          p.resetPeakUsage();
        }
        long gcCountBefore = gcCount();
        long gcTimeBefore = gcTime();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong sampledPeak = new AtomicLong();
        Thread sampler =
            new Thread(
                () -> {
                  while (!done.get()) {
                    sampledPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                  }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Maintenance m =
            Maintenance.builder()
                .store(store)
                .embedder(embedder)
                .progress(ProgressReporter.SILENT)
                .build();
        long start = System.nanoTime();
        ReembedResult r = m.reembed(ReembedOptions.builder(COLLECTION).build());
        double seconds = BenchDb.since(start);
        done.set(true);
        sampler.join();
        long poolPeaks = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
            poolPeaks += p.getPeakUsage().getUsed();
          }
        }
        System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        if (r.processed() != chunks) {
          throw new IllegalStateException("The re-embed did not embed every chunk: " + r);
        }
        System.out.println(r);
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "| re-embed of %,d chunks, -Xmx%s | value |%n|---|---|%n",
            chunks,
            mb(max));
        System.out.printf(
            Locale.ROOT, "| time | %.1f s (%,.0f chunks/s) |%n", seconds, chunks / seconds);
        System.out.printf(Locale.ROOT, "| heap used before (after a GC) | %s |%n", mb(before));
        System.out.printf(
            Locale.ROOT, "| peak heap used, sampled every 5 ms | %s |%n", mb(sampledPeak.get()));
        System.out.printf(
            Locale.ROOT, "| sum of the heap pools' peaks (upper bound) | %s |%n", mb(poolPeaks));
        System.out.printf(Locale.ROOT, "| heap used after (after a GC) | %s |%n", mb(after));
        System.out.printf(
            Locale.ROOT,
            "| collections during the re-embed | %d, %.1f s |%n",
            gcCount() - gcCountBefore,
            (gcTime() - gcTimeBefore) / 1000.0);
        System.out.println();
        System.out.println(
            "Reproduce: "
                + (DIMENSION == 384
                    ? ""
                    : "BENCH_JAVA_OPTS=\"-Dbench.dimension=" + DIMENSION + "\" ")
                + "scripts/bench-reembed-memory.sh "
                + chunks);
      }
      BenchDb.execute(pool, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .sum();
  }

  private static long gcTime() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024.0));
  }
}
