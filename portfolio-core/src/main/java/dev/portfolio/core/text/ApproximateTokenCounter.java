package dev.portfolio.core.text;

/** The counter behind {@link TokenCounter#approximate()}; see there for the rules. */
final class ApproximateTokenCounter implements TokenCounter {
  static final ApproximateTokenCounter INSTANCE = new ApproximateTokenCounter();

  private static final int SPACE = 0;
  private static final int WORD = 1;
  private static final int MARK = 2;
  private static final int SINGLE = 3; // one token on its own: CJK letters, punctuation, symbols

  private ApproximateTokenCounter() {}

  @Override
  public int count(CharSequence text) {
    return count(text, 0, text.length());
  }

  @Override
  public int count(CharSequence text, int start, int end) {
    Scan scan = new Scan();
    int i = start;
    while (i < end) {
      int cp = codePointAt(text, i, end);
      i += Character.charCount(cp);
      scan.accept(cp);
    }
    return scan.total();
  }

  /**
   * Returns the largest code point boundary {@code e} in [start, end] with {@code count(text,
   * start, e) <= maxTokens}, in one pass (the count never falls as text is appended).
   */
  int fittingEnd(CharSequence text, int start, int end, int maxTokens) {
    Scan scan = new Scan();
    int i = start;
    while (i < end) {
      int cp = codePointAt(text, i, end);
      scan.accept(cp);
      if (scan.total() > maxTokens) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return end;
  }

  private static int codePointAt(CharSequence text, int i, int end) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < end) {
      char low = text.charAt(i + 1);
      if (Character.isLowSurrogate(low)) {
        return Character.toCodePoint(c, low);
      }
    }
    return c;
  }

  private static int classify(int cp) {
    if (cp < 0x80) {
      if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
        return WORD;
      }
      boolean space = cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
      return space ? SPACE : SINGLE;
    }
    return switch (Character.getType(cp)) {
      case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
          SPACE;
      case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK ->
          MARK;
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER ->
          Scripts.isIdeographicLetter(cp) ? SINGLE : WORD;
      case Character.DECIMAL_DIGIT_NUMBER -> WORD;
      default -> SINGLE;
    };
  }

  /** Counting state over a sequence of code points. */
  private static final class Scan {
    private int tokens;
    private int wordLength; // code points of the current word, 0 when not in a word
    private boolean attached; // a mark here belongs to the preceding single token

    void accept(int cp) {
      switch (classify(cp)) {
        case WORD -> wordLength++;
        case SPACE -> {
          endWord();
          attached = false;
        }
        case MARK -> {
          if (wordLength == 0 && !attached) {
            tokens++;
            attached = true;
          }
        }
        default -> {
          endWord();
          tokens++;
          attached = true;
        }
      }
    }

    private void endWord() {
      tokens += wordTokens(wordLength);
      wordLength = 0;
    }

    int total() {
      return tokens + wordTokens(wordLength);
    }

    private static int wordTokens(int length) {
      return (length + 3) / 4;
    }
  }

  @Override
  public String toString() {
    return "TokenCounter.approximate()";
  }
}
