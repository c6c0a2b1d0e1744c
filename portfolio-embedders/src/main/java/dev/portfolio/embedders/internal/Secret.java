package dev.portfolio.embedders.internal;

/**
 * A credential that never shows itself: {@link #toString()} masks all but the last four characters
 * of long values and everything of short ones.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a credential.
   *
   * @param value the credential, not null
   * @return the secret
   */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /**
   * Returns the credential, for the one place that sends it.
   *
   * @return the credential
   */
  public String reveal() {
    return value;
  }

  /**
   * Returns the masked form, for logs and messages: {@code ****} plus the last four characters when
   * the value has at least 16, else {@code ****}.
   */
  @Override
  public String toString() {
    return value.length() >= 16 ? "****" + value.substring(value.length() - 4) : "****";
  }
}
