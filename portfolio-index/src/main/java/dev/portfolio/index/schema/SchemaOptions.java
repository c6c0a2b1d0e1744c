package dev.portfolio.index.schema;

import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.internal.Identifiers;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the Portfolio schema is installed or exported. Immutable; build with {@link
 * #builder()}.
 *
 * @since 0.1.0
 */
public final class SchemaOptions {
  /** The schema name used when none is given. */
  public static final String DEFAULT_SCHEMA = "portfolio";

  private final String schema;
  private final String runtimeRole;
  private final int fromVersion;
  private final boolean transaction;

  private SchemaOptions(Builder b) {
    this.schema = b.schema;
    this.runtimeRole = b.runtimeRole;
    this.fromVersion = b.fromVersion;
    this.transaction = b.transaction;
  }

  /**
   * Returns the default options: schema {@value #DEFAULT_SCHEMA}, no runtime role, every version,
   * one transaction.
   *
   * @return the defaults
   */
  public static SchemaOptions defaults() {
    return builder().build();
  }

  /**
   * Returns options for a schema with every other setting at its default.
   *
   * @param schema the schema name
   * @return the options
   * @throws dev.portfolio.core.error.InvalidInputException when the name is invalid
   */
  public static SchemaOptions forSchema(String schema) {
    return builder().schema(schema).build();
  }

  /**
   * Starts building options.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the schema name.
   *
   * @return the validated name
   */
  public String schema() {
    return schema;
  }

  /**
   * Returns the role that receives the runtime privileges, if any.
   *
   * @return the role
   */
  public Optional<String> runtimeRole() {
    return Optional.ofNullable(runtimeRole);
  }

  /**
   * Returns the version after which an export starts.
   *
   * @return 0 for a full export
   */
  public int fromVersion() {
    return fromVersion;
  }

  /**
   * Tells whether an export is wrapped in {@code BEGIN; ... COMMIT;}.
   *
   * @return true by default
   */
  public boolean transaction() {
    return transaction;
  }

  @Override
  public String toString() {
    return "SchemaOptions[schema="
        + schema
        + ", runtimeRole="
        + runtimeRole
        + ", fromVersion="
        + fromVersion
        + ", transaction="
        + transaction
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaOptions s
        && schema.equals(s.schema)
        && Objects.equals(runtimeRole, s.runtimeRole)
        && fromVersion == s.fromVersion
        && transaction == s.transaction;
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, runtimeRole, fromVersion, transaction);
  }

  /**
   * Builds {@link SchemaOptions}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private String schema = DEFAULT_SCHEMA;
    private String runtimeRole;
    private int fromVersion;
    private boolean transaction = true;

    private Builder() {}

    /**
     * Sets the schema name (default: {@value SchemaOptions#DEFAULT_SCHEMA}). It must match {@code
     * ^[a-z_][a-z0-9_]{0,62}$} and not start with {@code pg_}; it is always quoted in SQL.
     *
     * @param value the schema name
     * @return this builder
     */
    public Builder schema(String value) {
      this.schema = value;
      return this;
    }

    /**
     * Names a role that receives exactly what the store needs at run time: USAGE on the schema,
     * SELECT, INSERT, UPDATE and DELETE on its tables, SELECT on the version table and USAGE on its
     * sequences (default: none). Same naming rule as the schema.
     *
     * @param value the role name, or null for none
     * @return this builder
     */
    public Builder runtimeRole(String value) {
      this.runtimeRole = value;
      return this;
    }

    /**
     * Exports only the migrations after this version (default: 0, everything). Ignored by install,
     * which always applies what the database lacks.
     *
     * @param value the version already applied, 0 to {@link PortfolioSchema#latestVersion()}
     * @return this builder
     */
    public Builder fromVersion(int value) {
      this.fromVersion = value;
      return this;
    }

    /**
     * Wraps the exported SQL in {@code BEGIN; ... COMMIT;} (default: true). Turn it off when a tool
     * such as Flyway runs each migration in its own transaction.
     *
     * @param value whether to add the transaction statements
     * @return this builder
     */
    public Builder transaction(boolean value) {
      this.transaction = value;
      return this;
    }

    /**
     * Validates and builds the options.
     *
     * @return the options
     * @throws dev.portfolio.core.error.InvalidInputException naming the invalid field
     */
    public SchemaOptions build() {
      Identifiers.schemaName("schema", schema);
      if (runtimeRole != null) {
        Identifiers.roleName("runtimeRole", runtimeRole);
      }
      Inputs.between("fromVersion", fromVersion, 0, PortfolioSchema.latestVersion());
      return new SchemaOptions(this);
    }
  }
}
