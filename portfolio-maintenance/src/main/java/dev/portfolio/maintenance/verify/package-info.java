/**
 * Verifying stored vectors, {@link
 * dev.portfolio.maintenance.Maintenance#verifyEmbeddings(dev.portfolio.maintenance.verify.VerifyOptions)}:
 * what to verify ({@link dev.portfolio.maintenance.verify.VerifyOptions}), and what was found per
 * embedding set and kind of problem, with counts and sample chunk ids ({@link
 * dev.portfolio.maintenance.verify.VerifyReport}, {@link
 * dev.portfolio.maintenance.verify.SetVerification}, {@link
 * dev.portfolio.maintenance.verify.Finding}, {@link dev.portfolio.maintenance.verify.FindingKind}).
 */
package dev.portfolio.maintenance.verify;
