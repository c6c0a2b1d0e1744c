package dev.portfolio.index.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own PostgreSQL schema, created before the first test and dropped with
 * everything in it after the last. Tests receive it as a {@link TestSchema} parameter (constructor,
 * lifecycle or test method).
 *
 * <pre>{@code
 * @ExtendWith(PostgresSchemaExtension.class)
 * class SomethingIT {
 *   @Test
 *   void works(TestSchema db) { ... db.dataSource() ... db.name() ... }
 * }
 * }</pre>
 */
public final class PostgresSchemaExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(PostgresSchemaExtension.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Creates the extension (JUnit instantiates it). */
  public PostgresSchemaExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    TestDatabase db = TestDatabase.get();
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    String base =
        context
            .getRequiredTestClass()
            .getSimpleName()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]", "");
    String name =
        "it_"
            + base.substring(0, Math.min(base.length(), 40))
            + "_"
            + HexFormat.of().formatHex(suffix);
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA \"" + name + "\"");
    }
    context.getStore(NS).put(TestSchema.class, new TestSchema(db, name));
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    TestSchema schema = context.getStore(NS).remove(TestSchema.class, TestSchema.class);
    if (schema != null) {
      schema.drop();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestSchema.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext c = context;
    while (c != null) {
      TestSchema schema = c.getStore(NS).get(TestSchema.class, TestSchema.class);
      if (schema != null) {
        return schema;
      }
      c = c.getParent().orElse(null);
    }
    throw new IllegalStateException("No schema: register PostgresSchemaExtension on the class");
  }
}
