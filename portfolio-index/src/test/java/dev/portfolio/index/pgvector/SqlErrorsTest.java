package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.index.internal.SqlErrors;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {
  @Test
  void serializationFailuresDeadlocksAndConnectionLossAreTransient() {
    for (String state : new String[] {"40001", "40P01", "08006", "08001", "57P01", "53300"}) {
      assertThat(SqlErrors.isTransient(wrapped(state))).as(state).isTrue();
    }
    assertThat(SqlErrors.isTransient(new SQLTransientConnectionException("pool timeout"))).isTrue();
  }

  @Test
  void dataErrorsPrivilegesAndTimeoutsAreNotRetriedAutomatically() {
    for (String state : new String[] {"23505", "22P02", "42501", "42P01", "57014", "XX000"}) {
      assertThat(SqlErrors.isTransient(wrapped(state))).as(state).isFalse();
    }
    assertThat(SqlErrors.isTransient(new InvalidInputException("x", "x"))).isFalse();
  }

  @Test
  void translationKeepsTheCauseAndSqlStateAndPicksTheCode() {
    PortfolioException deadlock = SqlErrors.translate("Storing", wrapped("40P01"));
    assertThat(deadlock.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(deadlock.isRetriable()).isTrue();
    assertThat(deadlock)
        .hasMessageContaining("(SQLState 40P01)")
        .hasRootCauseInstanceOf(SQLException.class);

    PortfolioException denied = SqlErrors.translate("Storing", wrapped("42501"));
    assertThat(denied.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(denied).hasMessageContaining("PortfolioSchema.grantRuntimeAccess");

    PortfolioException missing = SqlErrors.translate("Storing", wrapped("42P01"));
    assertThat(missing.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);

    PortfolioException timeout = SqlErrors.translate("Storing", wrapped("57014"));
    assertThat(timeout.isRetriable()).isTrue();
    assertThat(timeout).hasMessageContaining("statement timeout");

    PortfolioException other = SqlErrors.translate("Storing", wrapped("23505"));
    assertThat(other.code()).isEqualTo(ErrorCode.STORE_FAILURE);
    assertThat(other).hasMessage("Storing failed: boom (SQLState 23505)");
  }

  @Test
  void portfolioExceptionsPassThroughUnchanged() {
    InvalidInputException e = new InvalidInputException("x", "bad x");
    assertThat(SqlErrors.translate("Anything", e)).isSameAs(e);
  }

  private static RuntimeException wrapped(String state) {
    return new DataAccessException(
        "jOOQ wrapper", new SQLException("ERROR: boom\n  Detail: d", state));
  }
}
