/** What maintenance results share so that a command line can print them as a table or as JSON. */
package dev.portfolio.maintenance.report;
