package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.hashing.HashingEmbedder;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.reembed.ReembedOptions;
import dev.portfolio.maintenance.testing.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ingest}, {@code backup} and {@code restore} show while they work, as the built jar in
 * a separate process: on a real pseudo-terminal (script(1)) a bar redrawn in place with the rate
 * and the ETA; piped, plain lines without a carriage return. {@code reembed}'s are in {@link
 * PortfolioCliIT#onATerminalProgressIsABarWithRateAndEta()}.
 */
class ProgressDisplayIT extends JarCliFixture {
  /** A bar redrawn on the way: partly filled, with a rate and a computed ETA. */
  private static final String REDRAW =
      "\r\\[[#.]{20}\\] +[0-9.]+%%  [0-9,]+/%s  [0-9,.]+/s  ETA \\d+:\\d\\d  %s";

  @TempDir Path dir;

  @Test
  void ingestShowsABarWithRateAndEtaOnATerminalAndPlainLinesWhenPiped() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    for (int i = 0; i < 300; i++) {
      Files.writeString(
          docs.resolve(String.format("note-%03d.md", i)),
          "# Note " + i + "\n\nWhat the night shift wrote down about machine " + i + ".\n");
    }

    Result shown = JarProcess.runInTerminal(env, ingest(docs, "tty-ingest"));
    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.out())
        .as("a bar redrawn in place: the directory's files are the total")
        .contains("\r[....................]   0.0%  0/300  0.0/s  ETA --:--  ingest tty-ingest")
        .containsPattern(String.format(REDRAW, "300", "ingest tty-ingest"))
        .containsPattern(
            "\r\\[#{20}\\] 100\\.0%  300/300  [0-9,.]+/s  done  ingest tty-ingest *\r\n"
                + "ingest tty-ingest: done in \\d+:\\d\\d, 300/300 at [0-9,.]+/s\r\n"
                + "ingest .*docs into tty-ingest: 300 read: 300 added, ")
        .doesNotContain(": started, 300 to do");

    Result piped = JarProcess.run(env, ingest(docs, "pipe-ingest"));
    assertThat(piped.exitCode()).as(piped.toString()).isZero();
    assertThat(piped.err())
        .as("piped: plain lines, no redraws")
        .startsWith("ingest pipe-ingest: started, 300 to do\n")
        .containsPattern(": 10\\.\\d% \\([0-9,]+/300\\)  [0-9,.]+/s  ETA \\d+:\\d\\d\n")
        .containsPattern("ingest pipe-ingest: done in \\d+:\\d\\d, 300/300 at [0-9,.]+/s\n$")
        .doesNotContain("\r");
    assertThat(piped.out()).contains("into pipe-ingest: 300 read: 300 added, ");
  }

  @Test
  void backupAndRestoreShowABarWithRateAndEtaOnATerminalAndPlainLinesWhenPiped() throws Exception {
    Fixture.load(store, "pty-bk", 16, 1500, 4);
    Fixture.maintenance(store, new HashingEmbedder(16), ProgressReporter.SILENT)
        .reembed(ReembedOptions.builder("pty-bk").build());

    Path tty = dir.resolve("tty.zip");
    Result backup = JarProcess.runInTerminal(env, "backup", "-o", tty.toString(), "-c", "pty-bk");
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    assertThat(backup.out())
        .contains("\r[....................]   0.0%  0/6,000  0.0/s  ETA --:--  backup to tty.zip")
        .containsPattern(String.format(REDRAW, "6,000", "backup to tty\\.zip"))
        .containsPattern(
            "\r\\[#{20}\\] 100\\.0%  6,000/6,000  [0-9,.]+/s  done  backup to tty\\.zip *\r\n"
                + "backup to tty\\.zip: done in \\d+:\\d\\d, 6,000/6,000 at [0-9,.]+/s\r\n"
                + "Wrote .*tty\\.zip: 1 collection, 1,500 documents, 6,000 chunks");

    Result restore =
        JarProcess.runInTerminal(
            env, "restore", tty.toString(), "--mode", "rename", "--as", "tty-copy", "--yes");
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    assertThat(restore.out())
        .as("the archive is verified, then restored, each with its bar")
        .contains("\r[....................]   0.0%  0/6,000  0.0/s  ETA --:--  verify tty.zip")
        .containsPattern("\r\\[#{20}\\] 100\\.0%  6,000/6,000  [0-9,.]+/s  done  verify tty\\.zip")
        .contains("\r[....................]   0.0%  0/6,000  0.0/s  ETA --:--  restore tty.zip")
        .containsPattern(String.format(REDRAW, "6,000", "restore tty\\.zip"))
        .containsPattern(
            "\r\\[#{20}\\] 100\\.0%  6,000/6,000  [0-9,.]+/s  done  restore tty\\.zip *\r\n"
                + "restore tty\\.zip: done in \\d+:\\d\\d, 6,000/6,000 at [0-9,.]+/s\r\n"
                + "Restored 1 collection from ");
    assertThat(store.stats("tty-copy").chunks()).isEqualTo(6000);

    Path piped = dir.resolve("piped.zip");
    Result pipedBackup = JarProcess.run(env, "backup", "-o", piped.toString(), "-c", "pty-bk");
    assertThat(pipedBackup.exitCode()).as(pipedBackup.toString()).isZero();
    assertThat(pipedBackup.err())
        .as("piped: plain lines, no redraws")
        .startsWith("backup to piped.zip: started, 6,000 to do\n")
        .containsPattern("backup to piped\\.zip: done in \\d+:\\d\\d, 6,000/6,000 at [0-9,.]+/s\n")
        .doesNotContain("\r");
    Result pipedRestore =
        JarProcess.run(
            env, "restore", piped.toString(), "--mode", "rename", "--as", "piped-copy", "--yes");
    assertThat(pipedRestore.exitCode()).as(pipedRestore.toString()).isZero();
    assertThat(pipedRestore.err())
        .startsWith("verify piped.zip: started, 6,000 to do\n")
        .contains("\nrestore piped.zip: started, 6,000 to do\n")
        .containsPattern("restore piped\\.zip: done in \\d+:\\d\\d, 6,000/6,000 at [0-9,.]+/s\n")
        .doesNotContain("\r");
    assertThat(pipedRestore.out()).startsWith("Restored 1 collection from ");
  }

  private static String[] ingest(Path docs, String collection) {
    return new String[] {
      "ingest",
      docs.toString(),
      "-c",
      collection,
      "--embedder",
      "hashing",
      "--embedder-opt",
      "dimension=16",
      "--batch-size",
      "10"
    };
  }
}
