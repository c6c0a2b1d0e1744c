package dev.portfolio.core.hashing;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.validation.Inputs;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic embedder based on feature hashing. It is <b>lexical, not semantic</b>: texts
 * score similar when they share words, word pairs or character sequences, never because they mean
 * the same thing ("car" and "automobile" are unrelated to it). Use it for tests, demos and
 * examples; it needs no network, no model files and no native code.
 *
 * <h2>How a text becomes a vector</h2>
 *
 * <ol>
 *   <li>The text is normalised with Unicode NFKC and lower-cased ({@link Locale#ROOT}), so {@code
 *       "Ｈｅｌｌｏ"} and {@code "hello"} are the same.
 *   <li>Words are runs of letters and digits ({@link Character#isLetterOrDigit(int)}, combining
 *       marks included); each Han, Hiragana, Katakana or Hangul letter is a word of its own.
 *       Everything else (spaces, punctuation, symbols, emoji) only separates words.
 *   <li>Features: every word (weight 1.0), every pair of adjacent words (weight 0.5) and every
 *       three-code-point sequence of each word padded as {@code <word>} (weight 0.25).
 *   <li>Each distinct feature adds {@code weight * (1 + ln(count))} to one component, with a sign,
 *       both chosen by a 64-bit FNV-1a hash of the feature (finalised with the MurmurHash3 64-bit
 *       mixer), which is stable across JVMs and releases of this model id.
 *   <li>The vector is scaled to unit length (L2).
 * </ol>
 *
 * <p>A text without any letter or digit (empty, only punctuation or emoji), or whose features
 * cancel out exactly, embeds to the fixed unit vector {@code (1, 0, ..., 0)}, never the zero
 * vector, so cosine similarity stays defined.
 *
 * <p>The input type ({@link InputType#QUERY} or {@link InputType#DOCUMENT}) does not change the
 * vector. Inputs of any length are embedded whole; nothing is truncated or rejected. Usage reports
 * the number of words as tokens, and one request per {@value #MAX_BATCH_SIZE} texts.
 *
 * <p>Immutable and thread-safe. Embedding runs in time linear in the text length: tens of thousands
 * of short texts per second on one core.
 *
 * @since 0.1.0
 */
public final class HashingEmbedder implements Embedder {
  /** The provider id: {@value}. */
  public static final String PROVIDER_ID = "hashing";

  /** The model id: {@value}. The vectors of a model id never change between releases. */
  public static final String MODEL_ID = "hashing-v1";

  /** The default dimension: {@value}. */
  public static final int DEFAULT_DIMENSION = 384;

  /** The batch size reported by {@link #info()}: {@value}. */
  public static final int MAX_BATCH_SIZE = 10_000;

  /**
   * The input limit reported by {@link #info()}: {@value}; advisory, longer inputs are embedded.
   */
  public static final int MAX_INPUT_TOKENS = 8192;

  private static final int UNIGRAM = 1;
  private static final int BIGRAM = 2;
  private static final int TRIGRAM = 3;
  private static final float[] WEIGHTS = {0f, 1.0f, 0.5f, 0.25f};

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final int dimension;
  private final EmbedderInfo info;

  /** Creates an embedder with {@value #DEFAULT_DIMENSION} dimensions. */
  public HashingEmbedder() {
    this(DEFAULT_DIMENSION);
  }

  /**
   * Creates an embedder.
   *
   * @param dimension the vector dimension, from 1 to {@link Inputs#MAX_DIMENSION}
   * @throws InvalidInputException when the dimension is out of range
   */
  public HashingEmbedder(int dimension) {
    this.dimension = Inputs.dimension("dimension", dimension);
    this.info =
        new EmbedderInfo(PROVIDER_ID, MODEL_ID, dimension, MAX_BATCH_SIZE, MAX_INPUT_TOKENS);
  }

  /**
   * Describes the model: provider {@value #PROVIDER_ID}, model {@value #MODEL_ID}, the configured
   * dimension, batch size {@value #MAX_BATCH_SIZE} and input limit {@value #MAX_INPUT_TOKENS}.
   *
   * @return the info; {@code modelRef()} is {@code "hashing:hashing-v1"}
   */
  @Override
  public EmbedderInfo info() {
    return info;
  }

  /**
   * Embeds texts as the {@link HashingEmbedder class documentation} describes.
   *
   * @param texts the texts, not null, no null element; any size (empty returns an empty batch)
   * @param type ignored, but not null
   * @return one unit-length embedding per text, in order
   * @throws InvalidInputException when {@code texts} or {@code type} is null or an element is null
   *     (the message names its index)
   */
  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    Inputs.requireNonNull("texts", texts);
    Inputs.requireNonNull("type", type);
    int size = texts.size();
    String[] copy = new String[size];
    for (int i = 0; i < size; i++) {
      String text = texts.get(i);
      if (text == null) {
        throw new InvalidInputException(
            "texts",
            "texts[" + i + "] is null; every text must be non-null (use \"\" for an empty text).");
      }
      copy[i] = text;
    }
    if (size == 0) {
      return new EmbeddingBatch(List.of(), EmbeddingUsage.NONE);
    }
    List<Embedding> embeddings = new ArrayList<>(size);
    long words = 0;
    for (String text : copy) {
      Features features = new Features(text);
      words += features.words;
      embeddings.add(Embedding.of(features.vector(dimension)));
    }
    long requests = (size + MAX_BATCH_SIZE - 1) / MAX_BATCH_SIZE;
    return new EmbeddingBatch(embeddings, new EmbeddingUsage(words, requests, 0));
  }

  @Override
  public String toString() {
    return "HashingEmbedder[" + info.modelRef() + ", dimension=" + dimension + "]";
  }

  /** The hashed features of one text. */
  private static final class Features {
    private final String text;
    private long[] hashes = new long[32];
    private int count;
    private int words;

    Features(String raw) {
      this.text = Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
      extract();
    }

    private void extract() {
      String s = text;
      int n = s.length();
      int[] codePoints = new int[16];
      int previousStart = -1;
      int previousEnd = -1;
      int i = 0;
      while (i < n) {
        int cp = s.codePointAt(i);
        if (!isWordStart(cp)) {
          i += Character.charCount(cp);
          continue;
        }
        // A word: [start, i) after this loop, its code points kept padded as <word>.
        int start = i;
        int length = 0;
        codePoints[length++] = '<';
        codePoints[length++] = cp;
        i += Character.charCount(cp);
        boolean ideographic = isIdeographic(cp);
        while (i < n) {
          int c = s.codePointAt(i);
          if (!isMark(c) && (ideographic || isIdeographic(c) || !Character.isLetterOrDigit(c))) {
            break;
          }
          if (length + 2 > codePoints.length) {
            codePoints = Arrays.copyOf(codePoints, codePoints.length * 2);
          }
          codePoints[length++] = c;
          i += Character.charCount(c);
        }
        codePoints[length++] = '>';
        words++;
        add(hash(UNIGRAM, s, start, i, -1, -1));
        if (previousStart >= 0) {
          add(hash(BIGRAM, s, previousStart, previousEnd, start, i));
        }
        for (int j = 0; j + 3 <= length; j++) {
          long h = seed(TRIGRAM);
          h = mixCodePoint(h, codePoints[j]);
          h = mixCodePoint(h, codePoints[j + 1]);
          h = mixCodePoint(h, codePoints[j + 2]);
          add(finish(h, TRIGRAM));
        }
        previousStart = start;
        previousEnd = i;
      }
    }

    private void add(long hash) {
      if (count == hashes.length) {
        hashes = Arrays.copyOf(hashes, count * 2);
      }
      hashes[count++] = hash;
    }

    float[] vector(int dimension) {
      double[] sums = new double[dimension];
      long[] sorted = Arrays.copyOf(hashes, count);
      Arrays.sort(sorted);
      int i = 0;
      while (i < sorted.length) {
        long h = sorted[i];
        int tf = 1;
        while (i + tf < sorted.length && sorted[i + tf] == h) {
          tf++;
        }
        i += tf;
        int kind = (int) (h & 3);
        double value = WEIGHTS[kind] * (1 + Math.log(tf));
        int index = (int) Long.remainderUnsigned(h >>> 8, dimension);
        sums[index] += ((h >>> 2) & 1) == 0 ? value : -value;
      }
      double norm = 0;
      for (double v : sums) {
        norm += v * v;
      }
      float[] out = new float[dimension];
      norm = Math.sqrt(norm);
      if (norm == 0 || !Double.isFinite(norm)) {
        out[0] = 1f;
        return out;
      }
      for (int d = 0; d < dimension; d++) {
        out[d] = (float) (sums[d] / norm);
      }
      return out;
    }
  }

  private static boolean isWordStart(int cp) {
    return Character.isLetterOrDigit(cp);
  }

  private static boolean isMark(int cp) {
    if (cp < 0x300) {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static boolean isIdeographic(int cp) {
    if (cp < 0x1100 || !Character.isLetter(cp)) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HANGUL;
  }

  private static long seed(int kind) {
    return mixChar(FNV_OFFSET, (char) ('0' + kind));
  }

  /** Hashes a word ({@code from2 < 0}) or a pair of words separated by a space. */
  private static long hash(int kind, String s, int from, int to, int from2, int to2) {
    long h = seed(kind);
    for (int i = from; i < to; i++) {
      h = mixChar(h, s.charAt(i));
    }
    if (from2 >= 0) {
      h = mixChar(h, ' ');
      for (int i = from2; i < to2; i++) {
        h = mixChar(h, s.charAt(i));
      }
    }
    return finish(h, kind);
  }

  /** FNV-1a step over the two bytes of a UTF-16 code unit, low byte first. */
  private static long mixChar(long h, char c) {
    h = (h ^ (c & 0xFF)) * FNV_PRIME;
    return (h ^ (c >>> 8)) * FNV_PRIME;
  }

  private static long mixCodePoint(long h, int cp) {
    if (Character.isBmpCodePoint(cp)) {
      return mixChar(h, (char) cp);
    }
    return mixChar(mixChar(h, Character.highSurrogate(cp)), Character.lowSurrogate(cp));
  }

  /**
   * Spreads the bits (MurmurHash3's 64-bit finaliser) and stores the kind in the low two bits: bit
   * 2 gives the sign, bits 8 and up the component.
   */
  private static long finish(long h, int kind) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h & ~3L) | kind;
  }
}
