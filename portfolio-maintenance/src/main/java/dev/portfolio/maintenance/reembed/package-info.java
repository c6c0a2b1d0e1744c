/**
 * Re-embedding a collection's chunks into one of its embedding sets: the options ({@link
 * dev.portfolio.maintenance.reembed.ReembedOptions}), the selection ({@link
 * dev.portfolio.maintenance.reembed.ReembedMode}) and the result ({@link
 * dev.portfolio.maintenance.reembed.ReembedResult}). Run one with {@link
 * dev.portfolio.maintenance.Maintenance#reembed}.
 */
package dev.portfolio.maintenance.reembed;
