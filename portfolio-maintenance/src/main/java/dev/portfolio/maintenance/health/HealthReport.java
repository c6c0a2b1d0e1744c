package dev.portfolio.maintenance.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.portfolio.maintenance.report.Report;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a health check found, and repaired with {@code fix}: one {@link CheckResult} per {@link
 * HealthCheckKind} in its order, the overall status (the worst of them), and the repairs attempted.
 * With {@code fix}, the checks are those of the second run, after the repairs.
 *
 * <p>{@link #toJson()} writes the document README.md ("Health checks") specifies; its {@link
 * #SCHEMA_VERSION} grows when a key changes meaning or goes away (keys are only added within a
 * version). {@link #toString()} prints the table {@code portfolio health} shows.
 *
 * @param startedAt when the check started
 * @param elapsedMs how long it took, repairs and the second run included, in milliseconds
 * @param collections the collections checked, by name
 * @param deep whether every vector and chunk was examined
 * @param fix whether repairs ran
 * @param checks one result per check, in {@link HealthCheckKind} order
 * @param repairs the repairs attempted, in check order; empty without {@code fix}
 * @since 0.1.0
 */
public record HealthReport(
    Instant startedAt,
    long elapsedMs,
    List<String> collections,
    boolean deep,
    boolean fix,
    List<CheckResult> checks,
    List<Repair> repairs)
    implements Report {
  /** The version of the JSON document: {@value}. */
  public static final int SCHEMA_VERSION = 1;

  /** The process exit code of a report without FAIL: {@value}. */
  public static final int EXIT_OK = 0;

  /** The process exit code of a report with a FAIL: {@value}. */
  public static final int EXIT_FAIL = 3;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Validates the components and copies the lists. */
  public HealthReport {
    Objects.requireNonNull(startedAt, "startedAt");
    collections = List.copyOf(collections);
    checks = List.copyOf(checks);
    repairs = List.copyOf(repairs);
  }

  /**
   * Returns the overall status: the worst of the checks.
   *
   * @return PASS when every check passed, INFO when the worst is INFO, else FAIL
   */
  public HealthStatus status() {
    HealthStatus worst = HealthStatus.PASS;
    for (CheckResult c : checks) {
      worst = worst.worst(c.status());
    }
    return worst;
  }

  /**
   * Returns the exit code a command line reports.
   *
   * @return {@value #EXIT_FAIL} when a check FAILed, else {@value #EXIT_OK}
   */
  public int exitCode() {
    return status() == HealthStatus.FAIL ? EXIT_FAIL : EXIT_OK;
  }

  /**
   * Returns the result of one check.
   *
   * @param kind the check
   * @return its result
   * @throws IllegalArgumentException when the report has none (never for a report of {@link
   *     dev.portfolio.maintenance.Maintenance#healthCheck})
   */
  public CheckResult check(HealthCheckKind kind) {
    return checks.stream()
        .filter(c -> c.kind() == kind)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result for check " + kind.id()));
  }

  /**
   * Returns the checks that FAILed.
   *
   * @return the failures, in check order
   */
  public List<CheckResult> failures() {
    return checks.stream().filter(c -> c.status() == HealthStatus.FAIL).toList();
  }

  @Override
  public String operation() {
    return "health";
  }

  @Override
  public String summary() {
    long fails = failures().size();
    long infos = checks.stream().filter(c -> c.status() == HealthStatus.INFO).count();
    long passes = checks.size() - fails - infos;
    return "health "
        + status()
        + ": "
        + passes
        + " passed, "
        + infos
        + " info, "
        + fails
        + " failed"
        + (fix ? ", " + repairs.size() + " repairs" : "")
        + " ("
        + (collections.isEmpty() ? "no collection" : String.join(", ", collections))
        + (deep ? ", deep" : "")
        + ")";
  }

  /**
   * Returns the JSON document as ordered maps, lists and values; {@link #toJson()} renders it.
   *
   * @return the document
   */
  @Override
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", SCHEMA_VERSION);
    m.put("status", lower(status()));
    m.put("exitCode", exitCode());
    m.put("startedAt", startedAt.toString());
    m.put("elapsedMs", elapsedMs);
    m.put("collections", collections);
    m.put("deep", deep);
    m.put("fix", fix);
    List<Map<String, Object>> list = new ArrayList<>();
    for (CheckResult c : checks) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", c.name());
      x.put("status", lower(c.status()));
      x.put("count", c.count());
      x.put("samples", c.samples());
      x.put("detail", c.detail());
      x.put("remedy", c.remedy());
      x.put("repairable", c.kind().repairable());
      list.add(x);
    }
    m.put("checks", list);
    List<Map<String, Object>> done = new ArrayList<>();
    for (Repair r : repairs) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("check", r.kind().id());
      x.put("action", r.action());
      x.put("count", r.count());
      x.put("outcome", lower(r.outcome()));
      x.put("detail", r.detail());
      done.add(x);
    }
    m.put("repairs", done);
    return m;
  }

  /**
   * Renders the report as the JSON document of README.md ("Health checks"), indented.
   *
   * @return the JSON text
   */
  public String toJson() {
    try {
      return JSON.writeValueAsString(fields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the health report as JSON", e);
    }
  }

  /**
   * Prints the report as a table (NAME, STATUS, COUNT, REMEDY), the repairs, and the overall status
   * line.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    int width = "NAME".length();
    for (CheckResult c : checks) {
      width = Math.max(width, c.name().length());
    }
    String format = "%-" + width + "s  %-6s  %7s  %s%n";
    out.append(String.format(Locale.ROOT, format, "NAME", "STATUS", "COUNT", "REMEDY"));
    for (CheckResult c : checks) {
      out.append(
          String.format(
              Locale.ROOT,
              format,
              c.name(),
              c.status(),
              c.count(),
              c.status() == HealthStatus.PASS || c.remedy() == null ? "-" : c.remedy()));
    }
    for (Repair r : repairs) {
      out.append(
          String.format(
              Locale.ROOT,
              "repair %s: %s: %s (%d) %s%n",
              r.kind().id(),
              r.action(),
              lower(r.outcome()),
              r.count(),
              r.detail()));
    }
    out.append(summary()).append(System.lineSeparator());
    return out.toString();
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
