package dev.portfolio.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The second thread of a backup writes every byte in order and reports its failure. */
class BackgroundWriterTest {
  @Test
  void everyByteArrivesInOrderWhateverTheWriteSizes() throws IOException {
    byte[] data = new byte[5 * BackgroundWriter.BLOCK + 123];
    new Random(7).nextBytes(data);
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    try (BackgroundWriter w = new BackgroundWriter(target, "test")) {
      int i = 0;
      int step = 1;
      while (i < data.length) {
        int n = Math.min(step, data.length - i);
        if (n == 1) {
          w.write(data[i]);
        } else {
          w.write(data, i, n);
        }
        i += n;
        step = step * 3 % 70_001 + 1;
      }
    }
    assertThat(target.toByteArray()).isEqualTo(data);
  }

  @Test
  void aFailingTargetFailsTheWriteOrTheClose() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("disk full");
          }
        };
    assertThatThrownBy(
            () -> {
              try (BackgroundWriter w = new BackgroundWriter(broken, "test")) {
                w.write(new byte[3 * BackgroundWriter.BLOCK]);
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("disk full");
  }
}
