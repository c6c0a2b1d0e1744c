package dev.portfolio.maintenance.cli;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.maintenance.jobs.Job;
import dev.portfolio.maintenance.jobs.JobHandler;
import dev.portfolio.maintenance.jobs.JobList;
import dev.portfolio.maintenance.jobs.JobQuery;
import dev.portfolio.maintenance.jobs.JobQueue;
import dev.portfolio.maintenance.jobs.JobStatus;
import dev.portfolio.maintenance.jobs.JobUnit;
import dev.portfolio.maintenance.jobs.JobWorker;
import dev.portfolio.maintenance.jobs.PgJobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portfolio jobs}: the durable job queue: list, inspect, control, clean up, work. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = {
      "Lists, inspects, pauses, resumes and cancels the durable jobs in the database, deletes old"
          + " finished ones, and runs a worker that takes jobs until Ctrl-C.",
      "Jobs are submitted by applications (JobQueue.submit) or with --as-job on 'portfolio"
          + " reembed' and 'portfolio ingest'."
    },
    synopsisSubcommandLabel = "(list | status | pause | resume | cancel | cleanup | worker)",
    footerHeading = "%nExamples:%n",
    footer = {
      "  portfolio jobs list --status running",
      "  portfolio jobs status 7",
      "  portfolio jobs cancel 7",
      "  portfolio jobs worker --embedder onnx --concurrency 2",
    },
    subcommands = {
      JobsCommand.ListJobs.class,
      JobsCommand.Status.class,
      JobsCommand.Pause.class,
      JobsCommand.Resume.class,
      JobsCommand.Cancel.class,
      JobsCommand.Cleanup.class,
      JobsCommand.Worker.class,
    })
final class JobsCommand {
  private JobsCommand() {}

  static String progress(Job j) {
    if (j.progressTotal() < 0) {
      return Text.count(j.progressCurrent());
    }
    return Text.count(j.progressCurrent())
        + "/"
        + Text.count(j.progressTotal())
        + String.format(Locale.ROOT, " (%.1f%%)", j.percent());
  }

  /** {@code portfolio jobs list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists jobs, newest first, with counts by state.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio jobs list",
        "  portfolio jobs list --status running --status paused",
        "  portfolio jobs list --kind reembed --limit 20 --json",
      })
  static final class ListJobs extends StoreCommand {
    @Option(
        names = "--status",
        paramLabel = "STATE",
        description =
            "Only jobs in this state (repeatable): queued, running, paused, completed, failed,"
                + " cancelled.")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", description = "Only jobs of this kind.")
    String kind;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most this many jobs, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int limit = JobQuery.DEFAULT_LIMIT;

    @Option(
        names = "--before",
        paramLabel = "ID",
        description = "Only jobs older than this id (the next page).")
    long before;

    /** Builds the query; package-private for the option tests. */
    JobQuery query() {
      return usage(
          () -> {
            JobQuery q = JobQuery.all().withLimit(limit);
            if (!statuses.isEmpty()) {
              JobStatus[] all = statuses.stream().map(JobStatus::parse).toArray(JobStatus[]::new);
              q = q.withStatus(all[0], java.util.Arrays.copyOfRange(all, 1, all.length));
            }
            if (kind != null) {
              q = q.withKind(kind);
            }
            if (before > 0) {
              q = q.before(before);
            }
            return q;
          });
    }

    @Override
    int run() throws Exception {
      CliIo io = io();
      JobQuery query = query();
      JobList list = withStore(2, (store, pool) -> PgJobQueue.on(store).list(query));
      print(
          Views.jobList(list),
          () -> {
            if (list.jobs().isEmpty()) {
              io.out().println("No jobs.");
            } else {
              Table t =
                  new Table(
                      "ID",
                      "KIND",
                      "STATUS",
                      "PHASE",
                      "PROGRESS",
                      "UNITS",
                      "PRIORITY",
                      "CREATED",
                      "ERROR");
              for (Job j : list.jobs()) {
                t.row(
                    j.id(),
                    j.kind(),
                    j.status().label(),
                    j.status().finished() ? null : j.phase().label(),
                    progress(j),
                    j.units().total() == 0 ? null : j.units().completed() + "/" + j.units().total(),
                    j.priority(),
                    j.createdAt(),
                    j.error());
              }
              t.print(io.out());
            }
            StringBuilder counts = new StringBuilder();
            for (JobStatus s : JobStatus.values()) {
              long n = list.counts().getOrDefault(s, 0L);
              if (n > 0) {
                counts.append(counts.isEmpty() ? "" : ", ").append(n).append(' ').append(s.label());
              }
            }
            io.out().println("All jobs: " + (counts.isEmpty() ? "none" : counts));
          });
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio jobs status ID}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Shows a job with its work units, their progress, leases and checkpoints.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio jobs status 7", "  portfolio jobs status 7 --json"})
  static final class Status extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    long id;

