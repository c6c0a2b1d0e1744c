package dev.portfolio.examples.bench;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbeddingBatch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Measures the {@code onnx} embedder: sentences per second on 2,000 generated sentences of about 30
 * words (median of 3 runs after a warm-up), the time from creating the embedder to its first
 * embedding (and from JVM start), the peak resident memory (VmHWM), and the share of CPU time other
 * processes took during the timed runs (the numbers are only comparable when it is low).
 *
 * <p>Each configuration runs in its own JVM so that startup and peak memory are its own. Run:
 *
 * <pre>{@code
 * scripts/bench-onnx.sh
 * }</pre>
 *
 * <p>or, after {@code ./mvnw -q -B -pl examples -am package -DskipTests}: {@code java -cp
 * "examples/target/classes:$(cat examples/target/classpath.txt)"
 * dev.portfolio.examples.bench.OnnxEmbedderBenchmark}. Arguments: none for the default set of
 * configurations, or one configuration as {@code key=value} onnx options (for example {@code
 * variant=fp32 batchSize=8}).
 */
public final class OnnxEmbedderBenchmark {
  private static final int SENTENCES = 2_000;
  private static final int RUNS = 3;
  private static final long SEED = 42;
  private static final String RESULT = "RESULT ";

  private static final Map<String, String> BASELINE = Map.of("variant", "fp32");

  private static final List<Map<String, String>> CONFIGURATIONS =
      List.of(
          Map.of("variant", "quantized"),
          Map.of("variant", "fp32"),
          Map.of("variant", "fp32", "batchSize", "8"));

  private static final String[] WORDS = {
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "that",
    "is",
    "for",
    "it",
    "with",
    "as",
    "was",
    "on",
    "by",
    "at",
    "from",
    "this",
    "which",
    "an",
    "are",
    "be",
    "or",
    "have",
    "not",
    "but",
    "all",
    "their",
    "more",
    "when",
    "can",
    "into",
    "after",
    "than",
    "most",
    "other",
    "some",
    "over",
    "database",
    "index",
    "vector",
    "query",
    "search",
    "embedding",
    "document",
    "chunk",
    "model",
    "server",
    "request",
    "response",
    "cache",
    "memory",
    "disk",
    "network",
    "latency",
    "throughput",
    "replica",
    "backup",
    "transaction",
    "lock",
    "table",
    "column",
    "row",
    "schema",
    "migration",
    "cluster",
    "node",
    "shard",
    "partition",
    "log",
    "metric",
    "trace",
    "alert",
    "incident",
    "deployment",
    "release",
    "version",
    "feature",
    "user",
    "customer",
    "order",
    "payment",
    "invoice",
    "report",
    "forest",
    "river",
    "mountain",
    "ocean",
    "volcano",
    "glacier",
    "desert",
    "city",
    "village",
    "market",
    "bridge",
    "railway",
    "harbour",
    "castle",
    "cathedral",
    "museum",
    "library",
    "history",
    "science",
    "music",
    "painting",
    "language",
    "grammar",
    "sentence",
    "word",
    "meaning",
    "coffee",
    "bread",
    "cheese",
    "garden",
    "flower",
    "tree",
    "bird",
    "cat",
    "dog",
    "horse",
    "weather",
    "rain",
    "snow",
    "wind",
    "summer",
    "winter",
    "morning",
    "evening",
    "quickly",
    "slowly",
    "carefully",
    "rarely",
    "often",
    "always",
    "never",
    "again",
    "together",
    "large",
    "small",
    "ancient",
    "modern",
    "bright",
    "dark",
    "warm",
    "cold",
    "heavy",
    "light",
    "fast",
    "slow",
    "simple",
    "complex",
    "reliable",
    "fragile",
    "stores",
    "reads",
    "writes",
    "builds",
    "repairs",
    "measures",
    "compares",
    "describes",
    "explains",
    "follows",
    "keeps",
    "moves",
    "opens",
    "closes",
    "runs",
    "waits",
    "retries",
    "fails",
    "recovers",
    "grows",
    "shrinks"
  };

