package dev.portfolio.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

  @Test
  void sha256HexHashesUtf8BytesAsLowerCaseHex() {
    assertThat(Fingerprints.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Fingerprints.sha256Hex(""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void sha256HexRejectsNullNamingTheArgument() {
    assertThatThrownBy(() -> Fingerprints.sha256Hex(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("text must not be null");
  }

  @Test
  void normalizeComposesToNfc() {
    assertThat(Fingerprints.normalize("Cafe\u0301")).isEqualTo("Caf\u00e9");
  }

  @Test
  void normalizeTurnsCrLfAndCrIntoLf() {
    assertThat(Fingerprints.normalize("a\r\nb\rc\nd")).isEqualTo("a\nb\nc\nd");
  }

  @Test
  void normalizeStripsTrailingWhitespaceOfEveryLine() {
    assertThat(Fingerprints.normalize("a  \t\nb\u3000 \r\nc")).isEqualTo("a\nb\nc");
  }

  @Test
  void normalizeCollapsesThreeOrMoreNewlinesIntoOneBlankLine() {
    assertThat(Fingerprints.normalize("a\n\n\n\nb")).isEqualTo("a\n\nb");
    assertThat(Fingerprints.normalize("a\n \n\t\n\r\n\nb")).isEqualTo("a\n\nb");
    assertThat(Fingerprints.normalize("a\n\nb")).isEqualTo("a\n\nb");
    assertThat(Fingerprints.normalize("a\nb")).isEqualTo("a\nb");
  }

  @Test
  void normalizeCollapsesRunsOfSpacesAndTabsInsideALine() {
    assertThat(Fingerprints.normalize("a \t  b\t\tc")).isEqualTo("a b c");
    assertThat(Fingerprints.normalize("def f():\n    return 1")).isEqualTo("def f():\n return 1");
  }

  @Test
  void normalizeTrimsTheWholeText() {
    assertThat(Fingerprints.normalize("\n\n \t hello world \n\n\n")).isEqualTo("hello world");
    assertThat(Fingerprints.normalize(" \r\n\t ")).isEmpty();
    assertThat(Fingerprints.normalize("")).isEmpty();
  }

  @Test
  void normalizeKeepsCaseNonBreakingSpacesAndPunctuation() {
    assertThat(Fingerprints.normalize("Hello,\u00a0World!")).isEqualTo("Hello,\u00a0World!");
  }

  @Test
  void normalizeIsIdempotent() {
    String[] alphabet = {
      "a",
      "B",
      " ",
      "  ",
      "\t",
      "\n",
      "\r",
      "\r\n",
      "e\u0301",
      "\u0301",
      "\u00a0",
      "\u3000",
      "\u000b",
      "\f",
      "\u2028",
      "\ud83d\ude00",
      "\u00e9",
      "."
    };
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder();
      int parts = random.nextInt(30);
      for (int i = 0; i < parts; i++) {
        sb.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String once = Fingerprints.normalize(sb.toString());
      assertThat(Fingerprints.normalize(once)).as("input %s", escape(sb)).isEqualTo(once);
      assertThat(once).doesNotContain("\r").doesNotContain("\n\n\n").doesNotContain("  ");
      assertThat(once.strip()).isEqualTo(once);
    }
  }

  @Test
  void normalizeRejectsNull() {
    assertThatThrownBy(() -> Fingerprints.normalize(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("text must not be null");
  }

  @Test
  void fingerprintIsSixtyFourLowerCaseHexDigits() {
    assertThat(Fingerprints.fingerprint("hello", Map.of(), List.of())).matches("[0-9a-f]{64}");
  }

  @Test
  void fingerprintIgnoresTheOrderOfKeysAndOfTheMap() {
    Map<String, String> first = new LinkedHashMap<>();
    first.put("title", "Guide");
    first.put("lang", "en");
    first.put("author", "Ana");
    Map<String, String> second = new LinkedHashMap<>();
    second.put("author", "Ana");
    second.put("lang", "en");
    second.put("title", "Guide");

    String a = Fingerprints.fingerprint("body", first, List.of("title", "lang", "author"));
    String b = Fingerprints.fingerprint("body", second, List.of("author", "title", "lang"));
    String c = Fingerprints.fingerprint("body", second, Set.of("lang", "author", "title"));

    assertThat(a).isEqualTo(b).isEqualTo(c);
  }

  @Test
  void fingerprintCountsARepeatedKeyOnce() {
    Map<String, String> meta = Map.of("lang", "en");
    assertThat(Fingerprints.fingerprint("body", meta, List.of("lang", "lang")))
        .isEqualTo(Fingerprints.fingerprint("body", meta, List.of("lang")));
  }

  @Test
  void fingerprintChangesWithTheTextOrAChosenValue() {
    String base = Fingerprints.fingerprint("body", Map.of("lang", "en"), List.of("lang"));
    assertThat(Fingerprints.fingerprint("body!", Map.of("lang", "en"), List.of("lang")))
        .isNotEqualTo(base);
    assertThat(Fingerprints.fingerprint("body", Map.of("lang", "fr"), List.of("lang")))
        .isNotEqualTo(base);
  }

  @Test
  void fingerprintIgnoresMetadataKeysThatAreNotChosen() {
    assertThat(
            Fingerprints.fingerprint("body", Map.of("lang", "en", "views", "1"), List.of("lang")))
        .isEqualTo(
            Fingerprints.fingerprint("body", Map.of("lang", "en", "views", "2"), List.of("lang")));
  }

  @Test
  void fingerprintDistinguishesAMissingKeyFromAnEmptyValue() {
    String missing = Fingerprints.fingerprint("body", Map.of(), List.of("lang"));
    String empty = Fingerprints.fingerprint("body", Map.of("lang", ""), List.of("lang"));
    String notChosen = Fingerprints.fingerprint("body", Map.of(), List.of());

    assertThat(missing).isNotEqualTo(empty).isNotEqualTo(notChosen);
    assertThat(empty).isNotEqualTo(notChosen);
  }

  @Test
  void fingerprintDoesNotCollideWhenCharactersMoveBetweenFields() {
    List<String> fingerprints = new ArrayList<>();
    fingerprints.add(Fingerprints.fingerprint("ab", Map.of("k", ""), List.of("k")));
    fingerprints.add(Fingerprints.fingerprint("a", Map.of("k", "b"), List.of("k")));
    fingerprints.add(Fingerprints.fingerprint("a", Map.of("kb", ""), List.of("kb")));
    fingerprints.add(Fingerprints.fingerprint("a", Map.of("k", "", "b", ""), List.of("k", "b")));
    fingerprints.add(Fingerprints.fingerprint("a", Map.of("x", "y", "z", ""), List.of("x", "z")));
    fingerprints.add(Fingerprints.fingerprint("a", Map.of("x", "", "z", "y"), List.of("x", "z")));
    fingerprints.add(Fingerprints.fingerprint("a", Map.of("xy", "", "z", ""), List.of("xy", "z")));
    fingerprints.add(Fingerprints.fingerprint("a", Map.of("k", "\u0000"), List.of("k")));
    fingerprints.add(Fingerprints.fingerprint("a\u0000", Map.of("k", ""), List.of("k")));

    assertThat(fingerprints).doesNotHaveDuplicates();
  }

  @Test
  void fingerprintNormalizesTheTextButNotTheValues() {
    Map<String, String> meta = Map.of("lang", "en");
    assertThat(Fingerprints.fingerprint("a\r\nb  ", meta, List.of("lang")))
        .isEqualTo(Fingerprints.fingerprint("a\nb", meta, List.of("lang")));
    assertThat(Fingerprints.fingerprint("a", Map.of("path", "x\r\n"), List.of("path")))
        .isNotEqualTo(Fingerprints.fingerprint("a", Map.of("path", "x\n"), List.of("path")));
  }

  @Test
  void fingerprintKeepsUnpairedSurrogatesDistinctFromQuestionMarks() {
    assertThat(Fingerprints.fingerprint("a\ud800", Map.of(), List.of()))
        .isNotEqualTo(Fingerprints.fingerprint("a?", Map.of(), List.of()));
  }

  @Test
  void fingerprintMatchesTheDocumentedEncoding() throws Exception {
    Map<String, String> meta = new HashMap<>();
    meta.put("title", "Caf\u00e9 \ud83d\ude00");
    meta.put("lang", "");

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    writeString(expected, "portfolio-fingerprint-v1");
    writeString(expected, "Hello\n\nworld");
    expected.writeBytes(ByteBuffer.allocate(4).putInt(3).array());
    writeString(expected, "author");
    expected.write(0);
    writeString(expected, "lang");
    expected.write(1);
    writeString(expected, "");
    writeString(expected, "title");
    expected.write(1);
    writeString(expected, "Caf\u00e9 \ud83d\ude00");
    String hex =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()));

    Collection<String> keys = List.of("title", "lang", "author");
    assertThat(Fingerprints.fingerprint("  Hello  \r\n\r\n\r\nworld\n", meta, keys)).isEqualTo(hex);
  }

  @Test
  void fingerprintRejectsNullArgumentsNamingThem() {
    assertThatThrownBy(() -> Fingerprints.fingerprint(null, Map.of(), List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("text must not be null");
    assertThatThrownBy(() -> Fingerprints.fingerprint("a", null, List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("metadata must not be null");
    assertThatThrownBy(() -> Fingerprints.fingerprint("a", Map.of(), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("metadataKeys must not be null");
    assertThatThrownBy(
            () -> Fingerprints.fingerprint("a", Map.of(), java.util.Arrays.asList("lang", null)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("metadataKeys must not contain null (element 1 is null); remove it.")
        .extracting(e -> ((InvalidInputException) e).argument())
        .isEqualTo("metadataKeys");
  }

  @Test
  void fingerprintRejectsANullValueOfAChosenKey() {
    Map<String, String> meta = new HashMap<>();
    meta.put("lang", null);
    assertThatThrownBy(() -> Fingerprints.fingerprint("a", meta, List.of("lang")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "metadata value of key \"lang\" is null; use an empty string or remove the key from"
                + " metadataKeys.");
    assertThat(Fingerprints.fingerprint("a", meta, List.of()))
        .isEqualTo(Fingerprints.fingerprint("a", Map.of(), List.of()));
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  private static String escape(CharSequence s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(
            cp ->
                sb.append(
                    cp < 0x80 && cp >= 0x20
                        ? Character.toString(cp)
                        : String.format(java.util.Locale.ROOT, "\\u%04x", cp)));
    return sb.toString();
  }

  @org.junit.jupiter.api.Test
  void theFastPathForTextThatIsAlreadyNormalGivesTheSameResultAsTheFullSteps() {
    String[] pieces = {
      "a", "b", " ", "  ", "\t", "\n", "\n\n", "\n\n\n", "\r", "\r\n", "\u000B", "\u00A0", "\u000C",
      "\u00E9", "e\u0301", "\u2028", ".", " \n"
    };
    java.util.Random random = new java.util.Random(11);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      int parts = random.nextInt(12);
      for (int k = 0; k < parts; k++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = sb.toString();
      org.assertj.core.api.Assertions.assertThat(Fingerprints.normalize(text))
          .as("normalize(%s)", Inputs.printable(text))
          .isEqualTo(Fingerprints.normalizeSlowly(text));
    }
  }

  @org.junit.jupiter.api.Test
  void paragraphsSeparatedByOneBlankLineTakeTheFastPath() {
    // The usual shape of a document: the fast path returns it (stripped) without the line steps.
    org.assertj.core.api.Assertions.assertThat(
            Fingerprints.alreadyNormal("First paragraph. Two sentences.\n\nSecond one.\nA line.\n"))
        .isEqualTo("First paragraph. Two sentences.\n\nSecond one.\nA line.");
    // What the line steps would change still goes the slow way.
    for (String changed :
        new String[] {"a \n\nb", "a\n \nb", "a\n\n\nb", "a\u2028\nb", "a\r\nb", "a  b"}) {
      org.assertj.core.api.Assertions.assertThat(Fingerprints.alreadyNormal(changed))
          .as(Inputs.printable(changed))
          .isNull();
    }
  }

  @org.junit.jupiter.api.Test
  void theFastPathsOfFingerprintGiveTheSameHashAsTheFullSteps() {
    // ASCII text is hashed from its bytes in place; '?' and unpaired surrogates (which UTF-8
    // encodes as '?') and other text take the general paths.
    String[] pieces = {
      "a",
      "b",
      "?",
      " ",
      "  ",
      "\t",
      "\n",
      "\n\n",
      "\n\n\n",
      "\r\n",
      "\u000B",
      "\u00A0",
      "\u00E9",
      "e\u0301",
      "\u2028",
      "\uD800",
      "\uDC00",
      "\uD83D\uDE00",
      ".",
      " \n"
    };
    java.util.Random random = new java.util.Random(13);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      int parts = random.nextInt(12);
      for (int k = 0; k < parts; k++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = sb.toString();
      org.assertj.core.api.Assertions.assertThat(
              Fingerprints.fingerprint(text, java.util.Map.of(), java.util.List.of()))
          .as("fingerprint(%s)", Inputs.printable(text))
          .isEqualTo(Fingerprints.fingerprintSlowly(text));
    }
  }

  @org.junit.jupiter.api.Test
  void asciiParagraphsAreRecognisedAsNormalInPlace() {
    byte[] text = " First.\n\nSecond.\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    org.assertj.core.api.Assertions.assertThat(Fingerprints.alreadyNormal(text))
        .containsExactly(1, text.length - 1);
    org.assertj.core.api.Assertions.assertThat(
            Fingerprints.alreadyNormal(
                "a \nb".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isNull();
  }
}
