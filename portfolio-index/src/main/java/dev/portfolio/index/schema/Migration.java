package dev.portfolio.index.schema;

/**
 * One versioned step of the schema.
 *
 * @param version the version it brings the schema to, from 1
 * @param description a short description
 * @param resource the class-path resource holding its SQL, with {@code ${schema}} placeholders
 * @param checksum SHA-256 (hex) of the resource text, recorded when applied
 * @since 0.1.0
 */
public record Migration(int version, String description, String resource, String checksum) {}
