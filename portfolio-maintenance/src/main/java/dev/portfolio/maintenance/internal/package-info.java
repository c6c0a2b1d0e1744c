/**
 * Internal: the machinery behind {@link dev.portfolio.maintenance.Maintenance} (the re-embed
 * pipeline, retries, paging, the model-switch steps). Not a public API; it may change in any
 * release. Call {@link dev.portfolio.maintenance.Maintenance} instead.
 */
package dev.portfolio.maintenance.internal;
