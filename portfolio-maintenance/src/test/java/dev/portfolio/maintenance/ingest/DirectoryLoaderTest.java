package dev.portfolio.maintenance.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLoaderTest {
  @Test
  void theTitleIsTheFirstMarkdownHeading() {
    assertThat(DirectoryLoader.title("intro\n\n## Setup ##\n\n# Later")).isEqualTo("Setup");
    assertThat(DirectoryLoader.title("Big Title\n=========\n\ntext")).isEqualTo("Big Title");
    assertThat(DirectoryLoader.title("plain text\nwithout headings")).isNull();
    assertThat(DirectoryLoader.title("#hashtag is not a heading")).isNull();
  }

  @Test
  void theGlobSelectsFilesByTheirRelativePathInPathOrder(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("z.md"), "z");
    Files.writeString(dir.resolve("b/a.md"), "a");
    Files.writeString(dir.resolve("b/skip.txt"), "skip");

    try (var docs = DirectoryLoader.builder(dir).glob("**.md").build().load()) {
      List<String> keys = docs.map(IngestDocument::key).toList();
      assertThat(keys).containsExactly("b/a.md", "z.md");
    }
  }

  @Test
  void aRootThatIsNotADirectoryIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> DirectoryLoader.builder(dir.resolve("missing")).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> DirectoryLoader.builder(dir).glob("{unclosed").build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("glob \"{unclosed\" is invalid");
  }
}
