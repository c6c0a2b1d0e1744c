package dev.portfolio.embedders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Proves the onnx embedder works with no network at all: a child JVM embeds a sentence inside a
 * fresh network namespace ({@code unshare -n}), where not even loopback is up. Where namespaces
 * cannot be created the test is skipped, except in CI ({@code CI=true}), where it fails.
 */
class OnnxOfflineIT {
  @Test
  void embedsInsideANetworkNamespaceWithoutAnyNetwork() throws Exception {
    requireUnshare();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                "unshare",
                "-n",
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                classPath,
                OfflineEmbedMain.class.getName())
            .redirectErrorStream(true)
            .start();
    boolean finished = child.waitFor(120, TimeUnit.SECONDS);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      child.destroyForcibly();
    }
    assertThat(finished).as("child finished within 120 s; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as("exit code; output:%n%s", output).isZero();
    assertThat(output)
        .contains("interfaces up=[]")
        .contains("loopback=Network is unreachable")
        .contains("dimension=384 norm=1.0000");
  }

  private static void requireUnshare() throws InterruptedException {
    String problem;
    try {
      Process probe =
          new ProcessBuilder(List.of("unshare", "-n", "true")).redirectErrorStream(true).start();
      boolean done = probe.waitFor(10, TimeUnit.SECONDS);
      String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (done && probe.exitValue() == 0) {
        return;
      }
      probe.destroyForcibly();
      problem = "'unshare -n true' failed: " + out.strip();
    } catch (IOException e) {
      problem = "'unshare' cannot be run: " + e.getMessage();
    }
    String message =
        problem
            + ". Creating a network namespace needs root or CAP_SYS_ADMIN (util-linux unshare).";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message + " In CI this proof of offline operation must run.");
    }
    Assumptions.abort(message);
  }
}
