package dev.portfolio.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Checks the integration-test environment: a real server, pgvector, one schema per class. */
@ExtendWith(PostgresSchemaExtension.class)
class PgvectorEnvironmentIT {

  @Test
  void serverHasPgvectorWithHalfvecSupport(TestSchema schema) {
    assertThat(schema.database().serverVersion()).matches("\\d+(\\.\\d+)?.*");
    // halfvec arrived in pgvector 0.7.0; the store needs it for dimensions above 2000.
    String[] v = schema.database().vectorVersion().split("\\.");
    assertThat(Integer.parseInt(v[0]) * 100 + Integer.parseInt(v[1])).isGreaterThanOrEqualTo(7);
  }

  @Test
  void eachTestClassGetsItsOwnEmptySchema(TestSchema schema) throws SQLException {
    try (Connection c = schema.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ?")) {
      ps.setString(1, schema.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
    assertThat(schema.name()).startsWith("it_pgvectorenvironmentit_");
  }

  @Test
  void untypedVectorColumnRanksByCastExpression(TestSchema schema) throws SQLException {
    String table = "\"" + schema.name() + "\".vectors";
    try (Connection c = schema.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector)");
      s.execute(
          "INSERT INTO "
              + table
              + " VALUES (1, '[1,0,0]'), (2, '[0.9,0.1,0]'), (3, '[0,0,1]'), (4, '[1,1,1,1]')");
      List<Integer> order = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id FROM "
                  + table
                  + " WHERE vector_dims(embedding) = 3"
                  + " ORDER BY embedding::vector(3) <=> '[1,0,0]'::vector(3)")) {
        while (rs.next()) {
          order.add(rs.getInt(1));
        }
      }
      assertThat(order).containsExactly(1, 2, 3);
    }
  }
}
