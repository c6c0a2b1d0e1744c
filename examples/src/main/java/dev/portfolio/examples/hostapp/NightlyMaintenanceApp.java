package dev.portfolio.examples.hostapp;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.index.pgvector.PgDataSources;
import dev.portfolio.index.pgvector.PgPoolOptions;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.maintenance.Maintenance;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host application's {@code main}: opens a pool on {@code PORTFOLIO_JDBC_URL}, builds the
 * store, the embedder and the {@link Maintenance} facade once, and runs {@link NightlyMaintenance}
 * every day at {@code --at HH:MM} (default 02:00, the system's time zone) until the process is
 * stopped; {@code --once} runs the steps now and exits (exit code 1 when a step failed). A shutdown
 * hook (Ctrl-C, SIGTERM) stops the job at a batch boundary, then closes the store and the pool.
 *
 * <p>Options from the environment: {@code PORTFOLIO_SCHEMA} (default {@code portfolio}), {@code
 * PORTFOLIO_EMBEDDER} (the provider id of the collections' model, default {@code onnx}) with {@code
 * PORTFOLIO_EMBEDDER_OPTS} ({@code key=value,key=value}), {@code PORTFOLIO_PURGE_AFTER_DAYS}
 * (default 7).
 */
public final class NightlyMaintenanceApp {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyMaintenanceApp.class);

  private NightlyMaintenanceApp() {}

  /**
   * Runs the job.
   *
   * @param args {@code [--once] [--at HH:MM]}
   * @throws InterruptedException when interrupted while waiting for the shutdown
   */
  public static void main(String[] args) throws InterruptedException {
    boolean once = false;
    LocalTime at = LocalTime.of(2, 0);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--once" -> once = true;
        case "--at" -> {
          if (i + 1 >= args.length) {
            usage("--at needs a time of day, e.g. --at 02:30");
          }
          try {
            at = LocalTime.parse(args[++i]);
          } catch (DateTimeParseException e) {
            usage("--at needs a time of day such as 02:30 (was \"" + args[i] + "\")");
          }
        }
        default -> usage("unknown option " + args[i]);
      }
    }
    String url = System.getenv("PORTFOLIO_JDBC_URL");
    if (url == null || url.isBlank()) {
      usage("set PORTFOLIO_JDBC_URL to the database, e.g. jdbc:postgresql://127.0.0.1:5432/app");
    }
    String schema = env("PORTFOLIO_SCHEMA", "portfolio");
    long purgeDays = Long.parseLong(env("PORTFOLIO_PURGE_AFTER_DAYS", "7"));
    Map<String, String> embedderConfig = new HashMap<>();
    for (String kv : env("PORTFOLIO_EMBEDDER_OPTS", "").split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        embedderConfig.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    embedderConfig.put("provider", env("PORTFOLIO_EMBEDDER", "onnx"));

    HikariDataSource pool = PgDataSources.pooled(PgPoolOptions.builder(url).poolSize(4).build());
    PgVectorStore store = PgVectorStore.builder(pool).schema(schema).build();
    Embedder embedder = Providers.embedder(embedderConfig);
    Maintenance maintenance = Maintenance.builder().store(store).embedder(embedder).build();
    NightlyMaintenance job =
        NightlyMaintenance.builder(maintenance)
            .steps(NightlyMaintenance.standardSteps(Duration.ofDays(purgeDays)))
            .build();
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  job.close();
                  embedder.close();
                  store.close();
                  pool.close();
                  LOG.info("nightly maintenance: stopped; store and pool closed");
                  closed.countDown();
                },
                "portfolio-shutdown"));
    if (once) {
      boolean ok = job.runOnce().ok();
      System.exit(ok ? 0 : 1); // runs the shutdown hook
    }
    job.scheduleDaily(at, ZoneId.systemDefault());
    closed.await();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static void usage(String problem) {
    System.err.println(
        "nightly-maintenance: "
            + problem
            + "\nUsage: scripts/nightly-maintenance.sh [--once] [--at HH:MM]");
    System.exit(2);
  }
}
