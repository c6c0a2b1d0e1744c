/**
 * A Spring Boot host application: the host's {@link javax.sql.DataSource} bean passed to
 * Portfolio's pgvector store, a {@link dev.portfolio.maintenance.Maintenance} bean, admin endpoints
 * under {@code /admin/portfolio} and the index's health as Micrometer gauges when Micrometer is on
 * the class path. Run it with {@code scripts/spring-boot-example.sh}.
 */
package dev.portfolio.examples.springboot;
