package dev.portfolio.examples.springboot;

import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.diagnostics.DiagnosticsReport;
import dev.portfolio.maintenance.health.HealthCheckOptions;
import dev.portfolio.maintenance.health.HealthReport;
import dev.portfolio.maintenance.retry.RetryOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin endpoints: {@code GET /admin/portfolio/diagnostics} (the diagnostics report as JSON),
 * {@code GET /admin/portfolio/health} (a health check without repairs, in the documented JSON
 * schema; it also updates the health gauges) and {@code POST
 * /admin/portfolio/retry-failed?collection=NAME[&dryRun=true]} (re-processes the collection's
 * failed documents; its result's fields as JSON). Secure them as the host's other admin endpoints
 * are.
 */
@RestController
@RequestMapping("/admin/portfolio")
public class PortfolioAdminController {
  private final Maintenance maintenance;
  private final ObjectProvider<PortfolioMetrics> metrics;

  /**
   * Creates the controller.
   *
   * @param maintenance the facade
   * @param metrics the gauges, when Micrometer is present
   */
  public PortfolioAdminController(
      Maintenance maintenance, ObjectProvider<PortfolioMetrics> metrics) {
    this.maintenance = maintenance;
    this.metrics = metrics;
  }

  /**
   * Runs a health check without repairs.
   *
   * @return the report in its JSON schema ({@code schemaVersion} 1)
   */
  @GetMapping(value = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
  public String health() {
    PortfolioMetrics m = metrics.getIfAvailable();
    HealthReport report =
        m != null ? m.checkHealth() : maintenance.healthCheck(HealthCheckOptions.defaults());
    return report.toJson();
  }

  /**
   * Returns the diagnostics report.
   *
   * @return the report; its components serialise as they are
   */
  @GetMapping("/diagnostics")
  public DiagnosticsReport diagnostics() {
    return maintenance.diagnostics();
  }

  /**
   * Re-processes a collection's failed documents.
   *
   * @param collection the collection
   * @param dryRun only count
   * @return the result's fields
   */
  @PostMapping("/retry-failed")
  public Map<String, Object> retryFailed(
      @RequestParam String collection, @RequestParam(defaultValue = "false") boolean dryRun) {
    return maintenance
        .retryFailed(RetryOptions.builder(collection).dryRun(dryRun).build())
        .fields();
  }

  /**
   * Maps Portfolio's errors to HTTP: 400 for bad input, 404 for an unknown collection, 409 when
   * another maintenance operation holds the collection, 500 otherwise; the body carries the code
   * and the message.
   *
   * @param e the error
   * @return the response
   */
  @ExceptionHandler(PortfolioException.class)
  public ResponseEntity<Map<String, Object>> error(PortfolioException e) {
    HttpStatus status =
        switch (e.code()) {
          case INVALID_ARGUMENT -> HttpStatus.BAD_REQUEST;
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case CONFLICT -> HttpStatus.CONFLICT;
          default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", e.code().name());
    body.put("message", e.getMessage());
    return ResponseEntity.status(status).body(body);
  }
}
