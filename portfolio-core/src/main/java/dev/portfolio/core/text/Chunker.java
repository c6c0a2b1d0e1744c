package dev.portfolio.core.text;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cuts text into chunks for embedding. Immutable and thread-safe; one instance can chunk any number
 * of texts concurrently.
 *
 * <h2>How text is cut</h2>
 *
 * <p>The text is read as a sequence of words (runs of non-whitespace; each Han, Hiragana, Katakana
 * or Hangul letter is a word of its own). Chunks are packed greedily with whole words up to {@link
 * ChunkerOptions#size()}. Where a chunk ends, the chunker prefers, strongest first:
 *
 * <ol>
 *   <li>a paragraph break: a blank line (two or more line breaks, with only whitespace between
 *       them), a paragraph separator (U+2029) or a form feed;
 *   <li>a sentence break, as found by {@link BreakIterator#getSentenceInstance(Locale)} with {@link
 *       Locale#ROOT};
 *   <li>a line break;
 *   <li>any other space between words.
 * </ol>
 *
 * <p>A chunk ends at the strongest break found in its second half (measured from its start); among
 * breaks of equal strength, at the last one. So a chunk is never cut at a weaker break when a
 * stronger one would still leave it at least half full.
 *
 * <p>A single word longer than the size (a long URL, a base64 blob, text in a script written
 * without spaces such as Thai) is cut into pieces that fit, between grapheme clusters ({@link
 * BreakIterator#getCharacterInstance(Locale)}) so that an emoji sequence or a letter with its
 * combining accents stays whole; only a single grapheme cluster longer than the size is cut between
 * code points. A cut never falls inside a surrogate pair.
 *
 * <h2>Overlap</h2>
 *
 * <p>Each chunk after the first starts with the trailing words of the previous chunk, as many as
 * fit in {@link ChunkerOptions#overlap()}, preferring to start the overlap at a sentence or
 * paragraph start when that keeps at least half of the overlap. The overlap shrinks when the next
 * new word would not fit otherwise. Every chunk contains at least one word that the previous chunk
 * did not.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Each chunk's text is {@code text.substring(startOffset, endOffset)} and neither starts nor
 *       ends with whitespace ({@link Character#isWhitespace(int)}); it is never empty.
 *   <li>No chunk exceeds the size in its unit: code points for {@link ChunkUnit#CHARACTERS}, {@link
 *       TokenCounter#count} of the chunk text for {@link ChunkUnit#TOKENS}.
 *   <li>Ordinals run 0, 1, 2, ...; start offsets strictly increase; every non-whitespace character
 *       of the text is in at least one chunk.
 *   <li>The result depends only on the text and the options.
 *   <li>Time is linear in the text length (times {@code size / (size - overlap)} for the overlap).
 * </ul>
 *
 * @since 0.1.0
 */
public final class Chunker {
  // Strength of the break before a word; higher is preferred as a chunk end.
  private static final byte HARD = 0;
  private static final byte WORD = 1;
  private static final byte LINE = 2;
  private static final byte SENTENCE = 3;
  private static final byte PARAGRAPH = 4;

  private final ChunkerOptions options;

  /**
   * Creates a chunker.
   *
   * @param options the options, not null
   * @throws InvalidInputException when {@code options} is null
   */
  public Chunker(ChunkerOptions options) {
    this.options = Inputs.requireNonNull("options", options);
  }

  /**
   * Creates a chunker with {@link ChunkerOptions#defaults()}: 512 tokens with 64 tokens of overlap.
   *
   * @return the chunker
   */
  public static Chunker withDefaults() {
    return new Chunker(ChunkerOptions.defaults());
  }

  /**
   * Returns the options.
   *
   * @return the options
   */
  public ChunkerOptions options() {
    return options;
  }

  /**
   * Cuts a text into chunks as the {@link Chunker class documentation} describes.
   *
   * @param text the text, not null
   * @return the chunks in text order; empty when the text is empty or only whitespace
   * @throws InvalidInputException when {@code text} is null, or when a custom {@link TokenCounter}
   *     counts a single code point as more tokens than the size
   */
  public List<TextChunk> chunk(String text) {
    Inputs.requireNonNull("text", text);
    Words words = new Words(text, options);
    words.segment();
    return pack(text, words);
  }

  private List<TextChunk> pack(String text, Words w) {
    int count = w.count;
    List<TextChunk> chunks = new ArrayList<>();
    if (count == 0) {
      return chunks;
    }
    int size = options.size();
    int overlap = options.overlap();
    long halfSize = (size + 1) / 2;
    long halfOverlap = (overlap + 1) / 2;
    TokenCounter counter = options.tokenCounter();
    int first = 0; // first word of the chunk
    int fresh = 0; // first word not in the previous chunk
    while (true) {
      // Greedy: as many words as fit.
      int end = fresh + 1;
      while (end < count && w.measure(first, end + 1) <= size) {
        end++;
      }
      // Prefer the strongest break in the chunk's second half.
      if (end < count) {
        int best = end;
        for (int c = end - 1; c > fresh && w.measure(first, c) >= halfSize; c--) {
          if (w.rank[c] > w.rank[best]) {
            best = c;
          }
        }
        end = best;
      }
      int start = w.start[first];
      int stop = w.end[end - 1];
      int tokens = Math.max(0, counter.count(text, start, stop));
      if (options.unit() == ChunkUnit.TOKENS) {
        // Word counts are summed to pack; a counter that is not additive can count the whole
        // chunk higher than the sum. Drop words until the real count fits.
        while (tokens > size) {
          if (end - 1 > fresh) {
            end--;
          } else if (first < fresh) {
            first++;
          } else {
            throw new InvalidInputException(
                "chunker.tokenCounter",
                "The token counter "
                    + counter
                    + " counted "
                    + tokens
                    + " tokens for a piece of text it counted as at most "
                    + size
                    + " before (at index "
                    + start
                    + "); token counters must be deterministic.");
          }
          start = w.start[first];
          stop = w.end[end - 1];
          tokens = Math.max(0, counter.count(text, start, stop));
        }
      }
      chunks.add(new TextChunk(chunks.size(), text.substring(start, stop), start, stop, tokens));
      if (end == count) {
        return chunks;
      }
      int next = end;
      if (overlap > 0) {
        while (next - 1 > first
            && w.measure(next - 1, end) <= overlap
            && w.measure(next - 1, end + 1) <= size) {
          next--;
        }
        // Prefer starting the overlap at a stronger break if it keeps half of the overlap.
        int best = next;
        for (int c = next + 1; c < end && w.measure(c, end) >= halfOverlap; c++) {
          if (w.rank[c] > w.rank[best]) {
            best = c;
          }
        }
        next = best;
        if (options.unit() == ChunkUnit.TOKENS) {
          // As above: the real count of the overlap must fit too.
          while (next < end && counter.count(text, w.start[next], stop) > overlap) {
            next++;
          }
        }
      }
      first = next;
      fresh = end;
    }
  }

  /**
   * The words of one text: spans, break strengths and cumulative measures, in parallel arrays.
   * Words longer than the size are already cut into pieces that fit.
   */
  private static final class Words {
    private final String text;
    private final ChunkerOptions options;
    private final boolean tokens;
    private final int size;
    private BreakIterator graphemes;

    int count;
    int[] start;
    int[] end;
    byte[] rank;
    // measure(a, b) = measureEnd[b - 1] - measureStart[a]: code points or summed tokens.
    long[] measureStart;
    long[] measureEnd;
    private long tokenTotal;

    Words(String text, ChunkerOptions options) {
      this.text = text;
      this.options = options;
      this.tokens = options.unit() == ChunkUnit.TOKENS;
      this.size = options.size();
      int capacity = Math.max(16, text.length() / 5);
      start = new int[capacity];
      end = new int[capacity];
      rank = new byte[capacity];
      measureStart = new long[capacity];
      measureEnd = new long[capacity];
    }

    /** The size of words [a, b) together, with the whitespace between them. */
    long measure(int a, int b) {
      return measureEnd[b - 1] - measureStart[a];
    }

    void segment() {
      String s = text;
      int n = s.length();
      BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
      sentences.setText(s);
      sentences.first();
      int nextSentence = sentences.next();
      boolean sentencePending = false;
      int wordStart = -1;
      long wordCodePoint = 0;
      byte wordRank = PARAGRAPH;
      byte gapRank = PARAGRAPH; // break strength of the whitespace before the next word
      int lineBreaks = 0;
      boolean previousIdeographic = false;
      long codePoint = 0; // code points before i
      int i = 0;
      while (i < n) {
        int cp = s.codePointAt(i);
        int len = Character.charCount(cp);
        if (Character.isWhitespace(cp)) {
          if (wordStart >= 0) {
            add(wordStart, i, wordCodePoint, codePoint, wordRank);
            wordStart = -1;
            lineBreaks = 0;
            gapRank = WORD;
          }
          if (cp == '\n'
              || cp == 0x2028
              || (cp == '\r' && (i + 1 == n || s.charAt(i + 1) != '\n'))) {
            lineBreaks++;
          } else if (cp == 0x2029 || cp == '\f') {
            lineBreaks += 2;
          }
          if (gapRank != PARAGRAPH) {
            gapRank = lineBreaks >= 2 ? PARAGRAPH : lineBreaks == 1 ? LINE : WORD;
          }
          i += len;
          codePoint++;
          continue;
        }
        while (nextSentence != BreakIterator.DONE && nextSentence <= i) {
          sentencePending = true;
          nextSentence = sentences.next();
        }
        boolean extender = cp >= 0x300 && Scripts.isExtender(cp);
        boolean ideographic = !extender && Scripts.isIdeographic(cp);
        if (wordStart < 0) {
          wordStart = i;
          wordCodePoint = codePoint;
          wordRank = sentencePending && gapRank < SENTENCE ? SENTENCE : gapRank;
          sentencePending = false;
        } else if (!extender
            && (sentencePending
                || ideographic
                || (previousIdeographic && Character.isLetterOrDigit(cp)))) {
          // A sentence break inside a run of non-whitespace, or a CJK letter: a new word.
          add(wordStart, i, wordCodePoint, codePoint, wordRank);
          wordStart = i;
          wordCodePoint = codePoint;
          wordRank = sentencePending ? SENTENCE : WORD;
          sentencePending = false;
        }
        if (!extender) {
          previousIdeographic = ideographic;
        }
        i += len;
        codePoint++;
      }
      if (wordStart >= 0) {
        add(wordStart, n, wordCodePoint, codePoint, wordRank);
      }
    }

    /** Adds the word [from, to), cutting it into pieces when it does not fit in one chunk. */
    private void add(int from, int to, long codePointFrom, long codePointTo, byte wordRank) {
      if (!tokens) {
        int s = from;
        long cpStart = codePointFrom;
        byte r = wordRank;
        while (codePointTo - cpStart > size) {
          int cut = graphemeCut(s, text.offsetByCodePoints(s, size));
          long cpCut = cpStart + text.codePointCount(s, cut);
          append(s, cut, cpStart, cpCut, r);
          s = cut;
          cpStart = cpCut;
          r = HARD;
        }
        append(s, to, cpStart, codePointTo, r);
        return;
      }
      int whole = count(from, to);
      if (whole <= size) {
        append(from, to, tokenTotal, tokenTotal + whole, wordRank);
        return;
      }
      int s = from;
      byte r = wordRank;
      while (s < to) {
        int cut = fittingEnd(s, to);
        int pieceTokens = count(s, cut);
        if (cut < to) {
          int grapheme = graphemeCut(s, cut);
          int graphemeTokens = grapheme == cut ? pieceTokens : count(s, grapheme);
          if (graphemeTokens <= size) {
            cut = grapheme;
            pieceTokens = graphemeTokens;
          }
        }
        append(s, cut, tokenTotal, tokenTotal + pieceTokens, r);
        s = cut;
        r = HARD;
      }
    }

    private void append(int from, int to, long measureFrom, long measureTo, byte r) {
      if (count == start.length) {
        int capacity = count * 2;
        start = Arrays.copyOf(start, capacity);
        end = Arrays.copyOf(end, capacity);
        rank = Arrays.copyOf(rank, capacity);
        measureStart = Arrays.copyOf(measureStart, capacity);
        measureEnd = Arrays.copyOf(measureEnd, capacity);
      }
      start[count] = from;
      end[count] = to;
      rank[count] = r;
      measureStart[count] = measureFrom;
      measureEnd[count] = measureTo;
      count++;
      if (tokens) {
        tokenTotal = measureTo;
      }
    }

    private int count(int from, int to) {
      return Math.max(0, options.tokenCounter().count(text, from, to));
    }

    /**
     * Returns the largest code point boundary {@code e} in (from, to] with {@code count(from, e) <=
     * size}: gallops, then bisects.
     */
    private int fittingEnd(int from, int to) {
      if (options.tokenCounter() instanceof ApproximateTokenCounter approximate) {
        // One pass instead of a search; a single code point is at most one token.
        return approximate.fittingEnd(text, from, to, size);
      }
      int good = from + Character.charCount(text.codePointAt(from));
      int firstCount = count(from, good);
      if (firstCount > size) {
        throw new InvalidInputException(
            "chunker.size",
            String.format(
                Locale.ROOT,
                "The token counter %s counts %d tokens for the single character U+%04X at index"
                    + " %d, more than chunker.size (%d). Raise chunker.size or use a token counter"
                    + " that counts a character as at most %d tokens.",
                options.tokenCounter(),
                firstCount,
                text.codePointAt(from),
                from,
                size,
                size));
      }
      if (good == to) {
        return to;
      }
      int bad = -1;
      long step = Math.max(size, good - from);
      while (bad < 0) {
        int probe = (int) Math.min(to, from + step);
        probe = codePointBoundary(probe, to);
        if (probe > good) {
          if (count(from, probe) <= size) {
            good = probe;
            if (probe == to) {
              return to;
            }
          } else {
            bad = probe;
          }
        }
        step *= 2;
      }
      while (true) {
        int mid = codePointBoundary((good + bad) >>> 1, bad);
        if (mid <= good || mid >= bad) {
          return good;
        }
        if (count(from, mid) <= size) {
          good = mid;
        } else {
          bad = mid;
        }
      }
    }

    /** Moves an index that falls inside a surrogate pair back to the pair's start. */
    private int codePointBoundary(int index, int limit) {
      if (index > 0
          && index < limit
          && Character.isLowSurrogate(text.charAt(index))
          && Character.isHighSurrogate(text.charAt(index - 1))) {
        return index - 1;
      }
      return index;
    }

    /**
     * Moves a cut at a code point boundary back to the nearest grapheme cluster boundary after
     * {@code from}; keeps it when the cluster alone is longer than the size.
     */
    private int graphemeCut(int from, int cut) {
      if (graphemes == null) {
        graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(text);
      }
      if (graphemes.isBoundary(cut)) {
        return cut;
      }
      int previous = graphemes.preceding(cut);
      return previous > from ? previous : cut;
    }
  }
}
