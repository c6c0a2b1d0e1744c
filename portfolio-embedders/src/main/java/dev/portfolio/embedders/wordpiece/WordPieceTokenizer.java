package dev.portfolio.embedders.wordpiece;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece tokenizer read from a HuggingFace {@code tokenizer.json}, producing the same
 * token ids as the HuggingFace {@code tokenizers} library for that file: {@code BertNormalizer}
 * (clean-up, CJK padding, accent stripping, lower-casing), {@code BertPreTokenizer} (whitespace and
 * punctuation splits), greedy longest-match-first WordPiece with {@code [UNK]} for words that
 * cannot be split or are longer than {@code max_input_chars_per_word}, special tokens written
 * literally in the text (such as {@code [MASK]}) kept whole, and the post-processor's {@code [CLS]}
 * ... {@code [SEP]} around the sequence.
 *
 * <p>Truncation keeps the first tokens: {@link #encode(String, int)} returns at most {@code
 * maxLength} ids including the special tokens. Instances are immutable and thread-safe.
 *
 * <p>Only BERT-style tokenizers are supported: a {@code tokenizer.json} with another model,
 * normalizer or pre-tokenizer type is rejected when loaded, naming the type found.
 *
 * @since 0.1.0
 */
public final class WordPieceTokenizer implements dev.portfolio.core.text.TokenCounter {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

  private final Map<String, Integer> vocab;
  private final int unkId;
  private final String unkToken;
  private final String continuingPrefix;
  private final int maxInputCharsPerWord;
  private final int longestToken;
  private final boolean normalize;
  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;
  private final int[] prefixIds;
  private final int[] suffixIds;
  private final String[] addedContents;
  private final int[] addedIds;

  private WordPieceTokenizer(Builder b) {
    this.vocab = b.vocab;
    this.unkId = b.unkId;
    this.unkToken = b.unkToken;
    this.continuingPrefix = b.continuingPrefix;
    this.maxInputCharsPerWord = b.maxInputCharsPerWord;
    int longest = 0;
    for (String token : vocab.keySet()) {
      longest = Math.max(longest, token.length());
    }
    this.longestToken = longest;
    this.normalize = b.normalize;
    this.cleanText = b.cleanText;
    this.handleChineseChars = b.handleChineseChars;
    this.stripAccents = b.stripAccents;
    this.lowercase = b.lowercase;
    this.prefixIds = b.prefixIds;
    this.suffixIds = b.suffixIds;
    this.addedContents = b.addedContents.toArray(String[]::new);
    this.addedIds = b.addedIds.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Loads a tokenizer from a {@code tokenizer.json} file.
   *
   * @param path the file, not null
   * @return the tokenizer
   * @throws InvalidInputException when the file cannot be read, is not JSON, or describes a
   *     tokenizer other than BERT WordPiece
   */
  public static WordPieceTokenizer load(Path path) {
    Inputs.requireNonNull("tokenizerPath", path);
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    } catch (IOException e) {
      throw new InvalidInputException(
          "tokenizerPath",
          "Cannot read tokenizer file "
              + path
              + ": "
              + e.getMessage()
              + ". Point tokenizerPath at a HuggingFace tokenizer.json.");
    }
  }

