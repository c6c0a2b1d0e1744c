package dev.portfolio.index.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.portfolio.core.inspect.AnnIndexState;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.RelationKind;
import dev.portfolio.core.inspect.RelationStats;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.model.CollectionSpec;
import dev.portfolio.core.model.Distance;
import dev.portfolio.index.testing.PostgresSchemaExtension;
import dev.portfolio.index.testing.TestSchema;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pgvector store's snapshot: round trips, catalog figures and configuration. */
@ExtendWith(PostgresSchemaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgInspectionIT {
  private TestSchema db;
  private HikariDataSource pool;
  private final AtomicInteger statements = new AtomicInteger();
  private PgVectorStore store;

  @BeforeAll
  void open(TestSchema schema) {
    db = schema;
    TestStores.install(db);
    pool = TestStores.pool(db);
    store = PgVectorStore.builder(new Counting(pool, statements)).schema(db.name()).build();
  }

  @AfterAll
  void close() {
    store.close();
    pool.close();
  }

  @Test
  void aSnapshotTakesTwoStatementsWhateverTheNumberOfCollections() {
    store.createCollection(CollectionSpec.of("first", "test-model", 4));
    store.upsert("first", List.of(TestStores.doc("a", 3, 4, 1)));
    int one = countStatements();
    for (int i = 0; i < 6; i++) {
      String name = "more-" + i;
      store.createCollection(new CollectionSpec(name, "test-model", 4, Distance.L2));
      store.upsert(name, List.of(TestStores.doc("d", 2, 4, i)));
      store.createBuildingSet(name, "next-model", 3);
    }

    int seven = countStatements();

    assertThat(one).isEqualTo(2);
    assertThat(seven).as("not one query per collection or set").isEqualTo(2);
    StoreSnapshot snapshot = store.snapshot(null);
    assertThat(snapshot.collections()).hasSizeGreaterThanOrEqualTo(7);
    CollectionSnapshot more = snapshot.collection("more-3").orElseThrow();
    assertThat(more.sets()).hasSize(2);
    assertThat(more.activeSet().annIndex()).isEqualTo(AnnIndexState.VALID);
    assertThat(more.buildingSet().orElseThrow().annIndex()).isEqualTo(AnnIndexState.MISSING);
    assertThat(more.activeSet().vectors()).isEqualTo(2);
  }

  @Test
  void relationsCarryTheStatisticsCollectorsFiguresAndTheConfigurationNoPassword() {
    store.createCollection(CollectionSpec.of("sized", "test-model", 4));
    store.upsert("sized", List.of(TestStores.doc("s", 20, 4, 7)));

    StoreSnapshot snapshot = store.snapshot(null);

    RelationStats chunks =
        snapshot.relations().stream()
            .filter(r -> r.name().equals("chunks"))
            .findFirst()
            .orElseThrow();
    assertThat(chunks.kind()).isEqualTo(RelationKind.TABLE);
    assertThat(chunks.bytes()).isPositive();
    assertThat(chunks.liveRows()).isPresent();
    assertThat(chunks.deadRows()).isPresent();
    assertThat(chunks.blocksHit()).isPresent();
    assertThat(snapshot.relations())
        .filteredOn(r -> r.kind() == RelationKind.INDEX)
        .isNotEmpty()
        .allSatisfy(i -> assertThat(i.valid()).isNotNull())
        .allSatisfy(i -> assertThat(i.table()).isNotNull());
    assertThat(snapshot.relations())
        .filteredOn(r -> r.name().equals("embeddings"))
        .singleElement()
        .satisfies(r -> assertThat(r.kind()).isEqualTo(RelationKind.PARTITIONED_TABLE));
    assertThat(snapshot.configuration())
        .containsEntry("store", "pgvector")
        .containsEntry("schema", db.name())
        .containsKeys("url", "user", "server", "pgvector", "hnswM", "operationLog")
        .containsEntry("operationLogRetention", "30d");
    assertThat(snapshot.configuration().get("url")).doesNotContain("password=portfolio");
    if (db.jdbcUrl().contains("password=")) {
      assertThat(snapshot.configuration().get("url")).contains("password=****");
    }
  }

  private int countStatements() {
    int before = statements.get();
    store.snapshot(null);
    return statements.get() - before;
  }

  /** A data source whose connections count the statements they prepare. */
  private static final class Counting implements DataSource {
    private final DataSource target;
    private final AtomicInteger count;

    Counting(DataSource target, AtomicInteger count) {
      this.target = target;
      this.count = count;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return wrap(target.getConnection(user, password));
    }

    private Connection wrap(Connection c) {
      InvocationHandler h =
          (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("prepareStatement")
                || name.equals("createStatement")
                || name.equals("prepareCall")) {
              count.incrementAndGet();
            }
            try {
              return method.invoke(c, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return target.isWrapperFor(iface);
    }
  }
}
