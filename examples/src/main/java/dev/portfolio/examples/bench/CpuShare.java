package dev.portfolio.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How the machine's CPU was shared during a measurement, from Linux's {@code /proc}: this JVM, the
 * PostgreSQL server (every {@code postgres} process, with the children the postmaster reaped, such
 * as parallel index build workers), and everything else, which is the noise other processes added.
 * The server's share includes other clients' sessions, so "other" is a lower bound of the noise.
 * Unknown (null) where {@code /proc} cannot be read.
 */
final class CpuShare {
  private final long total;
  private final long idle;
  private final long jvm;
  private final Map<String, Long> postgres;

  private CpuShare(long total, long idle, long jvm, Map<String, Long> postgres) {
    this.total = total;
    this.idle = idle;
    this.jvm = jvm;
    this.postgres = postgres;
  }

  /** Takes a snapshot, or returns null when {@code /proc} is not readable. */
  static CpuShare now() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < cpu.length; i++) {
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      long[] self = ticks(Path.of("/proc/self/stat"));
      Map<String, Long> postgres = new HashMap<>();
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        procs
            .filter(p -> String.valueOf(p.getFileName()).chars().allMatch(Character::isDigit))
            .forEach(p -> addPostgres(p, postgres));
      }
      return new CpuShare(total, idle, self == null ? 0 : self[0], postgres);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Shares of the machine's CPU time between two snapshots, each in [0, 1].
   *
   * @param other processes other than this JVM and PostgreSQL: the noise
   * @param jvm this JVM
   * @param postgres the PostgreSQL server
   * @param idle nobody
   */
  record Shares(double other, double jvm, double postgres, double idle) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "other processes %.0f%% of %d CPUs (this JVM %.0f%%, PostgreSQL with all its sessions %.0f%%,"
              + " idle %.0f%%)",
          100 * other,
          Runtime.getRuntime().availableProcessors(),
          100 * jvm,
          100 * postgres,
          100 * idle);
    }
  }

  /**
   * Measures the CPU use since an earlier snapshot.
   *
   * @param earlier the snapshot taken at the start, or null
   * @return the shares, or null when unknown
   */
  Shares since(CpuShare earlier) {
    if (earlier == null || total <= earlier.total) {
      return null;
    }
    double elapsed = total - earlier.total;
    double busy = elapsed - (idle - earlier.idle);
    double ours = jvm - earlier.jvm;
    double pg = 0;
    for (Map.Entry<String, Long> e : postgres.entrySet()) {
      pg += e.getValue() - earlier.postgres.getOrDefault(e.getKey(), 0L);
    }
    for (Map.Entry<String, Long> e : earlier.postgres.entrySet()) {
      if (!postgres.containsKey(e.getKey())) {
        // Exited and reaped: the postmaster's children time now holds its whole life.
        pg -= e.getValue();
      }
    }
    pg = Math.max(0, pg);
    return new Shares(
        Math.max(0, busy - ours - pg) / elapsed, ours / elapsed, pg / elapsed, 1 - busy / elapsed);
  }

  private static void addPostgres(Path proc, Map<String, Long> into) {
    try {
      String comm = Files.readString(proc.resolve("comm")).trim();
      if (!comm.equals("postgres")) {
        return;
      }
      long[] t = ticks(proc.resolve("stat"));
      if (t != null) {
        // Keyed by pid and start time: a reused pid is another process.
        into.put(proc.getFileName() + "@" + t[1], t[0]);
      }
    } catch (IOException | RuntimeException e) {
      // The process exited meanwhile, or is not ours to read.
    }
  }

  /** User + system time of a process and its reaped children, and its start time, in ticks. */
  private static long[] ticks(Path stat) throws IOException {
    String s = Files.readString(stat);
    int close = s.lastIndexOf(')');
    if (close < 0) {
      return null;
    }
    // Fields after the command name, starting at field 3 (state).
    String[] f = s.substring(close + 2).trim().split("\\s+");
    long cpu =
        Long.parseLong(f[11])
            + Long.parseLong(f[12])
            + Long.parseLong(f[13])
            + Long.parseLong(f[14]);
    return new long[] {cpu, Long.parseLong(f[19])};
  }
}
