/** Benchmark programs; they print measurements, they assert nothing. */
package dev.portfolio.examples.bench;
