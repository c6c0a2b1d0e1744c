/**
 * Finds providers: an explicit instance wins, then a provider named in configuration or a system
 * property, then {@link java.util.ServiceLoader} by priority.
 */
package dev.portfolio.core.discovery;
