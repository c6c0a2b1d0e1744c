package dev.portfolio.examples.bench;

import dev.portfolio.examples.bench.ModelSwitch.Writes;
import dev.portfolio.examples.bench.SearchLoad.Phase;
import dev.portfolio.examples.bench.SwitchBaselines.V1Result;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What {@link ModelSwitchBenchmark} prints: a few lines per run, then the medians as markdown
 * tables with the bars. Ratios are taken within each run (same machine state), then their median
 * across runs is printed.
 */
final class SwitchReport {
  static final double COPY_BAR = 0.5;
  static final double V1_BAR = 10;
  static final double BLOAT_BAR = 1.1;

  /**
   * Bytes of the schema's tables with their indexes and TOAST.
   *
   * @param total every table
   * @param sets the embedding set partitions alone
   */
  record Sizes(long total, long sets) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%.1f MB (embedding sets %.1f MB, the rest %.1f MB)",
          total / 1e6,
          sets / 1e6,
          (total - sets) / 1e6);
    }
  }

  /**
   * Everything one run measured.
   *
   * @param rows chunks in the collection
   * @param rawCopySeconds the bare COPY of every new vector
   * @param v1 the v1 in-place update
   * @param loadSeconds loading the collection with {@code upsert}
   * @param annSeconds building its first HNSW index
   * @param before the schema's size after the load
   * @param first the switch to the other dimension
   * @param afterFirst the size after it (and the drop of the old set)
   * @param second the switch back to the first dimension
   * @param afterSecond the size after it
   * @param cpu how the machine's CPU was shared during the run, or null
   */
  record Run(
      int rows,
      double rawCopySeconds,
      V1Result v1,
      double loadSeconds,
      double annSeconds,
      Sizes before,
      ModelSwitch.Result first,
      Sizes afterFirst,
      ModelSwitch.Result second,
      Sizes afterSecond,
      CpuShare.Shares cpu) {
    double copyRowsPerSecond() {
      return rows / rawCopySeconds;
    }

    double vsCopy() {
      return first.writes().rowsPerSecond() / copyRowsPerSecond();
    }

    double writeVectorsVsCopy() {
      return rows / first.writes().writeSeconds() / copyRowsPerSecond();
    }

    double vsV1() {
      return first.writes().rowsPerSecond() / v1.rowsPerSecond();
    }

    double sizeRatioFirst() {
      return afterFirst.total() / (double) before.total();
    }

    double sizeRatioSecond() {
      return afterSecond.total() / (double) before.total();
    }
  }

  private SwitchReport() {}

  static void baselines(int run, int rows, int dimension, double raw, V1Result v1) {
    System.out.printf(
        Locale.ROOT,
        "run %d: bare COPY of %,d %d-d vectors %.2f s (%,.0f rows/s); v1 in-place UPDATE of %,d"
            + " rows %.2f s (%,.0f rows/s; the v1 table's HNSW index took %.1f s to build)%n",
        run,
        rows,
        dimension,
        raw,
        rows / raw,
        v1.rows(),
        v1.seconds(),
        v1.rowsPerSecond(),
        v1.hnswSeconds());
  }

  static void load(int run, int rows, int dimension, double load, double ann, Sizes before) {
    System.out.printf(
        Locale.ROOT,
        "run %d: load %,d chunks with upsert %.1f s (data generated on the fly), HNSW %d-d %.1f s;"
            + " size before %s%n",
        run,
        rows,
        load,
        dimension,
        ann,
        before);
  }

  static void modelSwitch(int run, ModelSwitch.Result s, Sizes after, Sizes before) {
    Writes w = s.writes();
    System.out.printf(
        Locale.ROOT,
        "run %d: switch %s (%d-d) -> %s (%d-d): write %.2f s = %,.0f rows/s (%d page%s;"
            + " listChunks %.2f s read ahead, %.0f ms a page at first, %.0f ms at the end; writeVectors"
            + " %.2f s), createBuildingSet %.3f s, activateSet %.1f s (index build %.1f s + rest"
            + " %.2f s), rollback %.3f s, activate again %.3f s, dropSet %.3f s; size after the"
            + " drop %s = %.2fx of before%n",
        run,
        s.from().name(),
        s.from().dimension(),
        s.to().name(),
        s.to().dimension(),
        w.seconds(),
        w.rowsPerSecond(),
        w.pages(),
        w.pages() == 1 ? "" : "s",
        w.listSeconds(),
        w.firstPagesMs(),
        w.lastPagesMs(),
        w.writeSeconds(),
        s.createSeconds(),
        s.activateSeconds(),
        s.buildSeconds(),
        s.restOfActivation(),
        s.rollbackSeconds(),
        s.reactivateSeconds(),
        s.dropSeconds(),
        after,
        after.total() / (double) before.total());
    StringBuilder line = new StringBuilder();
    for (Phase p : Phase.values()) {
      SearchLoad.Stats st = s.searches().get(p);
      line.append(
          String.format(
              Locale.ROOT,
              "%s%s %d, %.1f/%.1f ms",
              line.length() == 0 ? "" : "; ",
              p.label(),
              st.count(),
              st.p50Ms(),
              st.p99Ms()));
      if (st.mismatches() + st.errors() + st.shortResults() > 0) {
        line.append(
            String.format(
                Locale.ROOT,
                " (%d dimension mismatches, %d errors, %d short)",
                st.mismatches(),
                st.errors(),
                st.shortResults()));
      }
    }
    System.out.printf(Locale.ROOT, "run %d:   searches (n, p50/p99): %s%n", run, line);
    if (s.searchError() != null) {
      System.out.printf(Locale.ROOT, "run %d:   first search error: %s%n", run, s.searchError());
    }
  }

  static void cpu(int run, CpuShare.Shares cpu) {
    if (cpu != null) {
      System.out.printf(Locale.ROOT, "run %d: CPU during the run: %s%n", run, cpu);
    }
  }

  /**
   * Prints the medians with the bars.
   *
   * @param results the runs
   * @param batch chunks per page and {@code writeVectors} call
   * @param searchRate searches per second
   * @param v1Rows rows of the v1 update
   */
  static void summary(List<Run> results, int batch, int searchRate, int v1Rows) {
    Run any = results.get(0);
    ModelSwitch.Result s1 = any.first();
    ModelSwitch.Result s2 = any.second();
    double vsCopy = median(results, Run::vsCopy);
    double vsV1 = median(results, Run::vsV1);
    double bloat = median(results, Run::sizeRatioSecond);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Medians of %d runs (%,d chunks; ratios taken within each run). Switch 1: %s (%d-d) -> %s"
            + " (%d-d), %,d-chunk pages and writeVectors calls, searches at %d/s alongside.%n%n",
        results.size(),
        any.rows(),
        s1.from().name(),
        s1.from().dimension(),
        s1.to().name(),
        s1.to().dimension(),
        batch,
        searchRate);
    System.out.println("| measure | median | bar | |");
    System.out.println("|---|---:|---|---|");
    row(
        "switch write phase (listChunks MISSING + writeVectors), rows/s",
        format("%,.0f", median(results, r -> r.first().writes().rowsPerSecond())));
    row(
        "  listChunks (read ahead) / writeVectors (summed over the writers), s",
        format(
            "%.2f / %.2f",
            median(results, r -> r.first().writes().listSeconds()),
            median(results, r -> r.first().writes().writeSeconds())));
    row(
        "  listChunks per page, first / last tenth of the pages, ms",
        format(
            "%.0f / %.0f",
            median(results, r -> r.first().writes().firstPagesMs()),
            median(results, r -> r.first().writes().lastPagesMs())));
    row(
        "bare COPY BINARY (id, vector(" + s1.to().dimension() + ")), PK only, rows/s",
        format("%,.0f", median(results, Run::copyRowsPerSecond)));
    verdict(
        "**switch / bare COPY**",
        format("%.2fx", vsCopy),
        ">= " + COPY_BAR + "x",
        vsCopy >= COPY_BAR);
    row(
        "  writeVectors call time summed over the writers / bare COPY (reference; with overlapping"
            + " writers, below the phase's ratio)",
        format("%.2fx", median(results, Run::writeVectorsVsCopy)));
    row(
        format("v1 in-place UPDATE of embedding_b (first %,d rows, live HNSW), rows/s", v1Rows),
        format("%,.0f", median(results, r -> r.v1().rowsPerSecond())));
    verdict(
        "**switch / v1 UPDATE**",
        format("%.1fx", vsV1),
        ">= " + (int) V1_BAR + "x",
        vsV1 >= V1_BAR);
    row(
        "activateSet: index build (" + s1.to().dimension() + "-d HNSW, CONCURRENTLY), s",
        format("%.1f", median(results, r -> r.first().buildSeconds())));
    row(
        "activateSet: the rest (validity check, ANALYZE, switch transaction), s",
        format("%.2f", median(results, r -> r.first().restOfActivation())));
    row(
        "rollback / activate again (index exists) / dropSet, ms",
        format(
            "%.0f / %.0f / %.0f",
            1000 * median(results, r -> r.first().rollbackSeconds()),
            1000 * median(results, r -> r.first().reactivateSeconds()),
            1000 * median(results, r -> r.first().dropSeconds())));
    row(
        format(
            "size after switch 1 and drop / before (%d-d now, smaller vectors)",
            s1.to().dimension()),
        format("%.2fx", median(results, Run::sizeRatioFirst)));
    verdict(
        format(
            "**size after switch 2 (to %s, %d-d) and drop / before (%d-d)**",
            s2.to().name(), s2.to().dimension(), s1.from().dimension()),
        format("%.2fx", bloat),
        "<= " + BLOAT_BAR + "x",
        bloat <= BLOAT_BAR);
    row(
        "switch 2 write phase (" + s2.to().dimension() + "-d), rows/s",
        format("%,.0f", median(results, r -> r.second().writes().rowsPerSecond())));
    row(
        "switch 2 index build (" + s2.to().dimension() + "-d) / first HNSW build after load, s",
        format(
            "%.1f / %.1f",
            median(results, r -> r.second().buildSeconds()), median(results, Run::annSeconds)));
    if (results.stream().allMatch(r -> r.cpu() != null)) {
      row(
          "CPU taken by other processes during a run (share of the machine)",
          format("%.0f%%", 100 * median(results, r -> r.cpu().other())));
    }

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Search latency during switch 1 (limit 10, %d/s; medians of runs):%n%n",
        searchRate);
    System.out.println(
        "| phase | searches | p50 ms | p99 ms | max ms | dimension mismatches | errors |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Phase p : Phase.values()) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f |%n",
          p.label(),
          median(results, r -> r.first().searches().get(p).count()),
          median(results, r -> r.first().searches().get(p).p50Ms()),
          median(results, r -> r.first().searches().get(p).p99Ms()),
          median(results, r -> r.first().searches().get(p).maxMs()),
          median(results, r -> r.first().searches().get(p).mismatches()),
          median(results, r -> r.first().searches().get(p).errors()));
    }
    System.out.println();
    System.out.println(
        "Dimension mismatches: searches that still sent a query of the old model after a switch"
            + " (after activation, rollback and the second activation); the application's query"
            + " embedder has to follow the active set.");
  }

  private static void row(String measure, String value) {
    System.out.printf(Locale.ROOT, "| %s | %s | | |%n", measure, value);
  }

  private static void verdict(String measure, String value, String bar, boolean pass) {
    System.out.printf(
        Locale.ROOT, "| %s | %s | %s | %s |%n", measure, value, bar, pass ? "PASS" : "FAIL");
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static double median(List<Run> results, ToDoubleFunction<Run> value) {
    double[] v = results.stream().mapToDouble(value).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
