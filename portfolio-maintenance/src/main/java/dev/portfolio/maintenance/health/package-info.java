/**
 * Health checks with repair: {@link dev.portfolio.maintenance.Maintenance#healthCheck} runs the
 * named checks of {@link dev.portfolio.maintenance.health.HealthCheckKind}, each reporting {@link
 * dev.portfolio.maintenance.health.HealthStatus#PASS}, {@code INFO} or {@code FAIL} with a count,
 * sample ids and a one-line remedy, and with {@link
 * dev.portfolio.maintenance.health.HealthCheckOptions#fix()} repairs what is safely repairable. The
 * {@link dev.portfolio.maintenance.health.HealthReport} is a record and a JSON document with a
 * stable, versioned schema.
 */
package dev.portfolio.maintenance.health;
