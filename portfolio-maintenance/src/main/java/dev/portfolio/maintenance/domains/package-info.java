/**
 * Per-domain collections: a declarative {@link dev.portfolio.maintenance.domains.DomainPlan} (the
 * sources, the types of content with their model and dimension, and a name pattern such as {@code
 * {sanitized_source_title}_{type}}) from which {@link
 * dev.portfolio.maintenance.Maintenance#migrateDomains} creates the missing collections
 * idempotently, {@link dev.portfolio.maintenance.Maintenance#verifyDomains} checks them, and {@link
 * dev.portfolio.maintenance.Maintenance#rollbackDomains} drops the ones that are still empty. The
 * name sanitisation rules are in {@link dev.portfolio.maintenance.domains.DomainNames}.
 */
package dev.portfolio.maintenance.domains;
