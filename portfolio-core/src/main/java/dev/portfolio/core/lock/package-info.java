/**
 * Maintenance locks for store implementations: an in-process lock table and the message a refused
 * caller reads.
 */
package dev.portfolio.core.lock;
