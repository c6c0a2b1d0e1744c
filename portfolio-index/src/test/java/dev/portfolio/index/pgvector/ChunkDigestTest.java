package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.DocumentInput;
import dev.portfolio.core.model.Embedding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkDigestTest {
  private static final Embedding V = Embedding.of(1, 2, 3);

  @Test
  void theDigestIgnoresInputOrderButSeesEveryStoredField() {
    List<ChunkInput> base =
        List.of(new ChunkInput(0, "zero", 3, V, "m", Map.of("k", "v")), ChunkInput.of(1, "one"));
    String digest = digest(base, 1L);

    assertThat(digest(List.of(base.get(1), base.get(0)), 1L)).isEqualTo(digest);
    Set<String> variants =
        Set.of(
            digest,
            digest(base, 2L),
            digest(
                List.of(new ChunkInput(0, "zero!", 3, V, "m", Map.of("k", "v")), base.get(1)), 1L),
            digest(
                List.of(new ChunkInput(0, "zero", 4, V, "m", Map.of("k", "v")), base.get(1)), 1L),
            digest(
                List.of(new ChunkInput(0, "zero", 3, V, "m2", Map.of("k", "v")), base.get(1)), 1L),
            digest(
                List.of(new ChunkInput(0, "zero", 3, V, "m", Map.of("k", "w")), base.get(1)), 1L),
            digest(
                List.of(
                    new ChunkInput(
                        0, "zero", 3, Embedding.of(1, 2, 3.0001f), "m", Map.of("k", "v")),
                    base.get(1)),
                1L),
            digest(
                List.of(new ChunkInput(0, "zero", 3, null, null, Map.of("k", "v")), base.get(1)),
                1L),
            digest(List.of(base.get(0)), 1L));
    assertThat(variants).hasSize(9);
  }

  @Test
  void bulkVectorBitsAreTheBytesOfOneIntPerComponent() {
    float[] values = {0f, -0f, 1.5f, -3.25e-7f, Float.MAX_VALUE, Float.MIN_VALUE, 42f};
    java.nio.ByteBuffer bulk = java.nio.ByteBuffer.allocate(values.length * Float.BYTES);
    bulk.asFloatBuffer().put(values);
    java.nio.ByteBuffer each = java.nio.ByteBuffer.allocate(values.length * Float.BYTES);
    for (float v : values) {
      each.putInt(Float.floatToIntBits(v));
    }
    assertThat(bulk.array()).isEqualTo(each.array());
  }

  private static String digest(List<ChunkInput> chunks, long setId) {
    DocumentInput doc = DocumentInput.builder("k").chunks(chunks).build();
    return BatchWriter.Prepared.of(0, doc, setId).digest();
  }
}
