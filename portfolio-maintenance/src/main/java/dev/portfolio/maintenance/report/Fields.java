package dev.portfolio.maintenance.report;

import dev.portfolio.core.model.VacuumOutcome;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Helpers for building {@link Report#fields()}.
 *
 * @since 0.1.0
 */
public final class Fields {
  private Fields() {}

  /**
   * Builds an unmodifiable ordered map from alternating names and values.
   *
   * @param namesAndValues name, value, name, value, ...
   * @return the map
   */
  public static Map<String, Object> of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      m.put((String) namesAndValues[i], v instanceof Instant t ? t.toString() : v);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Renders vacuum outcomes as table rows.
   *
   * @param outcomes the outcomes
   * @return one map per table: table, status, detail, elapsedMs
   */
  public static List<Map<String, Object>> vacuum(List<VacuumOutcome> outcomes) {
    return outcomes.stream()
        .map(
            v ->
                of(
                    "table",
                    v.table().name().toLowerCase(Locale.ROOT),
                    "status",
                    v.status().name(),
                    "detail",
                    v.detail(),
                    "elapsedMs",
                    v.elapsed().toMillis()))
        .toList();
  }

  /**
   * Formats a duration in seconds with one decimal.
   *
   * @param d the duration
   * @return for example {@code 0.3 s}
   */
  public static String seconds(java.time.Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
  }

  /**
   * Summarises vacuum outcomes.
   *
   * @param outcomes the outcomes
   * @return for example {@code vacuumed chunks, embeddings} or {@code vacuum skipped: documents}
   */
  public static String vacuumSummary(List<VacuumOutcome> outcomes) {
    if (outcomes.isEmpty()) {
      return "no vacuum needed";
    }
    StringBuilder s = new StringBuilder();
    for (VacuumOutcome.Status st : VacuumOutcome.Status.values()) {
      List<String> tables =
          outcomes.stream()
              .filter(v -> v.status() == st)
              .map(v -> v.table().name().toLowerCase(Locale.ROOT))
              .toList();
      if (!tables.isEmpty()) {
        s.append(s.length() == 0 ? "" : "; ")
            .append(
                switch (st) {
                  case DONE -> "vacuumed ";
                  case SKIPPED -> "vacuum skipped (see result) for ";
                  case NOT_NEEDED -> "no vacuum needed for ";
                })
            .append(String.join(", ", tables));
      }
    }
    return s.toString();
  }
}
