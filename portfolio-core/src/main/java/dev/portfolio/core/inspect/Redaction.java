package dev.portfolio.core.inspect;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in configuration that is shown to people: passwords in connection URLs ({@code
 * password=...}, {@code user:secret@host}) and the values of keys whose name says they are secret
 * ({@code password}, {@code apiKey}, {@code token}, {@code secret}, {@code credentials}).
 *
 * @since 0.1.0
 */
public final class Redaction {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|passwd|pwd|secret|token|api[-_.]?key|credential).*");
  private static final Pattern URL_PARAM =
      Pattern.compile(
          "(?i)([?&;]\\s*[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[-_.]?key|credential)"
              + "[a-z0-9_.-]*=)[^&;]*");
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
    String out = URL_PARAM.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK));
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
