/**
 * Backups of collections as portable archives: {@link
 * dev.portfolio.maintenance.Maintenance#backup}, {@link
 * dev.portfolio.maintenance.Maintenance#verifyBackup}, {@link
 * dev.portfolio.maintenance.Maintenance#restore} and {@link
 * dev.portfolio.maintenance.Maintenance#pruneBackups}.
 *
 * <p>An archive is a ZIP file. {@code manifest.json} names the format version, the library version,
 * when it was made, each collection with its sets (model, dimension, state) and row counts, and the
 * size and SHA-256 of every other entry. Each collection has {@code documents.jsonl}, {@code
 * chunks.jsonl} (grouped by document, in ordinal order) and one {@code vectors-<set id>.bin} per
 * archived set. The ZIP comment holds the SHA-256 of every byte before it, so a flipped byte
 * anywhere in the file is detected.
 */
package dev.portfolio.maintenance.backup;
