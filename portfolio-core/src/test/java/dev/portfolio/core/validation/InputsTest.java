package dev.portfolio.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
  private static final String RULE = " Names must match ^[a-z0-9][a-z0-9_-]{0,62}$.";
  private static final String CHARSET_HINT =
      "it must start with a-z or 0-9 and contain only a-z, 0-9, '_' and '-'";

  @ParameterizedTest
  @ValueSource(strings = {"docs", "a", "7", "0abc", "my_docs-2", "code-3072d"})
  void validCollectionNamesAreReturnedUnchanged(String name) {
    assertThat(Inputs.collectionName(name)).isSameAs(name);
  }

  @Test
  void aCollectionNameOf63CharactersIsTheLongestAccepted() {
    String longest = "a".repeat(63);

    assertThat(Inputs.collectionName(longest)).isEqualTo(longest);
    assertThatThrownBy(() -> Inputs.collectionName(longest + "a"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Invalid collection name \""
                + "a".repeat(64)
                + "\": it is 64 characters long (at most 63)."
                + RULE);
  }

  @Test
  void upperCaseCollectionNameSuggestsTheLowerCaseOne() {
    assertThatThrownBy(() -> Inputs.collectionName("Docs"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.argument()).isEqualTo("collection");
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            })
        .hasMessage(
            "Invalid collection name \"Docs\": it contains upper-case letters; use \"docs\"."
                + RULE);
  }

  @Test
  void upperCaseIsNotSuggestedAwayWhenTheLowerCaseNameIsStillInvalid() {
    assertThatThrownBy(() -> Inputs.collectionName("My Docs!"))
        .hasMessage("Invalid collection name \"My Docs!\": " + CHARSET_HINT + "." + RULE);
  }

  @Test
  void emptyCollectionNameSaysItIsEmpty() {
    assertThatThrownBy(() -> Inputs.collectionName(""))
        .hasMessage("Invalid collection name \"\": it is empty." + RULE);
  }

  @Test
  void nullCollectionNameIsRejected() {
    assertThatThrownBy(() -> Inputs.collectionName(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("collection must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-docs", "_docs", "my docs", "docs.v2", "docs/", "döcs"})
  void collectionNamesOutsideTheAllowedCharactersAreRejected(String name) {
    assertThatThrownBy(() -> Inputs.collectionName(name))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid collection name \"" + name + "\": " + CHARSET_HINT + "." + RULE);
  }

  @Test
  void sqlInjectionAttemptIsRejectedAsACollectionName() {
    String hostile = "x'; drop table y; --";

    assertThatThrownBy(() -> Inputs.collectionName(hostile))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid collection name \"" + hostile + "\": " + CHARSET_HINT + "." + RULE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "d\u043e\u0441s", // Cyrillic o and es
        "\uff44\uff4f\uff43\uff53", // fullwidth docs
        "docs\u200b", // zero-width space
        "docs\u00a0", // no-break space
        "\u0131ndex" // dotless i
      })
  void unicodeLookalikesOfValidNamesAreRejected(String lookalike) {
    assertThatThrownBy(() -> Inputs.collectionName(lookalike))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(CHARSET_HINT);
  }

  @Test
  void controlCharactersInARejectedNameAreEscapedInTheMessage() {
    assertThatThrownBy(() -> Inputs.collectionName("docs\nERROR forged line"))
        .hasMessageStartingWith("Invalid collection name \"docs\\u000aERROR forged line\"")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void keysMustNotContainNul() {
    assertThatThrownBy(() -> Inputs.requireKey("key", "ab\0c"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.argument()).isEqualTo("key"))
        .hasMessage("key contains a NUL character (U+0000) at index 2; remove it.");
  }

  @Test
  void keysMustNotBeNullOrBlank() {
    assertThatThrownBy(() -> Inputs.requireKey("sourceId", null))
        .hasMessage("sourceId must not be null");
    assertThatThrownBy(() -> Inputs.requireKey("sourceId", " \t"))
        .hasMessage("sourceId must not be blank (was \" \t\")");
  }

  @Test
  void keysAreLimitedTo1024Characters() {
    String longest = "k".repeat(Inputs.MAX_KEY_LENGTH);

    assertThat(Inputs.requireKey("key", longest)).isSameAs(longest);
    assertThatThrownBy(() -> Inputs.requireKey("key", longest + "k"))
        .hasMessage(
            "key is 1025 characters long; the limit is 1024. Use a shorter key, for example a"
                + " hash of the long one.");
  }

  @Test
  void optionalKeyAcceptsNullButValidatesValues() {
    assertThat(Inputs.optionalKey("workspace", null)).isNull();
    assertThat(Inputs.optionalKey("workspace", "team-a")).isEqualTo("team-a");
    assertThatThrownBy(() -> Inputs.optionalKey("workspace", ""))
        .hasMessage("workspace must not be blank (was \"\")");
  }

  @Test
  void printableEscapesControlCharactersAndDelete() {
    assertThat(Inputs.printable("a\tb\r\nc\u0000d\u007fe"))
        .isEqualTo("a\\u0009b\\u000d\\u000ac\\u0000d\\u007fe");
  }

  @Test
  void printableEscapesC1ControlsLineSeparatorsAndBidiOverrides() {
    assertThat(Inputs.printable("a\u009bb\u2028c\u202ed")).isEqualTo("a\\u009bb\\u2028c\\u202ed");
  }

  @Test
  void printableMarksTruncationEvenWhenEscapingMadeTheValueLonger() {
    assertThat(Inputs.printable("\n".repeat(30))).endsWith("...");
  }

  @Test
  void printableKeepsOrdinaryUnicodeAndRendersNull() {
    assertThat(Inputs.printable("café ✓ 日本")).isEqualTo("café ✓ 日本");
    assertThat(Inputs.printable(null)).isEqualTo("null");
    assertThat(Inputs.printable("")).isEmpty();
  }

  @Test
  void printableShortensLongValuesTo80CharactersAndAnEllipsis() {
    assertThat(Inputs.printable("x".repeat(80))).isEqualTo("x".repeat(80));
    assertThat(Inputs.printable("x".repeat(81))).isEqualTo("x".repeat(80) + "...");
    assertThat(Inputs.printable("y".repeat(10_000))).isEqualTo("y".repeat(80) + "...");
  }

  @Test
  void dimensionAndBetweenNameTheArgumentAndTheRange() {
    assertThat(Inputs.dimension("dimension", 16_000)).isEqualTo(16_000);
    assertThatThrownBy(() -> Inputs.dimension("dimension", 0))
        .hasMessage("dimension must be between 1 and 16000 (was 0)");
    assertThatThrownBy(() -> Inputs.between("reembed.batchSize", 0, 1, 10_000))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.argument()).isEqualTo("reembed.batchSize"))
        .hasMessage("reembed.batchSize must be between 1 and 10000 (was 0)");
  }

  @Test
  void requireNonEmptyNamesTheNullElement() {
    assertThat(Inputs.requireNonEmpty("texts", List.of("a"))).containsExactly("a");
    assertThatThrownBy(() -> Inputs.requireNonEmpty("texts", List.of()))
        .hasMessage("texts must not be empty");
    assertThatThrownBy(() -> Inputs.requireNonEmpty("texts", Arrays.asList("a", null)))
        .hasMessage("texts must not contain null (element 1 is null)");
    assertThatThrownBy(() -> Inputs.requireNonEmpty("texts", null))
        .hasMessage("texts must not be null");
  }

  @Test
  void chunkTextProblemExplainsWhyATextCannotBeStored() {
    assertThat(Inputs.chunkTextProblem("fine")).isEmpty();
    assertThat(Inputs.chunkTextProblem(null)).contains("text is null");
    assertThat(Inputs.chunkTextProblem("  ")).contains("text is empty or blank");
    assertThat(Inputs.chunkTextProblem("a\0b"))
        .contains(
            "text contains a NUL character (U+0000) at index 1; PostgreSQL cannot store it."
                + " Remove it before ingesting.");
    assertThat(Inputs.chunkTextProblem("t".repeat(Inputs.MAX_CHUNK_TEXT_LENGTH + 1)))
        .contains(
            "text is 100001 characters long; the limit is 100000. Chunk the document into"
                + " smaller pieces.");
  }

  @Test
  void metadataProblemNamesTheOffendingKey() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("lang", null);

    assertThat(Inputs.metadataProblem(null)).isEmpty();
    assertThat(Inputs.metadataProblem(Map.of("lang", "en"))).isEmpty();
    assertThat(Inputs.metadataProblem(Map.of("", "x"))).contains("metadata has an empty key");
    assertThat(Inputs.metadataProblem(nullValue))
        .contains("metadata key \"lang\" has a null value");
    assertThat(Inputs.metadataProblem(Map.of("la\0ng", "en")))
        .contains("metadata key \"la\\u0000ng\" contains a NUL character (U+0000); remove it");
  }

  @Test
  void keysLongerThanTheIndexLimitInUtf8AreRejectedWithTheByteCount() {
    String cjk = "文".repeat(700); // 700 characters, 2,100 UTF-8 bytes
    assertThatThrownBy(() -> Inputs.requireKey("key", cjk))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "key is 2100 bytes long in UTF-8; the limit is 2000. Use a shorter key, for example a"
                + " hash of the long one.");
    assertThat(Inputs.requireKey("key", "文".repeat(600))).hasSize(600);
  }

  @Test
  void unpairedSurrogatesAreRejectedInKeysTextsAndMetadata() {
    assertThatThrownBy(() -> Inputs.requireKey("key", "a\uD800"))
        .hasMessage(
            "key contains an unpaired UTF-16 surrogate U+D800 at index 1, which UTF-8 (and"
                + " PostgreSQL) cannot represent; fix the text's encoding before ingesting.");
    assertThat(Inputs.chunkTextProblem("x\uDC00y"))
        .get()
        .asString()
        .startsWith("text contains an unpaired UTF-16 surrogate U+DC00 at index 1");
    assertThat(Inputs.metadataProblem(java.util.Map.of("k", "\uD83D")))
        .get()
        .asString()
        .contains("unpaired UTF-16 surrogate");
    // A proper pair (an emoji) is fine.
    assertThat(Inputs.requireKey("key", "ok \uD83D\uDE00")).isNotNull();
    assertThat(Inputs.chunkTextProblem("emoji \uD83D\uDE00")).isEmpty();
  }
}