    @Override
    int run() throws Exception {
      CliIo io = io();
      Object[] found =
          withStore(
              2,
              (store, pool) -> {
                PgJobQueue queue = PgJobQueue.on(store);
                Job j = queue.require(id);
                return new Object[] {j, queue.units(id)};
              });
      Job job = (Job) found[0];
      @SuppressWarnings("unchecked")
      List<JobUnit> units = (List<JobUnit>) found[1];
      print(
          Views.jobStatus(job, units),
          () -> {
            io.out().println(job.summary());
            io.out().println("Parameters: " + job.params().asMap());
            if (!units.isEmpty()) {
              Table t =
                  new Table(
                      "UNIT",
                      "STATUS",
                      "PROGRESS",
                      "ATTEMPTS",
                      "WORKER",
                      "LEASE UNTIL",
                      "CHECKPOINT",
                      "ERROR");
              for (JobUnit u : units) {
                t.row(
                    u.unit(),
                    u.status().label(),
                    u.progressTotal() < 0
                        ? Text.count(u.progressCurrent())
                        : Text.count(u.progressCurrent()) + "/" + Text.count(u.progressTotal()),
                    u.attempts(),
                    u.leaseOwner(),
                    u.leaseExpiresAt(),
                    u.checkpoint().isEmpty() ? null : u.checkpoint().asMap().toString(),
                    u.error());
              }
              t.print(io.out());
            }
          });
      return ExitCodes.OK;
    }
  }

  /** What pause, resume and cancel share: one job id, one call, the job as it is after it. */
  abstract static class Control extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    long id;

    int control(BiFunction<JobQueue, Long, Job> call, String done) throws Exception {
      CliIo io = io();
      Job job = withStore(2, (store, pool) -> call.apply(PgJobQueue.on(store), id));
      print(
          Views.job(job),
          () -> {
            io.out().println(job.summary());
            io.err().println(done);
            io.err().flush();
          });
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio jobs pause ID}. */
  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description =
          "Pauses a queued or running job: running units finish their batch, save their checkpoint"
              + " and go back to the queue; nothing of the job runs until 'resume'.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio jobs pause 7"})
  static final class Pause extends Control {
    @Override
    int run() throws Exception {
      return control(
          JobQueue::pause,
          "Paused: running units stop at their next batch boundary. Resume with 'portfolio jobs"
              + " resume "
              + id
              + "'.");
    }
  }

  /** {@code portfolio jobs resume ID}. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resumes a paused job from its checkpoints.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio jobs resume 7"})
  static final class Resume extends Control {
    @Override
    int run() throws Exception {
      return control(JobQueue::resume, "Resumed: workers take its units again.");
    }
  }

  /** {@code portfolio jobs cancel ID}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description =
          "Cancels a job that is not finished: it never starts again; running units stop at their"
              + " next batch boundary. Work done is kept.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio jobs cancel 7"})
  static final class Cancel extends Control {
    @Override
    int run() throws Exception {
      return control(
          JobQueue::cancel,
          "Cancelled: running units stop at their next batch boundary; the work done is kept.");
    }
  }

  /** {@code portfolio jobs cleanup --older-than DAYS}. */
  @Command(
      name = "cleanup",
      mixinStandardHelpOptions = true,
      description =
          "Deletes finished jobs (completed, failed, cancelled) older than a number of days.",
      footerHeading = "%nExamples:%n",
      footer = {"  portfolio jobs cleanup --older-than 30"})
  static final class Cleanup extends StoreCommand {
    @Option(
        names = "--older-than",
        required = true,
        paramLabel = "DAYS",
        description = "Jobs that finished more than this many days ago, 0 or more.")
    int days;

    @Override
    int run() throws Exception {
      CliIo io = io();
      if (days < 0) {
        throw CliException.usage("--older-than must be 0 or more days (was " + days + ")");
      }
      int deleted =
          withStore(2, (store, pool) -> PgJobQueue.on(store).cleanup(Duration.ofDays(days)));
      Map<String, Object> doc = Json.object();
      doc.put("olderThanDays", days);
      doc.put("deleted", deleted);
      print(
          doc,
          () ->
              io.out()
                  .printf(
                      "Deleted %s finished job%s older than %d day%s.%n",
                      Text.count(deleted), deleted == 1 ? "" : "s", days, days == 1 ? "" : "s"));
      return ExitCodes.OK;
    }
  }

  /** {@code portfolio jobs worker}. */
  @Command(
      name = "worker",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a job worker until Ctrl-C: it claims units of queued jobs (any number of workers, on"
            + " any hosts, share the queue), runs them, and saves their checkpoints. Ctrl-C stops"
            + " the running units at their next batch boundary and gives them back to the queue at"
            + " once; the process then exits with 130.",
        "Without --embedder it runs only the kinds that need none (switch, cleanup, backup); a"
            + " switch job's new model comes from its own parameters."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  portfolio jobs worker --embedder onnx",
        "  portfolio jobs worker --embedder openai --concurrency 4 --kinds reembed,ingest",
        "  portfolio jobs worker --kinds cleanup,backup",
      })
  static final class Worker extends StoreCommand {
    @Option(
        names = "--concurrency",
        paramLabel = "N",
        description = "Units this worker runs at once, 1 to 64 (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @Option(
        names = "--kinds",
        paramLabel = "KIND",
        split = ",",
        description =
            "Only these kinds, comma-separated: reembed, ingest, retry, switch, cleanup, backup"
                + " (default: every kind it can run).")
    List<String> kinds = new ArrayList<>();

    @Option(
        names = "--lease",
        paramLabel = "SECONDS",
        description =
            "How long a claim lasts without a heartbeat; a dead worker's units resume after it"
                + " (default: ${DEFAULT-VALUE}).")
    int leaseSeconds = 60;

    @Option(
        names = "--id",
        paramLabel = "ID",
        description =
            "The worker's id, recorded as the owner of its leases, 1 to 200 characters (default:"
                + " pid@host/random, e.g. 4242@build-7/9f3a1c).")
    String workerId;

    @Mixin EmbedderOptions embedder;

    /** The kinds a worker runs, with and without an embedder. */
    static final List<String> ALL_KINDS =
        List.of("reembed", "ingest", "retry", "switch", "cleanup", "backup");

    static final List<String> WITHOUT_EMBEDDER = List.of("switch", "cleanup", "backup");

    /** Checks --kinds against what the worker can run; package-private for the option tests. */
    void checkKinds(boolean withEmbedder) {
      List<String> known = withEmbedder ? ALL_KINDS : WITHOUT_EMBEDDER;
      for (String k : kinds) {
        if (!known.contains(k.strip())) {
          throw CliException.usage(
              "--kinds: this worker cannot run '"
                  + k.strip()
                  + "'; it runs "
                  + known
                  + (withEmbedder ? "" : " (reembed, ingest and retry need --embedder)"));
        }
      }
    }

    /** Keeps the handlers of the kinds asked for. */
    List<JobHandler> handlers(List<JobHandler> all) {
      if (kinds.isEmpty()) {
        return all;
      }
      return all.stream()
          .filter(h -> kinds.stream().anyMatch(k -> k.strip().equals(h.kind())))
          .toList();
    }

    @Override
    int run() throws Exception {
      CliIo io = io();
      if (concurrency < 1 || concurrency > 64) {
        throw CliException.usage(
            "--concurrency must be between 1 and 64 (was " + concurrency + ")");
      }
      if (leaseSeconds < 3 || leaseSeconds > 3600) {
        throw CliException.usage(
            "--lease must be between 3 and 3600 seconds (was " + leaseSeconds + ")");
      }
      ConfigFile config = connection.config(io);
      checkKinds(embedder.given(io, config));
      // A unit's re-embed reads, writes and embeds on several connections, plus its lock.
      int poolSize = Math.min(4 + concurrency * 8, 100);
      try (Embedder e = embedder.given(io, config) ? embedder.create(io, config, "worker") : null;
          Interrupts interrupts = Interrupts.install(io, "the job worker")) {
        return withStore(
            poolSize,
            (store, pool) -> {
              List<JobHandler> handlers =
                  handlers(maintenance(store, e, ProgressMode.NONE.reporter(io)).jobHandlers());
              JobWorker.Builder b =
                  JobWorker.builder(PgJobQueue.on(store))
                      .handlers(handlers)
                      .concurrency(concurrency)
                      .lease(Duration.ofSeconds(leaseSeconds));
              if (workerId != null) {
                b.workerId(workerId);
              }
              JobWorker worker = usage(b::build);
              worker.start();
              io.err()
                  .printf(
                      "Worker %s started: kinds %s, %d unit%s at once, lease %d s. Ctrl-C stops it.%n",
                      worker.id(),
                      handlers.stream().map(JobHandler::kind).toList(),
                      concurrency,
                      concurrency == 1 ? "" : "s",
                      leaseSeconds);
              io.err().flush();
              while (!interrupts.requested()) {
                Thread.sleep(100);
              }
              worker.close();
              io.err()
                  .printf(
                      "Worker %s stopped after completing %s unit%s and job step%s (plan, finish);"
                          + " units it was running went back to the queue.%n",
                      worker.id(),
                      Text.count(worker.completed()),
                      worker.completed() == 1 ? "" : "s",
                      worker.completed() == 1 ? "" : "s");
              io.err().flush();
              return ExitCodes.INTERRUPTED;
            });
      }
    }
  }
}
