package dev.portfolio.index.pgvector;

import dev.portfolio.core.model.ChunkInput;
import dev.portfolio.core.model.Embedding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * A SHA-256 over everything an upsert writes for a document's chunks (ordinal, text hash, token
 * count, metadata, embedding bits, model) and the set their vectors go to. Stored with the
 * document, it lets a repeated upsert recognise unchanged chunks without reading them; anything
 * else that changes chunks clears it.
 */
final class ChunkDigest {
  private ChunkDigest() {}

  /**
   * Computes the digest.
   *
   * @param setId the embedding set the vectors go to
   * @param chunks the chunks in ordinal order
   * @param hashes their content hashes, in the same order
   * @return 64 hex digits
   */
  static String of(long setId, List<ChunkInput> chunks, List<String> hashes) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
    ByteBuffer buf = ByteBuffer.allocate(4096);
    put(md, "set:" + setId);
    for (int n = 0; n < chunks.size(); n++) {
      ChunkInput c = chunks.get(n);
      buf.clear();
      buf.putInt(c.ordinal()).putInt(c.tokenCount());
      md.update(buf.array(), 0, buf.position());
      put(md, hashes.get(n));
      md.update(ByteBuffer.allocate(4).putInt(c.metadata().size()).array());
      if (!c.metadata().isEmpty()) {
        new TreeMap<>(c.metadata())
            .forEach(
                (k, v) -> {
                  put(md, k);
                  put(md, v);
                });
      }
      Embedding e = c.embedding();
      if (e == null) {
        md.update((byte) 0);
        continue;
      }
      md.update((byte) 1);
      put(md, c.embeddingModel());
      // The same big-endian IEEE bits as one putInt(floatToIntBits) per component (vectors are
      // finite), written in bulk.
      ByteBuffer bits = ByteBuffer.allocate(e.dimension() * Float.BYTES);
      bits.asFloatBuffer().put(e.toArray());
      md.update(bits.array());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void put(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
    md.update(b);
  }
}