  /**
   * Reads a tokenizer from the content of a {@code tokenizer.json}. The stream is not closed.
   *
   * @param in the JSON content, not null
   * @param source a name for the content used in error messages, for example a file name
   * @return the tokenizer
   * @throws InvalidInputException when the content is not JSON or describes a tokenizer other than
   *     BERT WordPiece
   */
  public static WordPieceTokenizer read(InputStream in, String source) {
    Inputs.requireNonNull("in", in);
    Parser parser = new Parser(source);
    // Streams the vocabulary (30,000+ entries) into a map: a JSON tree of it costs seconds cold.
    ObjectNode root = JSON.createObjectNode();
    ObjectNode model = JSON.createObjectNode();
    Map<String, Integer> vocab = null;
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw parser.invalid("the content is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("model") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.START_OBJECT && field.equals("vocab")) {
              vocab = parser.readVocab(p);
            } else {
              model.set(field, JSON.readTree(p));
            }
          }
        } else {
          root.set(name, JSON.readTree(p));
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          "tokenizerPath", "Tokenizer file " + source + " is not valid JSON: " + e.getMessage());
    }
    return parser.parse(root, model, vocab);
  }

  /**
   * Encodes a text: the special prefix ({@code [CLS]}), the WordPiece ids, the special suffix
   * ({@code [SEP]}), truncated from the right to at most {@code maxLength} ids in total.
   *
   * @param text the text, not null
   * @param maxLength the largest number of ids returned, at least the number of special tokens plus
   *     one
   * @return the token ids
   * @throws InvalidInputException when {@code text} is null or {@code maxLength} is too small
   */
  public int[] encode(String text, int maxLength) {
    Inputs.requireNonNull("text", text);
    int specials = prefixIds.length + suffixIds.length;
    Inputs.between("maxLength", maxLength, specials + 1, Integer.MAX_VALUE);
    IntList ids = new IntList(Math.min(maxLength, text.length() / 3 + 8));
    for (int id : prefixIds) {
      ids.add(id);
    }
    tokenize(text, maxLength - specials, ids, null);
    for (int id : suffixIds) {
      ids.add(id);
    }
    return ids.toArray();
  }

  /**
   * Splits a text into WordPiece tokens, without special prefix or suffix and without truncation.
   *
   * @param text the text, not null
   * @return the tokens as strings, continuation pieces with their prefix ({@code ##})
   */
  public List<String> tokenize(String text) {
    Inputs.requireNonNull("text", text);
    List<String> tokens = new ArrayList<>();
    tokenize(text, Integer.MAX_VALUE, new IntList(16), tokens);
    return tokens;
  }

  /**
   * Counts the WordPiece tokens of a text, without the special prefix and suffix.
   *
   * @param text the text, not null
   * @return the number of tokens
   */
  public int countTokens(String text) {
    Inputs.requireNonNull("text", text);
    IntList ids = new IntList(text.length() / 3 + 8);
    tokenize(text, Integer.MAX_VALUE, ids, null);
    return ids.size();
  }

  /**
   * Counts the WordPiece tokens of a text, without the special prefix and suffix: {@link
   * #countTokens(String)}, so that the tokenizer sizes chunks as a {@link
   * dev.portfolio.core.text.TokenCounter}.
   *
   * @param text the text, not null
   * @return the number of tokens
   * @since 0.1.0
   */
  @Override
  public int count(CharSequence text) {
    Inputs.requireNonNull("text", text);
    return countTokens(text.toString());
  }

  /**
   * Returns the number of entries in the vocabulary.
   *
   * @return the vocabulary size
   */
  public int vocabularySize() {
    return vocab.size();
  }

  /**
   * Returns how many special ids {@link #encode} adds around the text ({@code [CLS]} and {@code
   * [SEP]}: 2).
   *
   * @return the number of special tokens per sequence
   */
  public int specialTokensPerSequence() {
    return prefixIds.length + suffixIds.length;
  }

  /**
   * Tokenizes text into {@code ids} until {@code limit} ids were added; when {@code tokens} is not
   * null it receives the token strings too.
   */
  private void tokenize(String text, int limit, IntList ids, List<String> tokens) {
    int start = 0;
    int end = ids.size() + limit;
    while (start < text.length() && ids.size() < end) {
      int matchAt = -1;
      int matchIndex = -1;
      for (int i = start; i < text.length() && matchAt < 0; i++) {
        matchIndex = addedTokenAt(text, i);
        if (matchIndex >= 0) {
          matchAt = i;
        }
      }
      int segmentEnd = matchAt < 0 ? text.length() : matchAt;
      if (segmentEnd > start) {
        tokenizeSegment(text.substring(start, segmentEnd), end, ids, tokens);
      }
      if (matchAt < 0) {
        break;
      }
      if (ids.size() < end) {
        ids.add(addedIds[matchIndex]);
        if (tokens != null) {
          tokens.add(addedContents[matchIndex]);
        }
      }
      start = matchAt + addedContents[matchIndex].length();
    }
  }

  /** Returns the index of the longest added token that starts at {@code at}, or -1. */
  private int addedTokenAt(String text, int at) {
    int best = -1;
    for (int k = 0; k < addedContents.length; k++) {
      String content = addedContents[k];
      if (text.startsWith(content, at)
          && (best < 0 || content.length() > addedContents[best].length())) {
        best = k;
      }
    }
    return best;
  }

  private void tokenizeSegment(String segment, int end, IntList ids, List<String> tokens) {
    String normalized =
        normalize
            ? BertText.normalize(segment, cleanText, handleChineseChars, stripAccents, lowercase)
            : segment;
    List<String> words = new ArrayList<>();
    BertText.preTokenize(normalized, words);
    for (String word : words) {
      if (ids.size() >= end) {
        return;
      }
      wordPiece(word, end, ids, tokens);
    }
  }

  /** Greedy longest-match-first split of one word; the whole word becomes [UNK] when it fails. */
  private void wordPiece(String word, int end, IntList ids, List<String> tokens) {
    if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
      addUnknown(ids, tokens);
      return;
    }
    int mark = ids.size();
    int markTokens = tokens == null ? 0 : tokens.size();
    int start = 0;
    while (start < word.length()) {
      int stop = Math.min(word.length(), start + longestToken);
      if (stop < word.length() && Character.isLowSurrogate(word.charAt(stop))) {
        stop--;
      }
      Integer found = null;
      String piece = null;
      while (stop > start) {
        piece =
            start > 0 ? continuingPrefix + word.substring(start, stop) : word.substring(0, stop);
        found = vocab.get(piece);
        if (found != null) {
          break;
        }
        stop--;
        if (stop > start && Character.isLowSurrogate(word.charAt(stop))) {
          stop--;
        }
      }
      if (found == null) {
        ids.truncate(mark);
        if (tokens != null) {
          tokens.subList(markTokens, tokens.size()).clear();
        }
        addUnknown(ids, tokens);
        return;
      }
      ids.add(found);
      if (tokens != null) {
        tokens.add(piece);
      }
      start = stop;
    }
    if (ids.size() > end) {
      ids.truncate(end);
      if (tokens != null) {
        tokens.subList(markTokens + (end - mark), tokens.size()).clear();
      }
    }
  }

  private void addUnknown(IntList ids, List<String> tokens) {
    ids.add(unkId);
    if (tokens != null) {
      tokens.add(unkToken);
    }
  }

  @Override
  public String toString() {
    return "WordPieceTokenizer[vocabulary="
        + vocab.size()
        + ", lowercase="
        + lowercase
        + ", stripAccents="
        + stripAccents
        + "]";
  }

  /** The settings read from a tokenizer.json. */
  private static final class Builder {
    Map<String, Integer> vocab;
    int unkId;
    String unkToken;
    String continuingPrefix = "##";
    int maxInputCharsPerWord = 100;
    boolean normalize;
    boolean cleanText;
    boolean handleChineseChars;
    boolean stripAccents;
    boolean lowercase;
    int[] prefixIds = new int[0];
    int[] suffixIds = new int[0];
    final List<String> addedContents = new ArrayList<>();
    final List<Integer> addedIds = new ArrayList<>();
  }

  /** Reads the parts of a tokenizer.json this tokenizer understands, rejecting the others. */
  private static final class Parser {
    private final String source;

    Parser(String source) {
      this.source = source;
    }

    Map<String, Integer> readVocab(JsonParser p) throws IOException {
      Map<String, Integer> vocab = HashMap.newHashMap(32_768);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String token = p.currentName();
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
          throw invalid("model.vocab entry \"" + Inputs.printable(token) + "\" has no int id");
        }
        vocab.put(token, p.getIntValue());
      }
      return vocab;
    }

    WordPieceTokenizer parse(JsonNode root, JsonNode model, Map<String, Integer> vocab) {
      Builder b = new Builder();
      readModel(model, vocab, b);
      readNormalizer(root.path("normalizer"), b);
      String preTokenizer = type(root.path("pre_tokenizer"));
      if (preTokenizer != null && !preTokenizer.equals("BertPreTokenizer")) {
        throw unsupported("pre_tokenizer", preTokenizer, "BertPreTokenizer");
      }
      readPostProcessor(root.path("post_processor"), b);
      for (JsonNode added : root.path("added_tokens")) {
        String content = added.path("content").asText("");
        if (!content.isEmpty() && added.path("id").isInt()) {
          b.addedContents.add(content);
          b.addedIds.add(added.path("id").asInt());
        }
      }
      return new WordPieceTokenizer(b);
    }

    private void readModel(JsonNode model, Map<String, Integer> vocab, Builder b) {
      String type = type(model);
      if (!"WordPiece".equals(type)) {
        throw unsupported("model", type, "WordPiece");
      }
      if (vocab == null || vocab.isEmpty()) {
        throw invalid("model.vocab is missing or empty");
      }
      b.vocab = vocab;
      String unk = model.path("unk_token").asText("[UNK]");
      Integer unkId = vocab.get(unk);
      if (unkId == null) {
        throw invalid("model.unk_token \"" + Inputs.printable(unk) + "\" is not in the vocabulary");
      }
      b.unkId = unkId;
      b.unkToken = unk;
      b.continuingPrefix = model.path("continuing_subword_prefix").asText("##");
      b.maxInputCharsPerWord = model.path("max_input_chars_per_word").asInt(100);
    }

    private void readNormalizer(JsonNode normalizer, Builder b) {
      String type = type(normalizer);
      if (type == null) {
        b.normalize = false;
        return;
      }
      if (!type.equals("BertNormalizer")) {
        throw unsupported("normalizer", type, "BertNormalizer");
      }
      b.normalize = true;
      b.cleanText = normalizer.path("clean_text").asBoolean(true);
      b.handleChineseChars = normalizer.path("handle_chinese_chars").asBoolean(true);
      b.lowercase = normalizer.path("lowercase").asBoolean(true);
      JsonNode strip = normalizer.path("strip_accents");
      b.stripAccents = strip.isBoolean() ? strip.asBoolean() : b.lowercase;
    }

    private void readPostProcessor(JsonNode post, Builder b) {
      String type = type(post);
      if (type == null) {
        return;
      }
      switch (type) {
        case "BertProcessing" -> {
          b.prefixIds = new int[] {pairId(post.path("cls"), "cls")};
          b.suffixIds = new int[] {pairId(post.path("sep"), "sep")};
        }
        case "TemplateProcessing" -> readTemplate(post, b);
        default -> throw unsupported("post_processor", type, "TemplateProcessing, BertProcessing");
      }
    }

    private void readTemplate(JsonNode post, Builder b) {
      List<Integer> before = new ArrayList<>();
      List<Integer> after = new ArrayList<>();
      boolean sequenceSeen = false;
      for (JsonNode piece : post.path("single")) {
        if (piece.has("Sequence")) {
          sequenceSeen = true;
        } else if (piece.has("SpecialToken")) {
          String name = piece.path("SpecialToken").path("id").asText();
          JsonNode ids = post.path("special_tokens").path(name).path("ids");
          if (!ids.isArray() || ids.isEmpty()) {
            throw invalid("post_processor.special_tokens has no ids for \"" + name + "\"");
          }
          for (JsonNode id : ids) {
            (sequenceSeen ? after : before).add(id.asInt());
          }
        }
      }
      b.prefixIds = before.stream().mapToInt(Integer::intValue).toArray();
      b.suffixIds = after.stream().mapToInt(Integer::intValue).toArray();
    }

    private int pairId(JsonNode pair, String name) {
      if (!pair.isArray() || pair.size() != 2 || !pair.get(1).canConvertToInt()) {
        throw invalid("post_processor." + name + " must be [token, id]");
      }
      return pair.get(1).asInt();
    }

    private static String type(JsonNode node) {
      return node.isObject() ? node.path("type").asText(null) : null;
    }

    private InvalidInputException unsupported(String part, String found, String supported) {
      return new InvalidInputException(
          "tokenizerPath",
          "Tokenizer file "
              + source
              + " uses "
              + part
              + " type "
              + (found == null ? "(none)" : "'" + Inputs.printable(found) + "'")
              + "; the onnx embedder supports BERT WordPiece tokenizers only ("
              + part
              + ": "
              + supported
              + "). Use the tokenizer.json exported with a BERT-family model.");
    }

    InvalidInputException invalid(String problem) {
      return new InvalidInputException(
          "tokenizerPath", "Tokenizer file " + source + " is invalid: " + problem + ".");
    }
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
      values = new int[Math.max(capacity, 8)];
    }

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
