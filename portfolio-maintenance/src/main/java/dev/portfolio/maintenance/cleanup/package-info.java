/**
 * Options and results of the cleanup operations: purging soft-deleted documents, removing orphaned
 * rows, and deleting a source.
 */
package dev.portfolio.maintenance.cleanup;
