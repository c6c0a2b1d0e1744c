/** Text utilities: content fingerprints and the chunker. */
package dev.portfolio.core.text;
