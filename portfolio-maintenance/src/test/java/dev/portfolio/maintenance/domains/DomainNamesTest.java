package dev.portfolio.maintenance.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DomainNamesTest {
  /** The hash as documented, computed independently: SHA-256 of the NFC title, 8 hex digits. */
  private static String sha(String title) throws Exception {
    byte[] d =
        MessageDigest.getInstance("SHA-256")
            .digest(
                Normalizer.normalize(title, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d).substring(0, 8);
  }

  @Test
  void upperCaseIsFoldedAndSpacesAndPunctuationBecomeOneUnderscore() {
    assertThat(DomainNames.sanitize("Engineering Wiki")).isEqualTo("engineering_wiki");
    assertThat(DomainNames.sanitize("  HR -- Policies (2024)!  ")).isEqualTo("hr_policies_2024");
    assertThat(DomainNames.sanitize("snake_case-and-kebab")).isEqualTo("snake_case_and_kebab");
    assertThat(DomainNames.sanitize("__Already__ok__")).isEqualTo("already_ok");
  }

  @Test
  void accentsAreStrippedWithoutAHashBecauseNoLetterIsLost() {
    assertThat(DomainNames.sanitize("Café Crème")).isEqualTo("cafe_creme");
    assertThat(DomainNames.sanitize("Ventes & Marketing — Équipe Nord"))
        .isEqualTo("ventes_marketing_equipe_nord");
    assertThat(DomainNames.sanitize("İstanbul Şube")).isEqualTo("istanbul_sube");
    // The decomposed (NFD) spelling gives the same name as the composed one.
    assertThat(DomainNames.sanitize(Normalizer.normalize("Café", Normalizer.Form.NFD)))
        .isEqualTo(DomainNames.sanitize("Café"))
        .isEqualTo("cafe");
  }

  @Test
  void compatibilityFormsFoldToAscii() {
    assertThat(DomainNames.sanitize("ＡＢＣ Docs")).isEqualTo("abc_docs");
    assertThat(DomainNames.sanitize("ﬁnance Ⅻ ²")).isEqualTo("finance_xii_2");
  }

  @Test
  void aTitleWithNothingRepresentableBecomesItsHash() throws Exception {
    assertThat(DomainNames.sanitize("東京")).isEqualTo(sha("東京"));
    assertThat(DomainNames.sanitize("Документация")).isEqualTo(sha("Документация"));
    assertThat(DomainNames.sanitize("📚🔥")).isEqualTo(sha("📚🔥"));
    assertThat(DomainNames.sanitize("東京")).isNotEqualTo(DomainNames.sanitize("大阪"));
    assertThat(Inputs.COLLECTION_NAME.matcher(DomainNames.sanitize("東京") + "_docs").matches())
        .isTrue();
  }

  @Test
  void droppedLettersOfAnotherScriptAddTheHashSoMixedTitlesStayDistinct() throws Exception {
    assertThat(DomainNames.sanitize("東京 Office")).isEqualTo("office_" + sha("東京 Office"));
    assertThat(DomainNames.sanitize("大阪 Office")).isEqualTo("office_" + sha("大阪 Office"));
    // Emoji are not letters: dropping them loses nothing that names could hold.
    assertThat(DomainNames.sanitize("Docs 📚")).isEqualTo("docs");
  }

  @Test
  void aLongTitleIsCutAndGetsTheHashOfTheWholeTitle() throws Exception {
    String common = "the quarterly engineering review of the platform infrastructure team ";
    String a = common + "part one";
    String b = common + "part two";
    String na = DomainNames.sanitize(a);
    String nb = DomainNames.sanitize(b);
    assertThat(na).hasSize(DomainNames.MAX_LENGTH).endsWith("_" + sha(a));
    assertThat(nb).hasSize(DomainNames.MAX_LENGTH).endsWith("_" + sha(b));
    assertThat(na).isNotEqualTo(nb);
    assertThat(na).startsWith("the_quarterly_engineering_review_of_the_platform_inf");
    assertThat(Inputs.COLLECTION_NAME.matcher(na).matches()).isTrue();
  }

  @Test
  void theCutNeverLeavesATrailingUnderscore() throws Exception {
    // 20 characters of room: 11 kept, '_', 8 of hash; the 11th character is a separator.
    String title = "abcdefghij klmnopqrstuvwxyz";
    assertThat(DomainNames.sanitize(title, 20)).isEqualTo("abcdefghij_" + sha(title));
    assertThat(DomainNames.sanitize(title, 8)).isEqualTo(sha(title));
    assertThat(DomainNames.sanitize("short", 8)).isEqualTo("short");
  }

  @Test
  void theMaximumLengthIsTheStoresCollectionNameLimit() {
    assertThat(Inputs.COLLECTION_NAME.matcher("a".repeat(DomainNames.MAX_LENGTH)).matches())
        .isTrue();
    assertThat(Inputs.COLLECTION_NAME.matcher("a".repeat(DomainNames.MAX_LENGTH + 1)).matches())
        .isFalse();
  }

  @Test
  void blankTitlesAndTooLittleRoomAreRejected() {
    assertThatThrownBy(() -> DomainNames.sanitize("   "))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("title must not be blank");
    assertThatThrownBy(() -> DomainNames.sanitize("docs", 7))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("maxLength must be at least 8 (was 7)");
  }
}
