/** The Maintenance facade that host applications call, and the portfolio command line. */
package dev.portfolio.maintenance;
