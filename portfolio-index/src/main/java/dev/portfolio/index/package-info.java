/** The pgvector store: jOOQ adapter, schema install and migrations, bulk COPY paths. */
package dev.portfolio.index;
