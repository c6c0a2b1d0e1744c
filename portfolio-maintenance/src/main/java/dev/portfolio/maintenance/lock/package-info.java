/**
 * Keeping maintenance operations that change a collection from overlapping: each holds the
 * collection's lock ({@link dev.portfolio.core.spi.VectorStore#lockForMaintenance}) while it runs,
 * and a second one is refused with a message naming the first.
 */
package dev.portfolio.maintenance.lock;
