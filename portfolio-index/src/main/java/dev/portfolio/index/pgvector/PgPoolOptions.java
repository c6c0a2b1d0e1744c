package dev.portfolio.index.pgvector;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.time.Duration;

/**
 * Settings of the small connection pool {@link PgDataSources#pooled(PgPoolOptions)} creates for the
 * command line and examples. Immutable; build with {@link #builder(String)}. The password is never
 * printed.
 *
 * @since 0.1.0
 */
public final class PgPoolOptions {
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final int poolSize;
  private final Duration statementTimeout;
  private final Duration connectionTimeout;

  private PgPoolOptions(Builder b) {
    this.jdbcUrl = b.jdbcUrl;
    this.user = b.user;
    this.password = b.password;
    this.poolSize = b.poolSize;
    this.statementTimeout = b.statementTimeout;
    this.connectionTimeout = b.connectionTimeout;
  }

  /**
   * Starts building options for a JDBC URL.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://} URL; it may carry user and password parameters
   * @return a builder
   */
  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }

  /**
   * Returns the JDBC URL.
   *
   * @return the URL as given
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Returns the user, or null to use the URL's.
   *
   * @return the user
   */
  public String user() {
    return user;
  }

  /**
   * Returns the password, or null to use the URL's.
   *
   * @return the password
   */
  public String password() {
    return password;
  }

  /**
   * Returns the maximum number of connections.
   *
   * @return the pool size
   */
  public int poolSize() {
    return poolSize;
  }

  /**
   * Returns the server-side statement timeout applied to every connection.
   *
   * @return the timeout
   */
  public Duration statementTimeout() {
    return statementTimeout;
  }

  /**
   * Returns how long a caller waits for a connection.
   *
   * @return the timeout
   */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  @Override
  public String toString() {
    return "PgPoolOptions[jdbcUrl="
        + redact(jdbcUrl)
        + ", user="
        + user
        + ", password="
        + (password == null ? "null" : "***")
        + ", poolSize="
        + poolSize
        + ", statementTimeout="
        + statementTimeout
        + ", connectionTimeout="
        + connectionTimeout
        + "]";
  }

  /**
   * Replaces the password parameter of a JDBC URL by {@code ***}.
   *
   * @param url the URL
   * @return the URL safe to print
   */
  public static String redact(String url) {
    return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /**
   * Builds {@link PgPoolOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String jdbcUrl;
    private String user;
    private String password;
    private int poolSize = 10;
    private Duration statementTimeout = Duration.ofMinutes(5);
    private Duration connectionTimeout = Duration.ofSeconds(30);

    private Builder(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
    }

    /**
     * Sets the user (default: the URL's).
     *
     * @param value the user
     * @return this builder
     */
    public Builder user(String value) {
      this.user = value;
      return this;
    }

    /**
     * Sets the password (default: the URL's).
     *
     * @param value the password
     * @return this builder
     */
    public Builder password(String value) {
      this.password = value;
      return this;
    }

    /**
     * Sets the maximum number of connections (default: 10).
     *
     * @param value 1 to 1000
     * @return this builder
     */
    public Builder poolSize(int value) {
      this.poolSize = value;
      return this;
    }

    /**
     * Sets the server-side statement timeout of every connection (default: 5 minutes).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder statementTimeout(Duration value) {
      this.statementTimeout = value;
      return this;
    }

    /**
     * Sets how long a caller waits for a free connection (default: 30 s).
     *
     * @param value at least 250 ms
     * @return this builder
     */
    public Builder connectionTimeout(Duration value) {
      this.connectionTimeout = value;
      return this;
    }

    /**
     * Validates and builds the options.
     *
     * @return the options
     * @throws InvalidInputException naming the invalid field
     */
    public PgPoolOptions build() {
      if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new InvalidInputException(
            "jdbcUrl",
            "jdbcUrl must start with jdbc:postgresql: (was "
                + (jdbcUrl == null ? "null" : "\"" + Inputs.printable(redact(jdbcUrl)) + "\"")
                + "), for example jdbc:postgresql://localhost:5432/app");
      }
      Inputs.between("poolSize", poolSize, 1, 1000);
      if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()) {
        throw new InvalidInputException(
            "statementTimeout",
            "statementTimeout must be a positive duration (was " + statementTimeout + ")");
      }
      if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
        throw new InvalidInputException(
            "connectionTimeout",
            "connectionTimeout must be at least 250 ms (was " + connectionTimeout + ")");
      }
      return new PgPoolOptions(this);
    }
  }
}
