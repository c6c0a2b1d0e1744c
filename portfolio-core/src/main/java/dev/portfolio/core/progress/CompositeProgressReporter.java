package dev.portfolio.core.progress;

import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.spi.ProgressEvent;
import dev.portfolio.core.spi.ProgressReporter;
import dev.portfolio.core.validation.Inputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every event to several reporters in order, for example a console bar for the operator and
 * SLF4J lines for the log file. Each reporter is guarded on its own: one that throws is logged
 * (WARN the first time, DEBUG after) and the others still receive the event.
 *
 * @since 0.1.0
 */
public final class CompositeProgressReporter implements ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(CompositeProgressReporter.class);

  private final List<ProgressReporter> reporters;

  private CompositeProgressReporter(List<ProgressReporter> reporters) {
    this.reporters = List.copyOf(reporters);
  }

  /**
   * Combines reporters.
   *
   * @param reporters the reporters, called in this order; none null (an empty list reports nothing)
   * @return the combined reporter
   * @throws InvalidInputException when the array or an element is null
   */
  public static CompositeProgressReporter of(ProgressReporter... reporters) {
    Inputs.requireNonNull("reporters", reporters);
    return of(Arrays.asList(reporters));
  }

  /**
   * Combines reporters.
   *
   * @param reporters the reporters, called in this order; none null (an empty list reports nothing)
   * @return the combined reporter
   * @throws InvalidInputException when the list or an element is null
   */
  public static CompositeProgressReporter of(List<? extends ProgressReporter> reporters) {
    return of(reporters, LOG);
  }

  static CompositeProgressReporter of(List<? extends ProgressReporter> reporters, Logger log) {
    Inputs.requireNonNull("reporters", reporters);
    List<ProgressReporter> guarded = new ArrayList<>(reporters.size());
    for (ProgressReporter r : copyNonNull(reporters.toArray(new ProgressReporter[0]))) {
      guarded.add(new GuardedReporter(r, log));
    }
    return new CompositeProgressReporter(guarded);
  }

  private static ProgressReporter[] copyNonNull(ProgressReporter[] reporters) {
    for (int i = 0; i < reporters.length; i++) {
      if (reporters[i] == null) {
        throw new InvalidInputException(
            "reporters", "reporters must not contain null (element " + i + " is null)");
      }
    }
    return reporters.clone();
  }

  /**
   * Returns how many reporters this composite calls.
   *
   * @return the number of reporters
   */
  public int size() {
    return reporters.size();
  }

  @Override
  public void started(ProgressEvent event) {
    for (ProgressReporter r : reporters) {
      r.started(event);
    }
  }

  @Override
  public void progressed(ProgressEvent event) {
    for (ProgressReporter r : reporters) {
      r.progressed(event);
    }
  }

  @Override
  public void finished(ProgressEvent event) {
    for (ProgressReporter r : reporters) {
      r.finished(event);
    }
  }
}
