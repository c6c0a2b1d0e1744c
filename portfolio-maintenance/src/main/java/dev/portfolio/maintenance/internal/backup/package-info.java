/** Internal: the archive format, its writer, reader and checks, backup and restore runs. */
package dev.portfolio.maintenance.internal.backup;
