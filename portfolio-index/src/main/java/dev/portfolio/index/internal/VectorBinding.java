package dev.portfolio.index.internal;

import com.pgvector.PGvector;
import dev.portfolio.core.model.Embedding;
import java.io.Serial;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.DataType;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Binds {@link Embedding} values to pgvector's {@code vector} type: a bind value renders as {@code
 * ?::vector} and is sent as pgvector-java's {@link PGvector}; results are read from the text form.
 */
public final class VectorBinding implements Binding<Object, Embedding> {
  @Serial private static final long serialVersionUID = 1L;

  private static final Converter<Object, Embedding> CONVERTER = new EmbeddingConverter();

  /** The jOOQ data type of an untyped {@code vector} column holding embeddings. */
  public static final DataType<Embedding> VECTOR =
      SQLDataType.OTHER.asConvertedDataType(new VectorBinding());

  /** Creates the binding; use {@link #VECTOR}. */
  public VectorBinding() {}

  @Override
  public Converter<Object, Embedding> converter() {
    return CONVERTER;
  }

  @Override
  public void sql(BindingSQLContext<Embedding> ctx) {
    if (ctx.render().paramType() == ParamType.INLINED) {
      ctx.render()
          .visit(DSL.inline(ctx.value() == null ? null : VectorText.format(ctx.value())))
          .sql("::vector");
    } else {
      ctx.render().sql(ctx.variable()).sql("::vector");
    }
  }

  @Override
  public void register(BindingRegisterContext<Embedding> ctx) throws SQLException {
    ctx.statement().registerOutParameter(ctx.index(), Types.OTHER);
  }

  @Override
  public void set(BindingSetStatementContext<Embedding> ctx) throws SQLException {
    Embedding value = ctx.value();
    if (value == null) {
      ctx.statement().setNull(ctx.index(), Types.OTHER);
    } else {
      ctx.statement().setObject(ctx.index(), new PGvector(value.toArray()));
    }
  }

  @Override
  public void set(BindingSetSQLOutputContext<Embedding> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException("vector in SQLOutput");
  }

  @Override
  public void get(BindingGetResultSetContext<Embedding> ctx) throws SQLException {
    ctx.value(VectorText.parse(ctx.resultSet().getString(ctx.index())));
  }

  @Override
  public void get(BindingGetStatementContext<Embedding> ctx) throws SQLException {
    ctx.value(VectorText.parse(ctx.statement().getString(ctx.index())));
  }

  @Override
  public void get(BindingGetSQLInputContext<Embedding> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException("vector in SQLInput");
  }

  private static final class EmbeddingConverter implements Converter<Object, Embedding> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public Embedding from(Object databaseObject) {
      return databaseObject == null ? null : VectorText.parse(databaseObject.toString());
    }

    @Override
    public Object to(Embedding userObject) {
      return userObject == null ? null : VectorText.format(userObject);
    }

    @Override
    public Class<Object> fromType() {
      return Object.class;
    }

    @Override
    public Class<Embedding> toType() {
      return Embedding.class;
    }
  }
}
