package dev.portfolio.core.inspect;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in configuration that is shown to people: passwords in connection URLs ({@code
 * password=...}, {@code user:secret@host}) and the values of keys whose name says they are secret:
 * ending in {@code password}, {@code pwd}, {@code secret}, {@code apiKey}, {@code credentials}, or
 * in {@code token} ({@code accessToken}, {@code auth_token}; not {@code maxInputTokens}).
 *
 * @since 0.1.0
 */
public final class Redaction {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "(.*(password|passwd|pwd|secret|apikey|api[-_.]key|credential|credentials)"
              + "|(.*[-_.])?(access|auth|bearer|refresh|session|api)?token)");
  private static final Pattern PARAM = Pattern.compile("([?&;]\\s*)([^=&;?#]+)=([^&;#]*)");
  private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@?#]*:)[^@/?#]*@");

  private Redaction() {}

  /**
   * Tells whether a key names a secret.
   *
   * @param key the key, for example {@code apiKey}
   * @return true for passwords, keys, tokens, secrets and credentials
   */
  public static boolean isSecretKey(String key) {
    return key != null && SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * Masks the secrets of a URL or any text holding {@code name=value} parameters.
   *
   * @param text the text, may be null
   * @return the text with secret parameter values and URL passwords masked; null for null
   */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = PARAM.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = isSecretKey(m.group(2).trim()) ? MASK : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + "=" + value));
    }
    m.appendTail(out);
    return URL_USERINFO.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
  }

  /**
   * Masks a configuration map: the values of secret keys entirely, secrets inside other values.
   *
   * @param config the configuration
   * @return a new map in the same order
   */
  public static Map<String, String> redact(Map<String, String> config) {
    Map<String, String> out = new LinkedHashMap<>();
    config.forEach((k, v) -> out.put(k, isSecretKey(k) ? MASK : redact(v)));
    return out;
  }
}
