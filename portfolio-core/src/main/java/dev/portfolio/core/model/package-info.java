/**
 * Domain records: collections, documents, chunks, embeddings, queries, filters and results. Every
 * record validates its arguments on construction and holds immutable copies of collections.
 */
package dev.portfolio.core.model;
