/** Options and results of {@link dev.portfolio.maintenance.Maintenance#retryFailed}. */
package dev.portfolio.maintenance.retry;
