/**
 * The {@link dev.portfolio.maintenance.Maintenance} facade that host applications call: re-embed
 * ({@link dev.portfolio.maintenance.reembed}) and zero-downtime model switches ({@link
 * dev.portfolio.maintenance.modelswitch}).
 */
package dev.portfolio.maintenance;
