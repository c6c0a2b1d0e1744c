package dev.portfolio.maintenance.ingest;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.validation.Inputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads the plain text and Markdown files of a directory tree: one document per file, in path
 * order. The key is the path relative to the root with {@code /} separators; metadata holds {@code
 * path}, {@code size} (bytes) and {@code modified} (ISO-8601 instant); the title is the first
 * Markdown heading ({@code # Title}, or a line underlined with {@code ===} or {@code ---}), also
 * kept in metadata as {@code title}; a file without a heading has none. Files are read as UTF-8; a
 * file that is not valid UTF-8 becomes a document whose text is null, so that the ingestion reports
 * it by its key and goes on.
 *
 * <pre>{@code
 * DocumentLoader docs = DirectoryLoader.builder(Path.of("docs")).glob("**.md").sourceId("handbook").build();
 * maintenance.ingest("handbook", docs, IngestOptions.builder().mode(IngestMode.FULL_SYNC)
 *     .sourceId("handbook").build());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DirectoryLoader implements DocumentLoader {
  /** The default glob: {@value}. */
  public static final String DEFAULT_GLOB = "**.{txt,md,markdown,rst,text}";

  private static final Pattern ATX = Pattern.compile("(?m)^ {0,3}#{1,6}[ \\t]+(\\S.*?)[ \\t#]*$");
  private static final Pattern SETEXT = Pattern.compile("(?m)^(\\S[^\\n]*)\\n(=+|-+)[ \\t]*$");

  private final Path root;
  private final String glob;
  private final PathMatcher matcher;
  private final String sourceId;
  private final String workspace;

  private DirectoryLoader(Builder b) {
    this.root = b.root;
    this.glob = b.glob;
    this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + b.glob);
    this.sourceId = b.sourceId;
    this.workspace = b.workspace;
  }

  /**
   * Starts a loader of a directory.
   *
   * @param root the directory
   * @return a builder
   */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  @Override
  public Stream<IngestDocument> load() {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> matcher.matches(root.relativize(p)))
              .sorted()
              .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new NonRetriableException(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot list the files under " + root + ": " + e.getMessage(),
          e);
    }
    return files.stream().map(this::read);
  }

  private IngestDocument read(Path file) {
    String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    BasicFileAttributes attributes;
    byte[] bytes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new NonRetriableException(
          ErrorCode.INVALID_ARGUMENT, "Cannot read " + file + ": " + e.getMessage(), e);
    }
    String text = utf8(bytes);
    IngestDocument.Builder b =
        IngestDocument.builder(key)
            .sourceId(sourceId)
            .workspace(workspace)
            .text(text)
            .metadata("path", key)
            .metadata("size", attributes.size())
            .metadata("modified", attributes.lastModifiedTime().toInstant().toString());
    if (text != null) {
      String title = title(text);
      if (title != null) {
        b.title(title).metadata("title", title);
      }
    }
    return b.build();
  }

  /**
   * Finds a text's title: its first Markdown heading.
   *
   * @param text the text
   * @return the title, or null
   */
  static String title(String text) {
    Matcher atx = ATX.matcher(text);
    Matcher setext = SETEXT.matcher(text);
    int a = atx.find() ? atx.start() : Integer.MAX_VALUE;
    int s = setext.find() ? setext.start() : Integer.MAX_VALUE;
    if (a == Integer.MAX_VALUE && s == Integer.MAX_VALUE) {
      return null;
    }
    String t = a <= s ? atx.group(1) : setext.group(1);
    t = t.strip();
    return t.isEmpty() ? null : t;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Returns the directory loaded.
   *
   * @return the root
   */
  public Path root() {
    return root;
  }

  /**
   * Returns the glob that selects the files.
   *
   * @return the glob
   */
  public String glob() {
    return glob;
  }

  /**
   * Returns the source id given to every document.
   *
   * @return the source id, or null
   */
  public String sourceId() {
    return sourceId;
  }

  /**
   * Returns the workspace given to every document.
   *
   * @return the workspace, or null
   */
  public String workspace() {
    return workspace;
  }

  @Override
  public String toString() {
    return "DirectoryLoader[root=" + root + ", glob=" + glob + ", sourceId=" + sourceId + "]";
  }

  /**
   * Builds a {@link DirectoryLoader}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Path root;
    private String glob = DEFAULT_GLOB;
    private String sourceId;
    private String workspace;

    private Builder(Path root) {
      this.root = root;
    }

    /**
     * Sets which files to load, as a glob over the path relative to the root (default: {@value
     * DirectoryLoader#DEFAULT_GLOB}).
     *
     * @param value the glob, for example {@code "**.md"}
     * @return this builder
     */
    public Builder glob(String value) {
      this.glob = value;
      return this;
    }

    /**
     * Sets the source id of every document (default: none, so the ingestion's source id or the
     * key).
     *
     * @param value the source id
     * @return this builder
     */
    public Builder sourceId(String value) {
      this.sourceId = value;
      return this;
    }

    /**
     * Sets the workspace of every document (default: none).
     *
     * @param value the workspace
     * @return this builder
     */
    public Builder workspace(String value) {
      this.workspace = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the loader
     * @throws InvalidInputException when the root is not a directory or the glob is invalid
     */
    public DirectoryLoader build() {
      Inputs.requireNonNull("root", root);
      if (!Files.isDirectory(root)) {
        throw new InvalidInputException(
            "root", "root " + root + " is not a directory; pass the folder to load");
      }
      Inputs.requireNonNull("glob", glob);
      try {
        FileSystems.getDefault().getPathMatcher("glob:" + glob);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(
            "glob", "glob \"" + glob + "\" is invalid: " + e.getMessage());
      }
      if (sourceId != null) {
        Inputs.requireKey("sourceId", sourceId);
      }
      return new DirectoryLoader(this);
    }
  }
}
