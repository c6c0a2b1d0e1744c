/**
 * Benchmark programs; they print measurements, they assert nothing. Where a baseline exists (raw
 * COPY into bare tables) they print ratios against it, measured in the same run, rather than
 * absolute numbers to compare across machines.
 */
package dev.portfolio.examples.bench;
