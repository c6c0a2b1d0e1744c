/**
 * Internal machinery of the pgvector store: jOOQ table and field constants, the pgvector binding,
 * the binary COPY encoder, SQL error translation and the retry policy.
 *
 * <p><b>Internal:</b> nothing here is public API. Classes are public only so that the store, schema
 * and migration packages of this module can share them; they change without notice. Plugins and
 * host applications must not use them.
 */
package dev.portfolio.index.internal;
