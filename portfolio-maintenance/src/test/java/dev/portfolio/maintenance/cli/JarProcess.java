package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the built executable jar in its own JVM, as an operator would, with the output in files (a
 * full pipe never blocks it). The jar path comes from the system property {@code portfolio.cli.jar}
 * that the build sets for the integration tests.
 */
final class JarProcess {
  /**
   * Generous: DDL such as CREATE INDEX CONCURRENTLY waits for every older transaction in the
   * database, which on a shared server can take minutes.
   */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final Process process;
  private final Path out;
  private final Path err;

  private JarProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static Path jar() {
    String jar = System.getProperty("portfolio.cli.jar");
    assertThat(jar).as("system property portfolio.cli.jar (set by the build)").isNotNull();
    Path path = Path.of(jar);
    assertThat(path).as("the executable jar; run the ITs after package").exists();
    return path;
  }

  static Path java() {
    return Path.of(ProcessHandle.current().info().command().orElseThrow());
  }

  /** The command line that runs the jar with these arguments. */
  static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(java().toString(), "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static JarProcess start(Map<String, String> env, List<String> command) throws IOException {
    Path out = Files.createTempFile("portfolio-cli", ".out");
    Path err = Files.createTempFile("portfolio-cli", ".err");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("PORTFOLIO_"));
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    return new JarProcess(pb.start(), out, err);
  }

  /** Runs the jar to its end. */
  static Result run(Map<String, String> env, String... args) throws Exception {
    return start(env, command(args)).await();
  }

  /**
   * Runs the jar to its end in a pseudo-terminal, as on an operator's terminal: script(1) gives it
   * a terminal for standard input, output and error, and copies what the terminal showed, both
   * streams in the order written with {@code \r\n} line ends, to the result's {@code out}.
   */
  static Result runInTerminal(Map<String, String> env, String... args) throws Exception {
    String line = String.join(" ", command(args).stream().map(JarProcess::shellQuote).toList());
    return start(env, List.of("script", "-qec", line, "/dev/null")).await();
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  long pid() {
    return process.pid();
  }

  String stderrSoFar() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  /** Polls standard error until it satisfies a condition, or fails after the timeout. */
  void awaitStderr(Predicate<String> condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.test(stderrSoFar())) {
      assertThat(process.isAlive()).as("process still running; stderr: %s", stderrSoFar()).isTrue();
      assertThat(System.nanoTime()).as("waiting for stderr").isLessThan(deadline);
      Thread.onSpinWait();
      Thread.sleep(20);
    }
  }

  Result await() throws Exception {
    boolean done = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!done) {
      process.destroyForcibly().waitFor();
    }
    Result r =
        new Result(
            done ? process.exitValue() : -1,
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    assertThat(done).as("the command ended within %s; it printed:%n%s", TIMEOUT, r).isTrue();
    return r;
  }

  /** What a run printed and its exit code. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
