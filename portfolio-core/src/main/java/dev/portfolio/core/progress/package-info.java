/**
 * Progress reporting for long operations: {@link dev.portfolio.core.progress.ProgressTracker} is
 * what an operation calls; {@link dev.portfolio.core.progress.ConsoleProgressReporter}, {@link
 * dev.portfolio.core.progress.Slf4jProgressReporter} and {@link
 * dev.portfolio.core.progress.CompositeProgressReporter} are the reporters that ship with the core,
 * with providers registered under the ids {@code console}, {@code slf4j} and {@code silent}.
 *
 * <p>Reporters never break the operation they observe: every call a tracker or a composite makes is
 * guarded, and a reporter that throws is logged and ignored.
 */
package dev.portfolio.core.progress;
