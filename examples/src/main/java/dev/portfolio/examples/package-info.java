/** Runnable example programs. */
package dev.portfolio.examples;
