/**
 * What {@link dev.portfolio.maintenance.Maintenance#diagnostics()} reports: every collection with
 * its documents, chunks and embedding sets ({@link
 * dev.portfolio.maintenance.diagnostics.CollectionDiagnostics}, {@link
 * dev.portfolio.maintenance.diagnostics.SetDiagnostics}), the storage of every table and index
 * ({@link dev.portfolio.maintenance.diagnostics.RelationSize}) and the configuration with secrets
 * masked, in one {@link dev.portfolio.maintenance.diagnostics.DiagnosticsReport}. Plain records of
 * strings, numbers, lists and maps: print them as a table ({@code toString()}) or serialise them as
 * JSON; a figure the store cannot give is null, never 0.
 */
package dev.portfolio.maintenance.diagnostics;
