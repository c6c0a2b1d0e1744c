/**
 * Benchmark programs. They print ratios against baselines measured in the same run (raw COPY into
 * bare tables), never absolute numbers to compare across machines.
 */
package dev.portfolio.examples.bench;
