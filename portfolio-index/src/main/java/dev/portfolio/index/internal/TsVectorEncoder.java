package dev.portfolio.index.internal;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.text.KeywordTokenizer;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds a chunk's {@code tsvector} from its {@link KeywordTokenizer} words and encodes it in
 * PostgreSQL's binary wire format, so that {@code COPY ... (FORMAT binary)} can fill a plain {@code
 * tsvector} column without the server running {@code to_tsvector}.
 *
 * <h2>What it builds</h2>
 *
 * The value {@code to_tsvector('simple', KeywordTokenizer.searchText(text))} has on PostgreSQL 15,
 * lexeme for lexeme and position for position, built the way {@code to_tsany.c} builds it:
 *
 * <ul>
 *   <li>each word is a lexeme; its position is its 1-based index among the indexed words, clamped
 *       to {@value #MAX_POSITION};
 *   <li>a word of more than {@value #MAX_LEXEME_BYTES} UTF-8 bytes is skipped and takes no position
 *       ({@code to_tsvector} raises the NOTICE "word is too long to be indexed"; the limit applies
 *       to the normalised word);
 *   <li>a lexeme keeps at most {@value #MAX_POSITIONS} positions, the first ones, and a clamped
 *       position is not repeated: after {@value #MAX_POSITION} a lexeme takes no further position;
 *   <li>lexemes are distinct and sorted like {@code tsCompareString} sorts them (unsigned bytes of
 *       the UTF-8 form, a prefix before the longer lexeme), positions ascend, weights are D;
 *   <li>when the lexemes and positions would take more than {@value #MAX_TOTAL_BYTES} bytes ({@code
 *       MAXSTRPOS}), {@link #encode} throws, as {@code to_tsvector} raises "string is too long for
 *       tsvector". A 100,000-character chunk can get there: NFKC expands some characters (U+3316
 *       SQUARE KIROMEETORU becomes six katakana, 18 bytes), and 24,994 distinct words of three such
 *       characters need 1,069,190 bytes.
 * </ul>
 *
 * <h2>Where the server's parser disagrees</h2>
 *
 * These words are the truth for the store, which queries with the same words. {@code to_tsvector}
 * on the search text differs from them for three kinds of input (found by comparing every code
 * point on PostgreSQL 15.20, glibc 2.36, {@code lc_ctype} C.UTF-8, JDK 25):
 *
 * <ol>
 *   <li><b>Scientific notation followed by more word characters.</b> The default parser reads ASCII
 *       digits, {@code e} and ASCII digits as an {@code sfloat} token and ends it at the first
 *       character that is not an ASCII digit. {@code "1e10abc"} is the lexeme {@code 1e10abc} here
 *       but {@code '1e10':1 'abc':2} for {@code to_tsvector}, which also shifts later positions;
 *       {@code "12e5e"} gives {@code '12e5'} and {@code 'e'}. A bare {@code "1e10"} agrees.
 *   <li><b>A word that starts with a combining mark</b> the server's locale does not class as
 *       alphanumeric (after NFKC a mark can only lead a word when it follows a separator, as in
 *       {@code "x \u0301ab"}): the parser drops the leading marks, so {@code "\u0301ab"} is {@code
 *       'ab'} there; a word of marks alone ({@code "\u0301"}) gives no lexeme and takes no
 *       position. Marks inside a word agree.
 *   <li><b>Characters the server's locale does not know as letters or digits</b>: the parser ends
 *       the word before them and drops them. These are code points newer than the server's C
 *       library (on glibc 2.36: CJK Extensions H and I, Unicode 15 and 16 scripts such as Kawi, Nag
 *       Mundari, Garay, Todhri) and a few older spacing marks that neither glibc nor the parser's
 *       own list treats as word characters (U+1BF2 BATAK PANGOLAT, U+302E HANGUL SINGLE DOT TONE
 *       MARK, U+A9C0 JAVANESE PANGKON, U+111C0 SHARADA SIGN VIRAMA, U+1134D GRANTHA SIGN VIRAMA,
 *       U+116B6 TAKRI SIGN VIRAMA, U+1D165 MUSICAL SYMBOL COMBINING STEM and a few more). The set
 *       depends on the server's C library and on the JDK's Unicode version.
 * </ol>
 *
 * Everything else agrees: letters, digits and marks of the established scripts (Latin, Greek,
 * Cyrillic, Armenian, Hebrew, Arabic, the Indic scripts, Thai, Hangul, kana, CJK), their digits,
 * mixed tokens ({@code abc123}, {@code 123abc}), repeats, long words and long texts.
 *
 * <h2>Wire format</h2>
 *
 * What {@code tsvectorrecv} reads: an int32 lexeme count, then per lexeme its UTF-8 bytes and a
 * NUL, a uint16 position count and that many uint16 positions (weight in the top two bits, D = 0).
 * The client encoding must be UTF-8 (pgjdbc always sets it) and so must the database encoding.
 *
 * <h2>Use</h2>
 *
 * One encoder per thread, reused for every chunk: its buffers grow to the largest chunk seen and
 * are not allocated again. ASCII texts are split as they are; other texts are normalised only when
 * {@link Normalizer#isNormalized} says they must be, and lower-cased character by character (unless
 * they hold the two characters whose lower case depends on context, U+03A3 and U+0130, when the
 * whole text is lower-cased as {@link KeywordTokenizer} does). The bytes from {@link #encode} stay
 * valid until the next call.
 *
 * <pre>{@code
 * TsVectorEncoder tsv = new TsVectorEncoder();
 * for (Chunk c : chunks) {
 *   tsv.encode(c.text());          // may throw: encode before starting the row
 *   w.startRow(n);
 *   ...
 *   w.writeTsVector(tsv);
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class TsVectorEncoder {
  /** Longest lexeme, in UTF-8 bytes; longer words are skipped ({@code MAXSTRLEN - 1}). */
  public static final int MAX_LEXEME_BYTES = 2047;

  /** Largest position; later words get this one ({@code MAXENTRYPOS - 1}). */
  public static final int MAX_POSITION = 16383;

  /** Most positions a lexeme keeps ({@code MAXNUMPOS - 1}). */
  public static final int MAX_POSITIONS = 255;

  /** Most bytes the lexemes and their positions may take in a tsvector ({@code MAXSTRPOS}). */
  public static final int MAX_TOTAL_BYTES = (1 << 20) - 1;

  private static final long PREFIX_MASK = 0xFFFF_FFFF_FFFF_0000L;

  private static final boolean[] ASCII_WORD = new boolean[128];
  private static final byte[] ASCII_LOWER = new byte[128];

  /**
   * For each BMP character: its lower case ({@link Character#toLowerCase(int)}) when that is a word
   * character, 0 when it is not, {@link #SLOW} when the lower case is not a BMP character. Built
   * from the running JDK's tables, so it cannot disagree with {@link KeywordTokenizer}.
   */
  private static final char[] BMP_LOWER_WORD = new char[1 << 16];

  private static final char SLOW = '\uffff';

  static {
    for (int c = 0; c < BMP_LOWER_WORD.length; c++) {
      int lower = Character.toLowerCase(c);
      BMP_LOWER_WORD[c] = lower > 0xFFFF ? SLOW : isWordPart(lower) ? (char) lower : 0;
    }
    for (int c = 0; c < 128; c++) {
      ASCII_WORD[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      ASCII_LOWER[c] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
  }

  // Distinct lexemes: UTF-8 bytes in the arena, per-lexeme data in parallel arrays by id.
  private byte[] arena = new byte[8192];
  private int arenaLength;
  private int[] lexStart = new int[256];
  private int[] lexLength = new int[256];
  private int[] lexHash = new int[256];
  private long[] lexKey = new long[256]; // the first 8 bytes, big-endian, zero-padded
  private int[] lexSlot = new int[256];
  private int[] positionCount = new int[256];
  private int[] lastPosition = new int[256];
  private int lexemes;

  // Open-addressing table of lexeme id + 1; only the slots in lexSlot are ever non-zero.
  private int[] table = new int[512];

  // Accepted occurrences in text order: lexeme id and position.
  private int[] occurrenceLexeme = new int[1024];
  private short[] occurrencePosition = new short[1024];
  private int occurrences;

  private char[] chars = new char[1024];
  private int[] order = new int[256];
  private int[] sortScratch = new int[256];
  private long[] sortKeys = new long[256];

  private byte[] out = new byte[4096];
  private int outLength;

  /** Creates an encoder with small buffers that grow as needed. */
  public TsVectorEncoder() {}

  /**
   * Encodes the tsvector of a chunk text. The result is in {@link #buffer()} from index 0 to {@link
   * #length()} and stays valid until the next call.
   *
   * @param text the chunk text, not null; empty or word-less text gives the empty tsvector
   * @return the length of the encoding in bytes
   * @throws InvalidInputException when the lexemes and positions would exceed {@value
   *     #MAX_TOTAL_BYTES} bytes, where {@code to_tsvector} fails too; the buffer is then empty
   */
  public int encode(String text) {
    Objects.requireNonNull(text, "text");
    reset();
    if (isAscii(text)) {
      collect(text, true);
    } else {
      String s =
          Normalizer.isNormalized(text, Normalizer.Form.NFKC)
              ? text
              : Normalizer.normalize(text, Normalizer.Form.NFKC);
      if (s.indexOf('\u03a3') >= 0 || s.indexOf('\u0130') >= 0) {
        collect(s.toLowerCase(Locale.ROOT), false);
      } else {
        collect(s, true);
      }
    }
    clearTable();
    write();
    return outLength;
  }

  /**
   * Returns the buffer holding the last encoding; only the first {@link #length()} bytes belong to
   * it. Not a copy: the next {@link #encode} overwrites it.
   *
   * @return the buffer
   */
  public byte[] buffer() {
    return out;
  }

  /**
   * Returns the length of the last encoding in bytes (4 for the empty tsvector, 0 before the first
   * call or after a failed one).
   *
   * @return the length
   */
  public int length() {
    return outLength;
  }

  /**
   * Returns the number of distinct lexemes of the last encoding.
   *
   * @return the lexeme count
   */
  public int lexemeCount() {
    return outLength == 0 ? 0 : lexemes;
  }

  /**
   * Returns a copy of the last encoding.
   *
   * @return the bytes, {@link #length()} long
   */
  public byte[] toByteArray() {
    return Arrays.copyOf(out, outLength);
  }

  /** ASCII text is its own NFKC form, and lower-casing it only maps A-Z. */
  private static boolean isAscii(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The word characters of {@link KeywordTokenizer}: letters, digits and combining marks. */
  static boolean isWordPart(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private void reset() {
    arenaLength = 0;
    lexemes = 0;
    occurrences = 0;
    outLength = 0;
  }

  /**
   * Splits the (normalised) text into words, encoding each to UTF-8 at the end of the arena, and
   * records each word's lexeme and position.
   */
  private void collect(String s, boolean lowerEach) {
    int n = s.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    char[] text = chars;
    s.getChars(0, n, text, 0);
    int position = 0;
    int wordLength = -1; // -1: between words; else bytes of the current word (may exceed the max)
    int hash = 0;
    for (int i = 0; i < n; ) {
      char c = text[i];
      if (c < 0x80) {
        i++;
        if (ASCII_WORD[c]) {
          if (wordLength < 0) {
            wordLength = 0;
            hash = 0;
            ensureArena(arenaLength + MAX_LEXEME_BYTES + 4);
          }
          if (wordLength < MAX_LEXEME_BYTES) {
            byte b = ASCII_LOWER[c];
            arena[arenaLength + wordLength] = b;
            hash = 31 * hash + b;
          }
          wordLength++;
          continue;
        }
      } else {
        int cp;
        if (lowerEach && !Character.isSurrogate(c) && BMP_LOWER_WORD[c] != SLOW) {
          cp = BMP_LOWER_WORD[c];
          i++;
        } else {
          cp = Character.codePointAt(text, i, n);
          i += Character.charCount(cp);
          if (lowerEach) {
            cp = Character.toLowerCase(cp);
          }
          if (!isWordPart(cp)) {
            cp = 0;
          }
        }
        if (cp != 0) {
          if (wordLength < 0) {
            wordLength = 0;
            hash = 0;
            ensureArena(arenaLength + MAX_LEXEME_BYTES + 4);
          }
          if (wordLength < MAX_LEXEME_BYTES) {
            int at = arenaLength + wordLength;
            int k = putUtf8(arena, at, cp);
            for (int j = at; j < at + k; j++) {
              hash = 31 * hash + arena[j];
            }
            wordLength += k;
          } else {
            wordLength += 4; // already too long; the exact count no longer matters
          }
          continue;
        }
      }
      if (wordLength >= 0) {
        position = endWord(wordLength, hash, position);
        wordLength = -1;
      }
    }
    if (wordLength >= 0) {
      endWord(wordLength, hash, position);
    }
  }

  /** Records a word whose bytes start at the end of the arena; returns the new position count. */
  private int endWord(int length, int hash, int position) {
    if (length > MAX_LEXEME_BYTES) {
      return position; // skipped without taking a position, like to_tsvector
    }
    int pos = Math.min(position + 1, MAX_POSITION);
    int id = lexeme(length, hash, key(arenaLength, length));
    if (positionCount[id] < MAX_POSITIONS && lastPosition[id] != MAX_POSITION) {
      positionCount[id]++;
      lastPosition[id] = pos;
      if (occurrences == occurrenceLexeme.length) {
        occurrenceLexeme = Arrays.copyOf(occurrenceLexeme, occurrences * 2);
        occurrencePosition = Arrays.copyOf(occurrencePosition, occurrences * 2);
      }
      occurrenceLexeme[occurrences] = id;
      occurrencePosition[occurrences] = (short) pos;
      occurrences++;
    }
    return position + 1;
  }

  /**
   * The first 8 bytes of a lexeme as an unsigned big-endian number, zero-padded. Lexemes hold no
   * zero byte, so comparing keys orders lexemes as PostgreSQL does, unless the keys are equal.
   */
  private long key(int start, int length) {
    long key = 0;
    int n = Math.min(length, 8);
    for (int i = 0; i < n; i++) {
      key = (key << 8) | (arena[start + i] & 0xFF);
    }
    return key << (8 * (8 - n));
  }

  /** Finds the lexeme equal to the word at the end of the arena, or adds it. */
  private int lexeme(int length, int hash, long key) {
    int start = arenaLength;
    int mask = table.length - 1;
    for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      int entry = table[slot];
      if (entry == 0) {
        int id = lexemes++;
        if (id == lexStart.length) {
          growLexemes();
        }
        lexStart[id] = start;
        lexLength[id] = length;
        lexHash[id] = hash;
        lexKey[id] = key;
        lexSlot[id] = slot;
        positionCount[id] = 0;
        lastPosition[id] = 0;
        table[slot] = id + 1;
        arenaLength += length;
        if (lexemes * 2 > table.length) {
          rehash(table.length * 2);
        }
        return id;
      }
      int id = entry - 1;
      if (lexKey[id] == key
          && lexLength[id] == length
          && (length <= 8
              || Arrays.equals(
                  arena,
                  lexStart[id] + 8,
                  lexStart[id] + length,
                  arena,
                  start + 8,
                  start + length))) {
        return id;
      }
    }
  }

  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private void rehash(int size) {
    table = new int[size];
    int mask = size - 1;
    for (int id = 0; id < lexemes; id++) {
      int slot = mix(lexHash[id]) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = id + 1;
      lexSlot[id] = slot;
    }
  }

  private void clearTable() {
    for (int id = 0; id < lexemes; id++) {
      table[lexSlot[id]] = 0;
    }
  }

  private void growLexemes() {
    int size = lexStart.length * 2;
    lexStart = Arrays.copyOf(lexStart, size);
    lexLength = Arrays.copyOf(lexLength, size);
    lexHash = Arrays.copyOf(lexHash, size);
    lexKey = Arrays.copyOf(lexKey, size);
    lexSlot = Arrays.copyOf(lexSlot, size);
    positionCount = Arrays.copyOf(positionCount, size);
    lastPosition = Arrays.copyOf(lastPosition, size);
  }

  private void ensureArena(int size) {
    if (size > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(size, arena.length * 2));
    }
  }

  /** Sorts the lexemes, checks the size limit and writes the wire format. */
  private void write() {
    if (order.length < lexemes) {
      order = new int[lexStart.length];
      sortScratch = new int[lexStart.length];
    }
    sortLexemes();

    long size = 4;
    long stored = 0; // make_tsvector's lenstr: lexemes, 2-byte alignment, count and positions
    for (int k = 0; k < lexemes; k++) {
      int id = order[k];
      size += lexLength[id] + 3L + 2L * positionCount[id];
      stored = ((stored + lexLength[id] + 1) & ~1L) + 2 + 2L * positionCount[id];
    }
    if (stored > MAX_TOTAL_BYTES) {
      throw new InvalidInputException(
          "text",
          "Chunk text is too long for PostgreSQL's tsvector: its "
              + lexemes
              + " distinct keywords and their positions take "
              + stored
              + " bytes, max "
              + MAX_TOTAL_BYTES
              + " (to_tsvector fails the same way). Split the chunk into smaller chunks.");
    }
    if (size > out.length) {
      out = new byte[(int) Math.max(size, out.length * 2L)];
    }
    byte[] o = out;
    int p = 0;
    o[p++] = (byte) (lexemes >>> 24);
    o[p++] = (byte) (lexemes >>> 16);
    o[p++] = (byte) (lexemes >>> 8);
    o[p++] = (byte) lexemes;
    int[] cursor = lastPosition; // no longer needed: reused for where each lexeme's positions go
    for (int k = 0; k < lexemes; k++) {
      int id = order[k];
      int length = lexLength[id];
      System.arraycopy(arena, lexStart[id], o, p, length);
      p += length;
      o[p++] = 0;
      int count = positionCount[id];
      o[p++] = (byte) (count >>> 8);
      o[p++] = (byte) count;
      cursor[id] = p;
      p += 2 * count;
    }
    for (int k = 0; k < occurrences; k++) {
      int id = occurrenceLexeme[k];
      int at = cursor[id];
      short pos = occurrencePosition[k];
      o[at] = (byte) (pos >>> 8);
      o[at + 1] = (byte) pos;
      cursor[id] = at + 2;
    }
    outLength = p;
  }

  /**
   * Sorts the lexeme ids into {@code order}. Up to 65,536 lexemes, a primitive sort of the first 6
   * bytes with the id in the low 16 bits, then each run of equal prefixes by {@link #compare}.
   */
  private void sortLexemes() {
    int n = lexemes;
    if (n > 1 << 16) {
      for (int id = 0; id < n; id++) {
        order[id] = id;
      }
      sort(0, n);
      return;
    }
    if (sortKeys.length < n) {
      sortKeys = new long[order.length];
    }
    long[] keys = sortKeys;
    for (int id = 0; id < n; id++) {
      // the sign flip makes the signed sort order unsigned prefixes
      keys[id] = ((lexKey[id] & PREFIX_MASK) | id) ^ Long.MIN_VALUE;
    }
    Arrays.sort(keys, 0, n);
    for (int k = 0; k < n; k++) {
      order[k] = (int) (keys[k] & 0xFFFF);
    }
    for (int k = 0; k < n - 1; ) {
      long prefix = keys[k] & PREFIX_MASK;
      int end = k + 1;
      while (end < n && (keys[end] & PREFIX_MASK) == prefix) {
        end++;
      }
      if (end - k > 1) {
        sort(k, end);
      }
      k = end;
    }
  }

  /** Merge sort of {@code order[from, to)} by {@link #compare}: stable, no boxing. */
  private void sort(int from, int to) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int v = order[i];
        int j = i - 1;
        while (j >= from && compare(order[j], v) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sort(from, mid);
    sort(mid, to);
    if (compare(order[mid - 1], order[mid]) <= 0) {
      return;
    }
    System.arraycopy(order, from, sortScratch, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compare(sortScratch[i], sortScratch[j]) <= 0)) {
        order[k] = sortScratch[i++];
      } else {
        order[k] = sortScratch[j++];
      }
    }
  }

  /** PostgreSQL's tsCompareString: unsigned bytes, then the shorter first. */
  private int compare(int a, int b) {
    int c = Long.compareUnsigned(lexKey[a], lexKey[b]);
    if (c != 0) {
      return c;
    }
    int la = lexLength[a];
    int lb = lexLength[b];
    if (la <= 8 || lb <= 8) {
      return la - lb; // equal keys: both shorter than 8 and equal, or one is the other's prefix
    }
    int sa = lexStart[a];
    int sb = lexStart[b];
    return Arrays.compareUnsigned(arena, sa + 8, sa + la, arena, sb + 8, sb + lb);
  }

  /** Writes a code point (not a surrogate) as UTF-8; returns the byte count. */
  private static int putUtf8(byte[] b, int at, int cp) {
    if (cp < 0x80) {
      b[at] = (byte) cp;
      return 1;
    }
    if (cp < 0x800) {
      b[at] = (byte) (0xC0 | (cp >>> 6));
      b[at + 1] = (byte) (0x80 | (cp & 0x3F));
      return 2;
    }
    if (cp < 0x10000) {
      b[at] = (byte) (0xE0 | (cp >>> 12));
      b[at + 1] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
      b[at + 2] = (byte) (0x80 | (cp & 0x3F));
      return 3;
    }
    b[at] = (byte) (0xF0 | (cp >>> 18));
    b[at + 1] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
    b[at + 2] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
    b[at + 3] = (byte) (0x80 | (cp & 0x3F));
    return 4;
  }
}
