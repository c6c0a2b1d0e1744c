package dev.portfolio.core.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void passwordsInUrlsAreMasked() {
    assertThat(Redaction.redact("jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=****&ssl=true");
    assertThat(Redaction.redact("jdbc:postgresql://db/app?sslpassword=x;apiKey=y"))
        .isEqualTo("jdbc:postgresql://db/app?sslpassword=****;apiKey=****");
    assertThat(Redaction.redact("postgresql://app:s3cret@db:5432/app"))
        .isEqualTo("postgresql://app:****@db:5432/app");
    assertThat(Redaction.redact("https://api.example.com/v1?access_token=abc&model=m"))
        .isEqualTo("https://api.example.com/v1?access_token=****&model=m");
    assertThat(Redaction.redact("jdbc:postgresql://db/app?user=app"))
        .isEqualTo("jdbc:postgresql://db/app?user=app");
    assertThat(Redaction.redact((String) null)).isNull();
  }

  @Test
  void secretKeysAreMaskedAndCountsOfTokensAreNot() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("password", "p");
    config.put("openai.apiKey", "sk-123");
    config.put("authToken", "t");
    config.put("client_secret", "c");
    config.put("maxInputTokens", "512");
    config.put("url", "jdbc:postgresql://h/d?password=p");
    config.put("model", "text-embedding-3-small");

    Map<String, String> out = Redaction.redact(config);

    assertThat(out)
        .containsExactly(
            Map.entry("password", "****"),
            Map.entry("openai.apiKey", "****"),
            Map.entry("authToken", "****"),
            Map.entry("client_secret", "****"),
            Map.entry("maxInputTokens", "512"),
            Map.entry("url", "jdbc:postgresql://h/d?password=****"),
            Map.entry("model", "text-embedding-3-small"));
  }
}
