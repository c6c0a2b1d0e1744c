package dev.portfolio.index.internal;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.validation.Inputs;
import java.util.regex.Pattern;

/** Validation and quoting of the SQL identifiers users choose (schema and role names). */
public final class Identifiers {
  /** The pattern schema and role names must match. */
  public static final Pattern NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  private Identifiers() {}

  /**
   * Requires a valid schema name.
   *
   * @param argument the argument name for the message, for example {@code "schema"}
   * @param name the candidate name
   * @return the name, unchanged
   * @throws InvalidInputException when null, malformed or reserved
   */
  public static String schemaName(String argument, String name) {
    return identifier(argument, name, "schema");
  }

  /**
   * Requires a valid role name.
   *
   * @param argument the argument name for the message
   * @param name the candidate name
   * @return the name, unchanged
   * @throws InvalidInputException when null, malformed or reserved
   */
  public static String roleName(String argument, String name) {
    return identifier(argument, name, "role");
  }

  private static String identifier(String argument, String name, String kind) {
    if (name == null) {
      throw new InvalidInputException(argument, argument + " must not be null");
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          argument,
          "Invalid "
              + kind
              + " name \""
              + Inputs.printable(name)
              + "\": use 1 to 63 lower-case letters a-z, digits and '_', starting with a letter"
              + " or '_' (pattern "
              + NAME.pattern()
              + ").");
    }
    if (name.startsWith("pg_")) {
      throw new InvalidInputException(
          argument,
          "Invalid "
              + kind
              + " name \""
              + name
              + "\": names starting with pg_ are reserved by PostgreSQL. Choose another name.");
    }
    return name;
  }

  /**
   * Quotes a validated identifier for SQL text. Only names that passed {@link #schemaName} or
   * {@link #roleName} may be given; they contain no quote character.
   *
   * @param validated a validated name
   * @return the name in double quotes
   */
  public static String quote(String validated) {
    if (!NAME.matcher(validated).matches()) {
      throw new IllegalArgumentException("not a validated identifier");
    }
    return '"' + validated + '"';
  }
}
