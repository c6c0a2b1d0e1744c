package dev.portfolio.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.text.KeywordTokenizer;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The encoder's tsvector, sent with COPY BINARY, is the one {@code to_tsvector('simple',
 * searchText)} computes on the server, and ranks and matches the same; where the server's parser
 * splits words differently (see {@link TsVectorEncoder}), the differences are exactly the
 * documented ones.
 */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TsVectorEncoderIT {
  /** Digits, e, digits and then more of the word: the parser's sfloat token ends early. */
  private static final Pattern SCIENTIFIC_PREFIX = Pattern.compile("^[0-9]+e[0-9]+[^0-9].*");

  private TestSchema db;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
  }

  @Test
  void generatedAndEdgeCaseTextsEncodeExactlyAsToTsvector() throws SQLException {
    List<String> texts = new ArrayList<>(edgeCases());
    SplittableRandom random = new SplittableRandom(20_240_601);
    for (int i = 0; i < 3000; i++) {
      texts.add(generated(random, i % 500 == 0 ? 20_000 : 5 + random.nextInt(150)));
    }
    for (String text : texts) {
      for (String word : KeywordTokenizer.words(text)) {
        assertThat(parserSplits(word)).as("generated word %s", word).isFalse();
      }
    }

    load("texts", texts);

    assertThat(count("texts")).isEqualTo(texts.size());
    assertThat(mismatches("texts")).isEmpty();
  }

  @Test
  void everyLetterDigitAndMarkOfTheEstablishedScriptsAgreesInsideAWord() throws SQLException {
    int[][] blocks = {
      {0x0000, 0x036F}, // Latin, IPA, modifier letters, combining diacritical marks
      {0x0370, 0x052F}, // Greek, Cyrillic and its supplement
      {0x0530, 0x06FF}, // Armenian, Hebrew, Arabic
      {0x0900, 0x0BFF}, // Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil
      {0x0E00, 0x0E7F}, // Thai
      {0x10A0, 0x10FF}, // Georgian
      {0x1E00, 0x1FFF}, // Latin Extended Additional, Greek Extended
      {0x3040, 0x30FF}, // Hiragana, Katakana
      {0x4E00, 0x9FA5}, // CJK Unified Ideographs of Unicode 1.1
      {0xAC00, 0xD7A3}, // Hangul syllables
    };
    List<String> texts = new ArrayList<>();
    for (int[] block : blocks) {
      for (int cp = block[0]; cp <= block[1]; cp++) {
        if (TsVectorEncoder.isWordPart(cp)) {
          String c = Character.toString(cp);
          texts.add("a" + c + "a " + "1" + c + "1");
        }
      }
    }
    assertThat(texts).hasSizeGreaterThan(30_000);

    load("letters", texts);

    assertThat(mismatches("letters")).isEmpty();
  }

  @Test
  void rankAndMatchAreTheSameOnTheCopiedTsvectorWithAndWithoutTheGinIndex() throws SQLException {
    SplittableRandom random = new SplittableRandom(99);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      texts.add(generated(random, 5 + random.nextInt(300)));
    }
    texts.add("The cat sat on the mat. The cat is black; café CAFÉ Café.");
    texts.add(IntStream.range(0, 20_000).mapToObj(i -> "cat w" + (i % 300)).collect(joining()));
    load("ranked", texts);
    List<String> queries = new ArrayList<>(List.of("cat", "cat | mat", "cat & the", "café | w7"));
    for (int i = 0; i < 6; i++) {
      List<String> words = KeywordTokenizer.words(texts.get(i));
      queries.add(words.get(0));
      queries.add(words.get(words.size() / 2) + " | " + words.get(words.size() - 1));
    }
    String t = table("ranked");

    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + t + " ADD COLUMN v tsvector");
      s.execute("UPDATE " + t + " SET v = to_tsvector('simple', search_text)");
      s.execute("CREATE INDEX ranked_tsv ON " + t + " USING gin (tsv)");
      s.execute("ANALYZE " + t);
      for (String q : queries) {
        try (PreparedStatement p =
            c.prepareStatement(
                "SELECT count(*) FILTER (WHERE tsv @@ q),"
                    + " count(*) FILTER (WHERE ts_rank(tsv, q) <> ts_rank(v, q)"
                    + "   OR ts_rank(tsv, q, 32) <> ts_rank(v, q, 32)"
                    + "   OR ts_rank_cd(tsv, q) <> ts_rank_cd(v, q)"
                    + "   OR (tsv @@ q) <> (v @@ q))"
                    + " FROM "
                    + t
                    + ", to_tsquery('simple', ?) AS q")) {
          p.setString(1, q);
          try (ResultSet r = p.executeQuery()) {
            r.next();
            assertThat(r.getLong(1)).as("rows matching %s", q).isPositive();
            assertThat(r.getLong(2)).as("rows ranking or matching %s differently", q).isZero();
          }
        }
        s.execute("SET enable_seqscan = off");
        List<Integer> byIndex = ids(c, "tsv @@ to_tsquery('simple', ?)", q);
        assertThat(plan(c, "tsv @@ to_tsquery('simple', ?)", q)).contains("ranked_tsv");
        s.execute("RESET enable_seqscan");
        List<Integer> computed = ids(c, "v @@ to_tsquery('simple', ?)", q);
        assertThat(byIndex).as("GIN matches for %s", q).isNotEmpty().isEqualTo(computed);
      }
    }
  }

  @Test
  void whereTheParserSplitsWordsDifferentlyTheLibrarysWordsAreKept() throws SQLException {
    List<String> texts =
        List.of(
            "1e10abc x", // sfloat, then a word
            "12e5e", // sfloat, then the letter e
            "x \u0301ab", // a leading combining mark is dropped
            "x \u0301 y"); // a word of marks alone vanishes, positions shift
    load("differences", texts);

    assertThat(parserSplits("1e10abc")).isTrue();
    assertThat(parserSplits("\u0301ab")).isTrue();
    assertThat(pairs("differences"))
        .containsExactly(
            List.of("'1e10abc':1 'x':2", "'1e10':1 'abc':2 'x':3"),
            List.of("'12e5e':1", "'12e5':1 'e':2"),
            List.of("'x':1 '\u0301ab':2", "'ab':2 'x':1"),
            List.of("'x':1 'y':3 '\u0301':2", "'x':1 'y':2"));
  }

  @Test
  void keywordsBeyondTheTsvectorLimitFailAsToTsvectorFails() throws SQLException {
    String text = TsVectorEncoderTest.oversized();
    TsVectorEncoder encoder = new TsVectorEncoder();

    assertThatThrownBy(() -> encoder.encode(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("take 1069190 bytes, max 1048575");
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement("SELECT to_tsvector('simple', ?)")) {
      p.setString(1, KeywordTokenizer.searchText(text));
      assertThatThrownBy(p::executeQuery)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining(
              "string is too long for tsvector (1069190 bytes, max 1048575 bytes)");
    }
  }

  @Test
  void writeTsVectorWritesNullAndRefusesAnEncoderWithoutValue() throws SQLException {
    String t = table("nulls");
    try (Connection c = db.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + t + " (id int, tsv tsvector)");
      }
      try (BinaryCopyWriter w =
          BinaryCopyWriter.start(c, "COPY " + t + " (id, tsv) FROM STDIN (FORMAT binary)")) {
        w.startRow(2);
        w.writeInt(1);
        w.writeTsVector((TsVectorEncoder) null);
        w.startRow(2);
        w.writeInt(2);
        assertThatThrownBy(() -> w.writeTsVector(new TsVectorEncoder()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("call encode(text) before writeTsVector");
        TsVectorEncoder encoder = new TsVectorEncoder();
        encoder.encode("");
        w.writeTsVector(encoder);
        assertThat(w.finish()).isEqualTo(2);
      }
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery("SELECT id, tsv = ''::tsvector FROM " + t + " ORDER BY id")) {
        r.next();
        assertThat(r.getObject(2)).isNull();
        r.next();
        assertThat(r.getBoolean(2)).isTrue();
      }
    }
  }

  /**
   * Whether the server's default parser reads a word as something else than one token: the
   * documented cases that do not depend on the server's locale.
   */
  private static boolean parserSplits(String word) {
    if (SCIENTIFIC_PREFIX.matcher(word).matches()) {
      return true;
    }
    int type = Character.getType(word.codePointAt(0));
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(" ");
  }

  /** Texts at the rules' edges and in many scripts. */
  private static List<String> edgeCases() {
    List<String> texts = new ArrayList<>();
    texts.add("");
    texts.add("   ");
    texts.add("... -- !? \u00a0 \u2028 😀");
    texts.add("Café naïve résumé Ελληνικά ΟΔΟΣ ΣΟΦΟΣ русский ЯЗЫК İstanbul ǅemal");
    texts.add("e\u0301cole x\u0301y Z\u0308 ﬁne ﬃ Ⅻ ①② ＡＢＣ１２３ 𝐀𝐁 𐐀𐐁 ẞ Å");
    texts.add("中文字符 日本語のテキスト カタカナー 한국어 텍스트 ภาษาไทย ສະບາຍດີ");
    texts.add("हिन्दी भाषा क्षत्रिय क़िला संस्कृतम् বাংলা தமிழ் తెలుగు ಕನ್ನಡ മലയാളം සිංහල");
    texts.add("العَرَبِيَّة العربية שָׁלוֹם שלום Հայերեն ქართული ትግርኛ");
    texts.add("abc123 123abc 1e10 1E10 3.14 007 ٣٤ ०१२ ０１２ x1e5 1e e10 1e1 2e");
    texts.add("\ud840\udc00 \ufa0e z é ё а ab a b ba ab1 a1 1 10 9");
    texts.add("x " + "a".repeat(3000) + " y " + "b".repeat(2048) + " z");
    texts.add("x " + "a".repeat(2047) + " y " + "é".repeat(1023) + "a z " + "é".repeat(1024));
    texts.add("w " + "ﬃ".repeat(682) + "a " + "ﬃ".repeat(682) + "ab");
    texts.add("x " + IntStream.range(0, 400).mapToObj(i -> "repeat").collect(joining()) + " y");
    texts.add(IntStream.range(0, 20_000).mapToObj(i -> "w").collect(joining()) + " a b a");
    texts.add(IntStream.range(0, 20_000).mapToObj(i -> "w" + i).collect(joining()));
    texts.add(IntStream.range(0, 20_000).mapToObj(i -> "w" + i % 97).collect(joining()));
    texts.add(
        IntStream.range(0, 16_380).mapToObj(i -> "w").collect(joining()) + " a b c d e f a c");
    return texts;
  }

  private static final String[] SCRIPTS = {
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "abcdefghijklmnopqrstuvwxyz0123456789",
    "0123456789",
    "éèêëàâäçñöüßøåœæłőűğşıÉÀÇÑÖÜ",
    "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔΣΩ",
    "абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґАБВГДЯЁ",
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
    "אבגדהוזחטיכלמנסעפצקרשת",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह",
    "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮเแโใไ",
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん",
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンー",
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切",
    "가나다라마바사아자차카타파하각난닫랄맘밥삿앙잦찿캌탙팦핳국어한글텍스트",
    "\u0301\u0308\u0327",
  };

  /**
   * A seeded text: words from one script each, repeated Zipf-like, marks only after a base
   * character, and separators of every kind between them.
   */
  private static String generated(SplittableRandom random, int words) {
    String[] separators = {" ", " ", " ", ", ", ". ", "\n", "\t", " - ", "/", "…", "\u00a0", "😀"};
    List<String> vocabulary = new ArrayList<>();
    int size = 1 + random.nextInt(400);
    for (int v = 0; v < size; v++) {
      String script = SCRIPTS[random.nextInt(SCRIPTS.length - 1)];
      int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 30 : 9);
      StringBuilder w = new StringBuilder();
      for (int i = 0; i < length; i++) {
        int[] codePoints = script.codePoints().toArray();
        w.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        if (random.nextInt(15) == 0) {
          String marks = SCRIPTS[SCRIPTS.length - 1];
          w.append(marks.charAt(random.nextInt(marks.length())));
        }
      }
      String word = w.toString();
      if (word.toLowerCase(Locale.ROOT).matches("[0-9]+e[0-9].*")) {
        word = "x" + word;
      }
      vocabulary.add(word);
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < words; i++) {
      double u = random.nextDouble();
      s.append(vocabulary.get((int) (size * u * u * u)));
      s.append(separators[random.nextInt(separators.length)]);
    }
    return s.toString();
  }

  private String table(String name) {
    return "\"" + db.name() + "\"." + name;
  }

  /** Creates a table and copies each text with its search text and the encoder's tsvector. */
  private void load(String name, List<String> texts) throws SQLException {
    String t = table(name);
    TsVectorEncoder encoder = new TsVectorEncoder();
    try (Connection c = db.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, search_text text, tsv tsvector)");
      }
      try (BinaryCopyWriter w =
          BinaryCopyWriter.start(
              c, "COPY " + t + " (id, search_text, tsv) FROM STDIN (FORMAT binary)")) {
        for (int i = 0; i < texts.size(); i++) {
          encoder.encode(texts.get(i));
          w.startRow(3);
          w.writeInt(i);
          w.writeText(KeywordTokenizer.searchText(texts.get(i)));
          w.writeTsVector(encoder);
        }
        w.finish();
      }
    }
  }

  private long count(String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table(name))) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Rows whose tsvector differs from to_tsvector's, as "id: text / ours / theirs". */
  private List<String> mismatches(String name) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT id, search_text, tsv::text, v::text FROM (SELECT id, search_text, tsv,"
                    + " to_tsvector('simple', search_text) AS v FROM "
                    + table(name)
                    + ") x WHERE tsv IS DISTINCT FROM v OR tsv::text IS DISTINCT FROM v::text"
                    + " ORDER BY id LIMIT 10")) {
      while (r.next()) {
        String ours = r.getString(3);
        String theirs = r.getString(4);
        int from = Math.max(0, firstDifference(ours, theirs) - 100);
        out.add(
            r.getInt(1)
                + ": "
                + cut(r.getString(2), 0)
                + "\n  ours:   "
                + cut(ours, from)
                + "\n  theirs: "
                + cut(theirs, from));
      }
    }
    return out;
  }

  private static int firstDifference(String a, String b) {
    if (a == null || b == null) {
      return 0;
    }
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      if (a.charAt(i) != b.charAt(i)) {
        return i;
      }
    }
    return n;
  }

  private List<List<String>> pairs(String name) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT tsv::text, to_tsvector('simple', search_text)::text FROM "
                    + table(name)
                    + " ORDER BY id")) {
      while (r.next()) {
        out.add(List.of(r.getString(1), r.getString(2)));
      }
    }
    return out;
  }

  private List<Integer> ids(Connection c, String condition, String query) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT id FROM " + table("ranked") + " WHERE " + condition + " ORDER BY id")) {
      p.setString(1, query);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          ids.add(r.getInt(1));
        }
      }
    }
    return ids;
  }

  private String plan(Connection c, String condition, String query) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement p =
        c.prepareStatement("EXPLAIN SELECT id FROM " + table("ranked") + " WHERE " + condition)) {
      p.setString(1, query);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          plan.append(r.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }

  /** Up to 300 characters from an index, marked where cut. */
  private static String cut(String s, int from) {
    if (s == null) {
      return null;
    }
    int start = Math.min(from, s.length());
    int end = Math.min(s.length(), start + 300);
    return (start > 0 ? "…" : "") + s.substring(start, end) + (end < s.length() ? "…" : "");
  }
}
