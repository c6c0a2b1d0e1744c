package dev.portfolio.maintenance.internal;

import dev.portfolio.core.spi.InputTokens;
import dev.portfolio.core.text.Chunker;
import dev.portfolio.core.text.ChunkerOptions;
import dev.portfolio.core.text.Fingerprints;
import dev.portfolio.core.text.TextChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a document into the chunks to store, sized for the embedder, optionally headed by the
 * document's title and the chunk's Markdown section heading, whose tokens are reserved inside the
 * budget. Thread-safe.
 */
final class ChunkPlanner {
  private static final Pattern HEADING =
      Pattern.compile("(?m)^ {0,3}#{1,6}[ \\t]+(\\S.*?)[ \\t#]*$");

  private final InputTokens tokens;
  private final ChunkerOptions base;
  private final Chunker plain;
  private final boolean prefix;

  /** One chunk to store. */
  record Planned(int ordinal, String text, String hash, int tokenCount, boolean truncated) {}

  ChunkPlanner(InputTokens tokens, ChunkerOptions configured, boolean prefix) {
    this.tokens = tokens;
    this.base = configured != null ? configured : ChunkerOptions.forEmbedder(tokens);
    this.plain = new Chunker(base);
    this.prefix = prefix;
  }

  ChunkerOptions options() {
    return base;
  }

  List<Planned> plan(String text, String title) {
    if (!prefix) {
      return planned(text, plain.chunk(text), null, null);
    }
    List<int[]> headings = new ArrayList<>(); // {start, textStart, textEnd}
    Matcher m = HEADING.matcher(text);
    int longest = 0;
    while (m.find()) {
      headings.add(new int[] {m.start(), m.start(1), m.end(1)});
      longest = Math.max(longest, tokens.count(text.substring(m.start(1), m.end(1))));
    }
    String cleanTitle = title == null || title.isBlank() ? null : title.strip();
    int titleTokens = cleanTitle == null ? 0 : tokens.count(cleanTitle);
    int room = base.size() / 4; // a prefix never takes more than a quarter of a chunk
    boolean withHeadings = !headings.isEmpty() && titleTokens + longest + 2 <= room;
    if (!withHeadings) {
      headings.clear();
    }
    if (cleanTitle != null && titleTokens + 1 > room) {
      cleanTitle = null;
    }
    if (cleanTitle == null && headings.isEmpty()) {
      return planned(text, plain.chunk(text), null, null);
    }
    int reserve = (cleanTitle == null ? 0 : titleTokens + 1) + (withHeadings ? longest + 1 : 0);
    ChunkerOptions sized =
        base.toBuilder()
            .size(base.size() - reserve)
            .overlap(Math.min(base.overlap(), (base.size() - reserve) / 8))
            .build();
    return planned(
        text, new Chunker(sized).chunk(text), cleanTitle, headings.isEmpty() ? null : headings);
  }

  private List<Planned> planned(
      String original, List<TextChunk> chunks, String title, List<int[]> headings) {
    List<Planned> out = new ArrayList<>(chunks.size());
    for (TextChunk c : chunks) {
      String text = c.text();
      StringBuilder head = new StringBuilder();
      if (title != null && !text.startsWith(title)) {
        head.append(title).append('\n');
      }
      if (headings != null) {
        int[] h = sectionOf(headings, c.startOffset());
        if (h != null && h[0] < c.startOffset()) {
          head.append(original, h[1], h[2]).append('\n');
        }
      }
      boolean prefixed = head.length() > 0;
      if (prefixed) {
        text = head.append('\n').append(text).toString();
      }
      // The chunker counted with its own counter; the model's budget is counted with the model's.
      int modelCount =
          prefixed || base.tokenCounter() != tokens.counter() ? tokens.count(text) : c.tokenCount();
      out.add(
          new Planned(
              c.ordinal(),
              text,
              Fingerprints.sha256Hex(text),
              modelCount,
              modelCount > tokens.maxTokens()));
    }
    return out;
  }

  private static int[] sectionOf(List<int[]> headings, int offset) {
    int[] found = null;
    for (int[] h : headings) {
      if (h[0] > offset) {
        break;
      }
      found = h;
    }
    return found;
  }
}
