package dev.portfolio.core.spi;

/**
 * What the embedded text is for. Some models (Voyage, E5) embed queries and documents differently;
 * others ignore it.
 *
 * @since 0.1.0
 */
public enum InputType {
  /** Text to be stored and searched. */
  DOCUMENT,
  /** A search query. */
  QUERY
}
