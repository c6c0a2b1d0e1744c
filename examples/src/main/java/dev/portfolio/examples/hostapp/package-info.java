/**
 * A host application without Spring: a nightly maintenance job on a {@link
 * java.util.concurrent.ScheduledExecutorService}, made of named steps (statistics, diagnostics,
 * retry of failed documents, cleanup of soft-deleted documents and of orphans), logging through
 * SLF4J and stopping cleanly from a shutdown hook. Run it with {@code
 * scripts/nightly-maintenance.sh}.
 */
package dev.portfolio.examples.hostapp;
