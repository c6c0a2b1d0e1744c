/**
 * Search quality evaluation on a real corpus (the Linux man pages Debian installs) with
 * hand-written questions, and search latency on a large collection built from it.
 */
package dev.portfolio.examples.eval;
