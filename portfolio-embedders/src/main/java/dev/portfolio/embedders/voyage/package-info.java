/** The {@code voyage} embedder: Voyage AI's embeddings API with document and query input types. */
package dev.portfolio.embedders.voyage;
