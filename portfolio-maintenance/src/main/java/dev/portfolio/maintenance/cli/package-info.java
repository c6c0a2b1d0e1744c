/**
 * The {@code portfolio} command line: {@link dev.portfolio.maintenance.cli.PortfolioCli} and one
 * class per subcommand. Built into the executable jar {@code
 * portfolio-maintenance-<version>-cli.jar} that {@code bin/portfolio} runs.
 *
 * <p>Adding a subcommand is one class: extend {@code StoreCommand} (it brings the connection,
 * {@code --json} and {@code --verbose} options, opens the store and builds the {@code Maintenance}
 * facade with a console progress reporter), annotate it with {@code @Command}, and list it in
 * {@link dev.portfolio.maintenance.cli.PortfolioCli}'s {@code subcommands}. Errors are mapped to
 * the exit codes in {@link dev.portfolio.maintenance.cli.ExitCodes} in one place.
 */
package dev.portfolio.maintenance.cli;
