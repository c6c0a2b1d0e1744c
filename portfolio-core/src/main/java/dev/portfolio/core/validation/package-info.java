/**
 * Input validation shared by every store and embedder, so the same bad input gets the same message
 * whichever implementation receives it.
 */
package dev.portfolio.core.validation;
