package dev.portfolio.maintenance.internal.backup;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The binary layout of a vectors entry: the magic number and the dimension, then per vector the
 * document key, the chunk ordinal, the model, the content hash it was computed from and the
 * components as IEEE 754 bits (NaN payloads included, so a restore is bit-exact).
 */
final class VectorRecords {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private VectorRecords() {}

  /**
   * One archived vector.
   *
   * @param documentKey the document's key
   * @param ordinal the chunk's ordinal
   * @param model the model that produced it
   * @param textHash the content hash of the text it was computed from
   * @param vector the components
   */
  record VectorRecord(
      String documentKey, int ordinal, String model, String textHash, float[] vector) {}

  static void writeHeader(DataOutputStream out, int dimension) throws IOException {
    out.writeInt(ArchiveFormat.VECTORS_MAGIC);
    out.writeInt(dimension);
  }

  static void write(DataOutputStream out, VectorRecord r) throws IOException {
    out.writeUTF(r.documentKey());
    out.writeInt(r.ordinal());
    out.writeUTF(r.model() == null ? "" : r.model());
    out.writeUTF(r.textHash() == null ? "" : r.textHash());
    float[] v = r.vector();
    // One write of the whole vector, not one writeInt per component (each a locked call).
    byte[] bits = new byte[v.length * Float.BYTES];
    for (int i = 0; i < v.length; i++) {
      INT.set(bits, i * Float.BYTES, Float.floatToRawIntBits(v[i]));
    }
    out.write(bits);
  }

  /**
   * Reads and checks the header.
   *
   * @return the dimension
   */
  static int readHeader(DataInputStream in, String entry) throws IOException {
    int magic = in.readInt();
    if (magic != ArchiveFormat.VECTORS_MAGIC) {
      throw new IllegalArgumentException(entry + " does not start with the vectors magic number");
    }
    int dimension = in.readInt();
    if (dimension < 1 || dimension > 16_000) {
      throw new IllegalArgumentException(entry + " declares dimension " + dimension);
    }
    return dimension;
  }

  /** Reads the next record, or null at the end of the entry. */
  static VectorRecord read(DataInputStream in, int dimension) throws IOException {
    String key;
    try {
      key = in.readUTF();
    } catch (EOFException end) {
      return null;
    }
    int ordinal = in.readInt();
    String model = in.readUTF();
    String hash = in.readUTF();
    byte[] bits = new byte[dimension * Float.BYTES];
    in.readFully(bits);
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = Float.intBitsToFloat((int) INT.get(bits, i * Float.BYTES));
    }
    return new VectorRecord(key, ordinal, model, hash, v);
  }
}
