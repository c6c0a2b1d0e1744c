/**
 * Installs and upgrades the Portfolio tables in a PostgreSQL schema: versioned migrations recorded
 * in a version table, serialised by an advisory lock, and exported as SQL for teams that apply DDL
 * themselves (Flyway, Liquibase, by hand). Start with {@link
 * dev.portfolio.index.schema.PortfolioSchema}.
 */
package dev.portfolio.index.schema;
