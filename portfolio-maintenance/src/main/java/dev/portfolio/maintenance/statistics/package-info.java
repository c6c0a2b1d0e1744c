/**
 * What {@link dev.portfolio.maintenance.Maintenance#statistics(String)} reports: counts and storage
 * ({@link dev.portfolio.maintenance.statistics.StatisticsReport}), the health of the indexes and
 * tables with the reasons ({@link dev.portfolio.maintenance.statistics.IndexHealth}, judged by
 * {@link dev.portfolio.maintenance.statistics.IndexHealthRules} against documented {@link
 * dev.portfolio.maintenance.statistics.HealthThresholds}), and latency and cache figures ({@link
 * dev.portfolio.maintenance.statistics.Performance}).
 */
package dev.portfolio.maintenance.statistics;
