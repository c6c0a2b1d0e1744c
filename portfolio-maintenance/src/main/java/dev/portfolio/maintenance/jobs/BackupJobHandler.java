package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.validation.Inputs;
import dev.portfolio.maintenance.Maintenance;
import dev.portfolio.maintenance.backup.BackupOptions;
import dev.portfolio.maintenance.backup.BackupResult;
import java.nio.file.Path;

/**
 * Runs {@link Maintenance#backup} as a job, in one unit: parameter {@code directory} is where the
 * archive ({@code portfolio-backup-<UTC time>.zip}) is written, on the worker that runs the job (a
 * shared volume, or workers on the host that submits). An archive appears under its name only when
 * complete, so a worker that dies leaves none, and the worker that takes the job over writes a new
 * one. The checkpoint records the archive's path and SHA-256; progress is chunks archived. The
 * backup runs to its end once started.
 *
 * @since 0.1.0
 */
public final class BackupJobHandler implements JobHandler {
  private final Maintenance maintenance;

  private BackupJobHandler(Maintenance maintenance) {
    this.maintenance = maintenance;
  }

  /**
   * Creates the handler.
   *
   * @param maintenance the facade
   * @return the handler
   */
  public static BackupJobHandler of(Maintenance maintenance) {
    return new BackupJobHandler(Inputs.requireNonNull("maintenance", maintenance));
  }

  @Override
  public String kind() {
    return JobKinds.BACKUP;
  }

  /**
   * Describes a backup as a job.
   *
   * @param directory the directory the archive goes to (stored as an absolute path)
   * @param options which collections, and whether building sets are included
   * @return a request builder
   */
  public static JobRequest.Builder request(Path directory, BackupOptions options) {
    Inputs.requireNonNull("directory", directory);
    Inputs.requireNonNull("options", options);
    JobParams p =
        JobParams.empty()
            .with("directory", directory.toAbsolutePath().normalize().toString())
            .with("includeBuildingSets", Boolean.toString(options.includeBuildingSets()))
            .withList("collection", options.collections());
    return JobRequest.builder(JobKinds.BACKUP).params(p);
  }

  @Override
  public UnitOutcome run(JobContext unit) {
    JobParams p = unit.params();
    BackupOptions options =
        new BackupOptions(p.list("collection"), p.bool("includeBuildingSets", false));
    BackupResult r = maintenance.backup(Path.of(p.require("directory")), options);
    unit.checkpoint(
        JobParams.empty()
            .with("archive", r.archive().toString())
            .with("sha256", r.sha256())
            .with("documents", Long.toString(r.documents()))
            .with("chunks", Long.toString(r.chunks())),
        r.chunks(),
        r.chunks());
    return UnitOutcome.DONE;
  }

  @Override
  public String toString() {
    return "BackupJobHandler[" + maintenance + "]";
  }
}
