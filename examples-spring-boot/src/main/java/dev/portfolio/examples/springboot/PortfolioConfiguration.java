package dev.portfolio.examples.springboot;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.progress.Slf4jProgressReporter;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.MigrationResult;
import dev.portfolio.index.schema.PortfolioSchema;
import dev.portfolio.index.schema.SchemaOptions;
import dev.portfolio.maintenance.Maintenance;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Portfolio's beans on the host's {@link DataSource}: the pgvector store, the embedder and the
 * {@link Maintenance} facade. Spring closes the store and the embedder on shutdown; the store never
 * closes the host's pool.
 */
@Configuration(proxyBeanMethods = false)
public class PortfolioConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(PortfolioConfiguration.class);

  /** Creates the configuration (Spring does). */
  public PortfolioConfiguration() {}

  /**
   * The pgvector store on the host's pool; installs or upgrades the schema first when asked.
   *
   * @param dataSource the host's pool
   * @param properties {@code portfolio.*}
   * @return the store
   */
  @Bean(destroyMethod = "close")
  public PgVectorStore portfolioStore(DataSource dataSource, PortfolioProperties properties) {
    if (properties.installSchema()) {
      MigrationResult r =
          PortfolioSchema.install(dataSource, SchemaOptions.forSchema(properties.schema()));
      LOG.info(
          "Portfolio schema {} at version {} (applied {})", r.schema(), r.toVersion(), r.applied());
    }
    return PgVectorStore.builder(dataSource).schema(properties.schema()).build();
  }

  /**
   * The embedder of the collections' model.
   *
   * @param properties {@code portfolio.embedder.*}
   * @return the embedder
   */
  @Bean(destroyMethod = "close")
  public Embedder portfolioEmbedder(PortfolioProperties properties) {
    return Providers.embedder(properties.embedder());
  }

  /**
   * The maintenance facade; progress is logged through SLF4J.
   *
   * @param store the store
   * @param embedder the embedder
   * @return the facade
   */
  @Bean
  public Maintenance portfolioMaintenance(PgVectorStore store, Embedder embedder) {
    return Maintenance.builder()
        .store(store)
        .embedder(embedder)
        .progress(new Slf4jProgressReporter())
        .build();
  }
}