  private OnnxEmbedderBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args nothing for every default configuration, or onnx options as {@code key=value}
   * @throws Exception when a child JVM cannot be run
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      Map<String, String> config = new LinkedHashMap<>();
      for (String arg : args) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("expected key=value, got " + arg);
        }
        config.put(arg.substring(0, eq), arg.substring(eq + 1));
      }
      runOne(config);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "onnx embedder benchmark: %,d sentences of ~30 words (seed %d), median of %d runs;"
            + " %d CPUs; load average %s%n",
        SENTENCES,
        SEED,
        RUNS,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    System.out.printf(
        Locale.ROOT,
        "%-26s %8s %14s %-22s %12s %12s %10s %9s%n",
        "configuration",
        "threads",
        "sentences/s",
        "(runs)",
        "create→1st",
        "JVM→1st",
        "peak RSS",
        "others");
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Map<String, String> config : CONFIGURATIONS) {
      String line = runChild(config);
      if (line.startsWith(RESULT)) {
        int space = line.indexOf(' ', RESULT.length());
        rates.put(describe(config), Double.parseDouble(line.substring(RESULT.length(), space)));
        line = line.substring(space + 1);
      }
      System.out.println(line);
    }
    Double baseline = rates.get(describe(BASELINE));
    if (baseline != null) {
      StringBuilder sb = new StringBuilder("throughput relative to " + describe(BASELINE) + ":");
      rates.forEach(
          (name, rate) ->
              sb.append(String.format(Locale.ROOT, "  %s %.2fx", name, rate / baseline)));
      System.out.println(sb);
    }
  }

  private static String runChild(Map<String, String> config)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OnnxEmbedderBenchmark.class.getName());
    config.forEach((k, v) -> command.add(k + "=" + v));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
      return "FAILED " + config + ":\n" + output;
    }
    return output
        .lines()
        .filter(l -> l.startsWith(RESULT))
        .findFirst()
        .orElse("NO RESULT " + config + ":\n" + output);
  }

  private static void runOne(Map<String, String> config) throws IOException {
    List<String> sentences = sentences(SENTENCES, SEED);
    Map<String, String> options = new LinkedHashMap<>(config);
    options.put("provider", "onnx");
    long created = System.nanoTime();
    try (Embedder embedder = Providers.embedder(options)) {
      embedder.embed(List.of(sentences.get(0)));
      long first = System.nanoTime();
      double createToFirst = (first - created) / 1e9;
      double jvmToFirst =
          (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
      embedder.embed(sentences.subList(0, 200));
      double[] rates = new double[RUNS];
      long tokens = 0;
      long[] machineBefore = machineJiffies();
      long cpuBefore = processCpuNanos();
      for (int r = 0; r < RUNS; r++) {
        long start = System.nanoTime();
        EmbeddingBatch batch = embedder.embed(sentences);
        rates[r] = sentences.size() / ((System.nanoTime() - start) / 1e9);
        tokens = batch.usage().tokens();
      }
      double others = othersShare(machineBefore, machineJiffies(), processCpuNanos() - cpuBefore);
      double[] sorted = rates.clone();
      Arrays.sort(sorted);
      String runs = String.format(Locale.ROOT, "(%.0f, %.0f, %.0f)", rates[0], rates[1], rates[2]);
      String threads = embedder.toString().replaceAll(".*threads=(\\d+).*", "$1");
      System.out.printf(
          Locale.ROOT,
          RESULT
              + "%.3f %-26s %8s %14.0f %-22s %10.2f s %10.2f s %7d MB %8.0f%%   (%s, %.1f tokens/sentence)%n",
          sorted[RUNS / 2],
          describe(config),
          threads,
          sorted[RUNS / 2],
          runs,
          createToFirst,
          jvmToFirst,
          peakRssMb(),
          others * 100,
          embedder.info().modelRef(),
          tokens / (double) sentences.size());
    }
  }

  /** Generates {@code count} sentences of 26 to 34 words from a fixed seed. */
  static List<String> sentences(int count, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int words = 26 + random.nextInt(9);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < words; w++) {
        String word = WORDS[random.nextInt(WORDS.length)];
        if (w == 0) {
          sb.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
        } else {
          sb.append(w % 9 == 0 ? ", " : " ").append(word);
        }
      }
      out.add(sb.append('.').toString());
    }
    return out;
  }

  private static String describe(Map<String, String> config) {
    StringBuilder sb = new StringBuilder();
    config.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))
        .forEach(
            e ->
                sb.append(sb.isEmpty() ? "" : " ")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue()));
    return sb.toString();
  }

  private static long peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  /** Returns {busy, total} CPU jiffies of the whole machine, from /proc/stat. */
  private static long[] machineJiffies() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i <= 8 && i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The share of the machine's CPU time that other processes used during the timed runs: high
   * values mean the numbers are pessimistic (the benchmark shared the CPUs).
   */
  private static double othersShare(long[] before, long[] after, long ownCpuNanos) {
    double hz = 100.0; // USER_HZ on Linux
    double busy = (after[0] - before[0]) / hz;
    double total = (after[1] - before[1]) / hz;
    double others = busy - ownCpuNanos / 1e9;
    return total <= 0 ? 0 : Math.max(0, others / total);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
