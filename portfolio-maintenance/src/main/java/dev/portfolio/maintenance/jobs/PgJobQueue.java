package dev.portfolio.maintenance.jobs;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.index.pgvector.PgVectorStore;
import dev.portfolio.index.schema.PortfolioSchema;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The job queue in PostgreSQL: tables {@code jobs} and {@code job_units} of the Portfolio schema
 * (version 3 and later). Every application instance that opens a queue on the same schema shares
 * the jobs; workers claim with {@code FOR UPDATE SKIP LOCKED}, so they never wait for each other
 * and never take the same job or unit twice while its lease runs. Lease times are the database's
 * clock ({@code now()}), so the clocks of the application hosts do not matter.
 *
 * <p>It needs only DML rights on the two tables ({@link PortfolioSchema#grantRuntimeAccess} grants
 * them) and works through the data source it is given (a pool, preferably); it holds no connection
 * between calls. Thread-safe.
 *
 * <pre>{@code
 * JobQueue queue = PgJobQueue.on(store);              // the store's data source and schema
 * Job job = queue.submit(ReembedJobHandler.request(ReembedOptions.builder("docs").build(), 5_000));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class PgJobQueue implements JobQueue, Coordination {
  /** The schema version that brought the jobs tables. */
  public static final int JOBS_SCHEMA_VERSION = 3;

  private static final int TX_ATTEMPTS = 5;
  private static final Pattern SCHEMA = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
  private static final String JOB_COLUMNS =
      "j.id, j.kind, j.params::text, j.status, j.phase, j.priority,"
          + " CASE WHEN c.total > 0 THEN c.progress ELSE j.progress_current END,"
          + " j.progress_total, j.checkpoint::text, j.attempts, j.max_attempts, j.error,"
          + " j.lease_owner, j.lease_expires_at, j.created_at, j.started_at, j.updated_at,"
          + " j.finished_at, c.total, c.queued, c.running, c.completed, c.failed, c.cancelled";

  private final DataSource dataSource;
  private final String schema;
  private final String jobs;
  private final String units;

  private PgJobQueue(DataSource dataSource, String schema) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.jobs = "\"" + schema + "\".jobs";
    this.units = "\"" + schema + "\".job_units";
  }

  /**
   * Opens the queue of a store's schema, on the store's data source.
   *
   * @param store the store
   * @return the queue
   * @throws dev.portfolio.core.error.PortfolioException SCHEMA_MISMATCH when the schema predates
   *     the jobs tables
   */
  public static PgJobQueue on(PgVectorStore store) {
    Inputs.requireNonNull("store", store);
    return create(store.dataSource(), store.schema());
  }

  /**
   * Opens the queue of a schema. Reads the schema's version once; creates nothing.
   *
   * @param dataSource the data source, pooled preferably
   * @param schema the Portfolio schema, version 3 or later
   * @return the queue
   * @throws InvalidInputException for an invalid schema name
   * @throws dev.portfolio.core.error.PortfolioException SCHEMA_MISMATCH when the schema is missing
   *     or predates the jobs tables, naming what to run
   */
  public static PgJobQueue create(DataSource dataSource, String schema) {
    Inputs.requireNonNull("dataSource", dataSource);
    if (schema == null || !SCHEMA.matcher(schema).matches()) {
      throw new InvalidInputException(
          "jobs.schema", "jobs.schema must match ^[a-z_][a-z0-9_]{0,62}$ (was '" + schema + "')");
    }
    int version = PortfolioSchema.installedVersion(dataSource, schema);
    if (version < JOBS_SCHEMA_VERSION) {
      throw new NonRetriableException(
          ErrorCode.SCHEMA_MISMATCH,
          "The Portfolio schema \""
              + schema
              + "\" is at version "
              + version
              + " but the job queue needs version "
              + JOBS_SCHEMA_VERSION
              + " or later. Upgrade it with PortfolioSchema.install (or `portfolio install`), or"
              + " apply the SQL of PortfolioSchema.writeSchema with fromVersion("
              + version
              + ").");
    }
    return new PgJobQueue(dataSource, schema);
  }

  /**
   * Returns the schema the queue works in.
   *
   * @return the schema name
   */
  public String schema() {
    return schema;
  }

  // ------------------------------------------------------------------------------ the queue

  @Override
  public Job submit(JobRequest request) {
    Inputs.requireNonNull("request", request);
    long id =
        call(
            "Submitting a " + request.kind() + " job",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO "
                          + jobs
                          + " (kind, params, priority, max_attempts) VALUES (?, ?::jsonb, ?, ?)"
                          + " RETURNING id")) {
                ps.setString(1, request.kind());
                ps.setString(2, Json.write(request.params()));
                ps.setInt(3, request.priority());
                ps.setInt(4, request.maxAttempts());
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              }
            });
    return require(id);
  }

  @Override
  public Optional<Job> get(long id) {
    return read(
        "Reading job " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(selectJobs() + " WHERE j.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(job(rs)) : Optional.<Job>empty();
            }
          }
        });
  }

  @Override
  public List<JobUnit> units(long id) {
    return read(
        "Reading the units of job " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT job_id, unit, params::text, status, progress_current, progress_total,"
                      + " checkpoint::text, attempts, error, lease_owner, lease_expires_at,"
                      + " started_at, finished_at FROM "
                      + units
                      + " WHERE job_id = ? ORDER BY unit")) {
            ps.setLong(1, id);
            List<JobUnit> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new JobUnit(
                        rs.getLong(1),
                        rs.getInt(2),
                        Json.read(rs.getString(3)),
                        UnitStatus.parse(rs.getString(4)),
                        rs.getLong(5),
                        total(rs, 6),
                        Json.read(rs.getString(7)),
                        rs.getInt(8),
                        rs.getString(9),
                        rs.getString(10),
                        instant(rs, 11),
                        instant(rs, 12),
                        instant(rs, 13)));
              }
            }
            return out;
          }
        });
  }

  @Override
  public JobList list(JobQuery query) {
    Inputs.requireNonNull("query", query);
    return read(
        "Listing jobs",
        c -> {
          Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT status, count(*) FROM " + jobs + " GROUP BY status");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts.put(JobStatus.parse(rs.getString(1)), rs.getLong(2));
            }
          }
          List<Job> page = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  selectJobs()
                      + " WHERE (cardinality(?::text[]) = 0 OR j.status = ANY(?::text[]))"
                      + " AND (?::text IS NULL OR j.kind = ?) AND (? = 0 OR j.id < ?)"
                      + " ORDER BY j.id DESC LIMIT ?")) {
            String[] statuses =
                query.statuses().stream().map(JobStatus::label).toArray(String[]::new);
            Array array = c.createArrayOf("text", statuses);
            ps.setArray(1, array);
            ps.setArray(2, array);
            ps.setString(3, query.kind());
            ps.setString(4, query.kind());
            ps.setLong(5, query.beforeId());
            ps.setLong(6, query.beforeId());
            ps.setInt(7, query.limit());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                page.add(job(rs));
              }
            }
          }
          return new JobList(page, counts);
        });
  }

  @Override
  public Job pause(long id) {
    control(
        id,
        "paused",
        status -> {
          if (status == JobStatus.COMPLETED
              || status == JobStatus.FAILED
              || status == JobStatus.CANCELLED) {
            throw Jobs.finished(id, status, "paused");
          }
          return status == JobStatus.PAUSED
              ? null
              : "UPDATE " + jobs + " SET status = 'paused', updated_at = now() WHERE id = ?";
        });
    return require(id);
  }

  @Override
  public Job resume(long id) {
    control(
        id,
        "resumed",
        status -> {
          if (status.finished()) {
            throw Jobs.finished(id, status, "resumed");
          }
          return status != JobStatus.PAUSED
              ? null
              : "UPDATE "
                  + jobs
                  + " SET status = CASE WHEN started_at IS NULL THEN 'queued' ELSE 'running' END,"
                  + " updated_at = now() WHERE id = ?";
        });
    return require(id);
  }

  @Override
  public Job cancel(long id) {
    control(
        id,
        "cancelled",
        status -> {
          if (status == JobStatus.COMPLETED || status == JobStatus.FAILED) {
            throw Jobs.finished(id, status, "cancelled");
          }
          return status == JobStatus.CANCELLED
              ? null
              : "WITH k AS (SELECT ?::bigint AS id), u AS (UPDATE "
                  + units
                  + " SET status = 'cancelled', finished_at = now(), updated_at = now()"
                  + " WHERE job_id = (SELECT id FROM k) AND status IN ('queued', 'running'))"
                  + " UPDATE "
                  + jobs
                  + " SET status = 'cancelled', finished_at = now(), updated_at = now()"
                  + " WHERE id = (SELECT id FROM k)";
        });
    return require(id);
  }

  @Override
  public int cleanup(Duration olderThan) {
    Inputs.requireNonNull("olderThan", olderThan);
    if (olderThan.isNegative()) {
      throw new InvalidInputException(
          "olderThan", "olderThan must be >= 0 (was " + olderThan + ")");
    }
    return read(
        "Deleting finished jobs",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM "
                      + jobs
                      + " WHERE status IN ('completed', 'failed', 'cancelled')"
                      + " AND finished_at < now() - make_interval(secs => ?)")) {
            ps.setDouble(1, seconds(olderThan));
            return ps.executeUpdate();
          }
        });
  }

  // ------------------------------------------------------------------------------ coordination

  @Override
  public Optional<Claim> claim(String owner, Set<String> kinds, Duration lease) {
    return call(
        "Claiming a job",
        c -> {
          Array kindArray = c.createArrayOf("text", kinds.toArray(String[]::new));
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobs
                      + " j SET status = 'running',"
                      + " phase = CASE WHEN j.phase = 'work' THEN 'finish' ELSE j.phase END,"
                      + " attempts = CASE WHEN j.phase = 'work' THEN 1 ELSE j.attempts + 1 END,"
                      + " lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?),"
                      + " started_at = coalesce(j.started_at, now()), heartbeat_at = now(),"
                      + " updated_at = now()"
                      + " FROM (SELECT c.id FROM "
                      + jobs
                      + " c WHERE c.kind = ANY(?) AND c.run_after <= now() AND ("
                      + "c.status = 'queued'"
                      + " OR (c.status = 'running' AND c.phase <> 'work'"
                      + " AND (c.lease_owner IS NULL OR c.lease_expires_at < now()))"
                      + " OR (c.status = 'running' AND c.phase = 'work' AND NOT EXISTS"
                      + " (SELECT 1 FROM "
                      + units
                      + " u WHERE u.job_id = c.id AND u.status <> 'completed')))"
                      + " ORDER BY c.priority DESC, c.id LIMIT 1 FOR UPDATE SKIP LOCKED) AS c"
                      + " WHERE j.id = c.id RETURNING j.id, j.phase, j.kind, j.params::text,"
                      + " j.checkpoint::text, j.progress_current, j.progress_total, j.attempts,"
                      + " j.max_attempts")) {
            ps.setString(1, owner);
            ps.setDouble(2, seconds(lease));
            ps.setArray(3, kindArray);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                return Optional.of(
                    new Claim(
                        new TaskKey(rs.getLong(1), -1),
                        JobPhase.parse(rs.getString(2)),
                        rs.getString(3),
                        Json.read(rs.getString(4)),
                        JobParams.empty(),
                        Json.read(rs.getString(5)),
                        rs.getLong(6),
                        total(rs, 7),
                        rs.getInt(8),
                        rs.getInt(9)));
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + units
                      + " u SET status = 'running', lease_owner = ?,"
                      + " lease_expires_at = now() + make_interval(secs => ?),"
                      + " attempts = u.attempts + 1, started_at = coalesce(u.started_at, now()),"
                      + " heartbeat_at = now(), updated_at = now()"
                      + " FROM (SELECT o.job_id, o.unit FROM "
                      + units
                      + " o JOIN "
                      + jobs
                      + " p ON p.id = o.job_id WHERE p.status = 'running' AND p.phase = 'work'"
                      + " AND p.kind = ANY(?) AND o.run_after <= now()"
                      + " AND (o.status = 'queued' OR (o.status = 'running'"
                      + " AND o.lease_expires_at < now()))"
                      + " ORDER BY p.priority DESC, p.id, o.unit LIMIT 1"
                      + " FOR UPDATE OF o SKIP LOCKED) AS c, "
                      + jobs
                      + " j WHERE u.job_id = c.job_id AND u.unit = c.unit AND j.id = c.job_id"
                      + " RETURNING u.job_id, u.unit, j.kind, j.params::text, u.params::text,"
                      + " u.checkpoint::text, u.progress_current, u.progress_total, u.attempts,"
                      + " j.max_attempts")) {
            ps.setString(1, owner);
            ps.setDouble(2, seconds(lease));
            ps.setArray(3, kindArray);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                return Optional.of(
                    new Claim(
                        new TaskKey(rs.getLong(1), rs.getInt(2)),
                        JobPhase.WORK,
                        rs.getString(3),
                        Json.read(rs.getString(4)),
                        Json.read(rs.getString(5)),
                        Json.read(rs.getString(6)),
                        rs.getLong(7),
                        total(rs, 8),
                        rs.getInt(9),
                        rs.getInt(10)));
              }
            }
          }
          return Optional.<Claim>empty();
        });
  }

  @Override
  public boolean commitPlan(long jobId, String owner, List<WorkUnit> plan) {
    long total = 0;
    for (WorkUnit u : plan) {
      total = total < 0 || u.total() < 0 ? -1 : total + u.total();
    }
    long jobTotal = total;
    return tx(
        "Committing the plan of job " + jobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobs
                      + " SET phase = 'work', lease_owner = NULL, lease_expires_at = NULL,"
                      + " progress_current = 0, progress_total = ?, updated_at = now()"
                      + " WHERE id = ? AND lease_owner = ? AND phase = 'plan'"
                      + " AND status IN ('running', 'paused')")) {
            setTotal(ps, 1, jobTotal);
            ps.setLong(2, jobId);
            ps.setString(3, owner);
            if (ps.executeUpdate() == 0) {
              return false;
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + units
                      + " (job_id, unit, params, progress_total) VALUES (?, ?, ?::jsonb, ?)")) {
            for (int i = 0; i < plan.size(); i++) {
              ps.setLong(1, jobId);
              ps.setInt(2, i);
              ps.setString(3, Json.write(plan.get(i).params()));
              setTotal(ps, 4, plan.get(i).total());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return true;
        });
  }

  @Override
  public Map<TaskKey, JobStatus> heartbeat(String owner, Collection<TaskKey> held, Duration lease) {
    if (held.isEmpty()) {
      return Map.of();
    }
    return call(
        "Renewing the leases of worker " + owner,
        c -> {
          Map<TaskKey, JobStatus> out = new HashMap<>();
          List<Long> jobIds = new ArrayList<>();
          List<Long> unitJobs = new ArrayList<>();
          List<Integer> unitNos = new ArrayList<>();
          for (TaskKey k : held) {
            if (k.jobLevel()) {
              jobIds.add(k.jobId());
            } else {
              unitJobs.add(k.jobId());
              unitNos.add(k.unit());
            }
          }
          if (!unitJobs.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE "
                        + units
                        + " u SET lease_expires_at = now() + make_interval(secs => ?),"
                        + " heartbeat_at = now() FROM unnest(?::bigint[], ?::int[]) AS h(job_id,"
                        + " unit), "
                        + jobs
                        + " j WHERE u.job_id = h.job_id AND u.unit = h.unit AND j.id = u.job_id"
                        + " AND u.lease_owner = ? RETURNING u.job_id, u.unit, j.status,"
                        + " u.status")) {
              ps.setDouble(1, seconds(lease));
              ps.setArray(2, c.createArrayOf("bigint", unitJobs.toArray()));
              ps.setArray(3, c.createArrayOf("integer", unitNos.toArray()));
              ps.setString(4, owner);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  // A unit still leased to this worker that is no longer running was ended by a
                  // cancellation or its job's failure (the job row read here may predate that).
                  out.put(
                      new TaskKey(rs.getLong(1), rs.getInt(2)),
                      rs.getString(4).equals("running")
                          ? JobStatus.parse(rs.getString(3))
                          : JobStatus.CANCELLED);
                }
              }
            }
          }
          if (!jobIds.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE "
                        + jobs
                        + " SET lease_expires_at = now() + make_interval(secs => ?),"
                        + " heartbeat_at = now() WHERE id = ANY(?) AND lease_owner = ?"
                        + " RETURNING id, status")) {
              ps.setDouble(1, seconds(lease));
              ps.setArray(2, c.createArrayOf("bigint", jobIds.toArray()));
              ps.setString(3, owner);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.put(new TaskKey(rs.getLong(1), -1), JobStatus.parse(rs.getString(2)));
                }
              }
            }
          }
          return out;
        });
  }

  @Override
  public Optional<JobStatus> checkpoint(
      TaskKey key, String owner, JobParams checkpoint, long current, long total) {
    return call(
        "Committing a checkpoint of " + key,
        c -> {
          String sql =
              key.jobLevel()
                  ? "UPDATE "
                      + jobs
                      + " j SET checkpoint = ?::jsonb, updated_at = now()"
                      + " WHERE j.id = ? AND j.lease_owner = ? RETURNING j.status"
                  : "UPDATE "
                      + units
                      + " u SET checkpoint = ?::jsonb, progress_current = ?, progress_total = ?,"
                      + " updated_at = now() WHERE job_id = ? AND unit = ? AND lease_owner = ?"
                      + " RETURNING CASE WHEN u.status = 'running' THEN (SELECT j.status FROM "
                      + jobs
                      + " j WHERE j.id = u.job_id) ELSE 'cancelled' END";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Json.write(checkpoint));
            if (key.jobLevel()) {
              ps.setLong(2, key.jobId());
              ps.setString(3, owner);
            } else {
              ps.setLong(2, current);
              setTotal(ps, 3, total);
              ps.setLong(4, key.jobId());
              ps.setInt(5, key.unit());
              ps.setString(6, owner);
            }
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(JobStatus.parse(rs.getString(1)))
                  : Optional.<JobStatus>empty();
            }
          }
        });
  }

  @Override
  public boolean completeUnit(
      TaskKey key, String owner, JobParams checkpoint, long current, long total) {
    return tx(
        "Completing " + key,
        c -> {
          int n;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + units
                      + " SET status = 'completed', checkpoint = ?::jsonb, progress_current = ?,"
                      + " progress_total = ?, lease_owner = NULL, lease_expires_at = NULL,"
                      + " error = NULL, finished_at = now(), updated_at = now()"
                      + " WHERE job_id = ? AND unit = ? AND lease_owner = ? AND status = 'running'"
                      + " RETURNING job_id")) {
            ps.setString(1, Json.write(checkpoint));
            ps.setLong(2, current);
            setTotal(ps, 3, total);
            ps.setLong(4, key.jobId());
            ps.setInt(5, key.unit());
            ps.setString(6, owner);
            try (ResultSet rs = ps.executeQuery()) {
              n = rs.next() ? 1 : 0;
            }
          }
          // Idempotent: a retry after a connection lost once the first attempt had committed.
          return n > 0 || "completed".equals(unitStatus(c, key));
        });
  }

  @Override
  public void releaseUnit(
      TaskKey key, String owner, JobParams checkpoint, long current, long total) {
    tx(
        "Releasing " + key,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + units
                      + " SET status = 'queued', checkpoint = ?::jsonb, progress_current = ?,"
                      + " progress_total = ?, lease_owner = NULL, lease_expires_at = NULL,"
                      + " attempts = greatest(attempts - 1, 0), updated_at = now()"
                      + " WHERE job_id = ? AND unit = ? AND lease_owner = ? AND status = 'running'")) {
            ps.setString(1, Json.write(checkpoint));
            ps.setLong(2, current);
            setTotal(ps, 3, total);
            ps.setLong(4, key.jobId());
            ps.setInt(5, key.unit());
            ps.setString(6, owner);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void fail(
      TaskKey key, String owner, String error, boolean retriable, Duration retryDelay) {
    tx(
        "Recording the failure of " + key,
        c -> {
          String outcome;
          if (key.jobLevel()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE "
                        + jobs
                        + " SET status = CASE WHEN ? AND attempts < max_attempts THEN status"
                        + " ELSE 'failed' END, error = ?, lease_owner = NULL,"
                        + " lease_expires_at = NULL, run_after = now() + make_interval(secs => ?),"
                        + " updated_at = now() WHERE id = ? AND lease_owner = ?"
                        + " AND status IN ('running', 'paused') RETURNING status")) {
              ps.setBoolean(1, retriable);
              ps.setString(2, error);
              ps.setDouble(3, seconds(retryDelay));
              ps.setLong(4, key.jobId());
              ps.setString(5, owner);
              try (ResultSet rs = ps.executeQuery()) {
                outcome = rs.next() ? rs.getString(1) : null;
              }
            }
          } else {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE "
                        + units
                        + " u SET status = CASE WHEN ? AND u.attempts < j.max_attempts"
                        + " THEN 'queued' ELSE 'failed' END, error = ?, lease_owner = NULL,"
                        + " lease_expires_at = NULL,"
                        + " run_after = now() + make_interval(secs => ?), updated_at = now()"
                        + " FROM "
                        + jobs
                        + " j WHERE j.id = u.job_id AND u.job_id = ? AND u.unit = ?"
                        + " AND u.lease_owner = ? AND u.status = 'running' RETURNING u.status")) {
              ps.setBoolean(1, retriable);
              ps.setString(2, error);
              ps.setDouble(3, seconds(retryDelay));
              ps.setLong(4, key.jobId());
              ps.setInt(5, key.unit());
              ps.setString(6, owner);
              try (ResultSet rs = ps.executeQuery()) {
                outcome = rs.next() ? rs.getString(1) : null;
              }
            }
            if (outcome != null) {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE " + jobs + " SET error = ?, updated_at = now() WHERE id = ?")) {
                ps.setString(1, key + ": " + error);
                ps.setLong(2, key.jobId());
                ps.executeUpdate();
              }
            }
          }
          if ("failed".equals(outcome)) {
            failJob(c, key.jobId(), key + ": " + error);
          }
          return null;
        });
  }

  @Override
  public boolean completeJob(long jobId, String owner) {
    return tx(
        "Completing job " + jobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobs
                      + " j SET status = 'completed', lease_owner = NULL, lease_expires_at = NULL,"
                      + " error = NULL, finished_at = now(), updated_at = now(),"
                      + " progress_current = coalesce((SELECT sum(u.progress_current) FROM "
                      + units
                      + " u WHERE u.job_id = j.id), j.progress_current)"
                      + " WHERE j.id = ? AND j.lease_owner = ? AND j.status IN ('running', 'paused')")) {
            ps.setLong(1, jobId);
            ps.setString(2, owner);
            if (ps.executeUpdate() > 0) {
              return true;
            }
          }
          return get(c, jobId).map(j -> j.status() == JobStatus.COMPLETED).orElse(false);
        });
  }

  @Override
  public void releaseJob(long jobId, String owner) {
    call(
        "Releasing job " + jobId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobs
                      + " SET lease_owner = NULL, lease_expires_at = NULL,"
                      + " attempts = greatest(attempts - 1, 0), updated_at = now()"
                      + " WHERE id = ? AND lease_owner = ?")) {
            ps.setLong(1, jobId);
            ps.setString(2, owner);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public int releaseUnknown(String owner, Collection<TaskKey> held) {
    return tx(
        "Releasing the unknown claims of worker " + owner,
        c -> {
          List<Long> jobIds = new ArrayList<>();
          List<Long> unitJobs = new ArrayList<>();
          List<Integer> unitNos = new ArrayList<>();
          for (TaskKey k : held) {
            if (k.jobLevel()) {
              jobIds.add(k.jobId());
            } else {
              unitJobs.add(k.jobId());
              unitNos.add(k.unit());
            }
          }
          int n;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + units
                      + " SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL,"
                      + " attempts = greatest(attempts - 1, 0), updated_at = now()"
                      + " WHERE lease_owner = ? AND status = 'running' AND (job_id, unit) NOT IN"
                      + " (SELECT * FROM unnest(?::bigint[], ?::int[]))")) {
            ps.setString(1, owner);
            ps.setArray(2, c.createArrayOf("bigint", unitJobs.toArray()));
            ps.setArray(3, c.createArrayOf("integer", unitNos.toArray()));
            n = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + jobs
                      + " SET lease_owner = NULL, lease_expires_at = NULL,"
                      + " attempts = greatest(attempts - 1, 0), updated_at = now()"
                      + " WHERE lease_owner = ? AND NOT (id = ANY(?::bigint[]))")) {
            ps.setString(1, owner);
            ps.setArray(2, c.createArrayOf("bigint", jobIds.toArray()));
            n += ps.executeUpdate();
          }
          return n;
        });
  }

  @Override
  public String toString() {
    return "PgJobQueue[schema=" + schema + "]";
  }

  // ------------------------------------------------------------------------------ plumbing

  private void failJob(Connection c, long jobId, String error) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH k AS (SELECT ?::bigint AS id, ?::text AS error), u AS (UPDATE "
                + units
                + " SET status = 'cancelled', finished_at = now(), updated_at = now()"
                + " WHERE job_id = (SELECT id FROM k) AND status IN ('queued', 'running'))"
                + " UPDATE "
                + jobs
                + " SET status = 'failed', error = (SELECT error FROM k), finished_at = now(),"
                + " updated_at = now(), lease_owner = NULL, lease_expires_at = NULL"
                + " WHERE id = (SELECT id FROM k) AND status IN ('queued', 'running', 'paused')")) {
      ps.setLong(1, jobId);
      ps.setString(2, error);
      ps.executeUpdate();
    }
  }

  private String unitStatus(Connection c, TaskKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT status FROM " + units + " WHERE job_id = ? AND unit = ?")) {
      ps.setLong(1, key.jobId());
      ps.setInt(2, key.unit());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Locks the job, lets {@code decide} say what to run for its status, and runs it. */
  private void control(long id, String action, StatusDecision decide) {
    tx(
        "Job " + id + " " + action,
        c -> {
          String status;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT status FROM " + jobs + " WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw Jobs.notFound(id);
              }
              status = rs.getString(1);
            }
          }
          String sql = decide.sql(JobStatus.parse(status));
          if (sql != null) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setLong(1, id);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  private interface StatusDecision {
    String sql(JobStatus status);
  }

  private Optional<Job> get(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(selectJobs() + " WHERE j.id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(job(rs)) : Optional.empty();
      }
    }
  }

  private String selectJobs() {
    return "SELECT "
        + JOB_COLUMNS
        + " FROM "
        + jobs
        + " j CROSS JOIN LATERAL (SELECT count(*) AS total,"
        + " coalesce(sum(u.progress_current), 0) AS progress,"
        + " count(*) FILTER (WHERE u.status = 'queued') AS queued,"
        + " count(*) FILTER (WHERE u.status = 'running') AS running,"
        + " count(*) FILTER (WHERE u.status = 'completed') AS completed,"
        + " count(*) FILTER (WHERE u.status = 'failed') AS failed,"
        + " count(*) FILTER (WHERE u.status = 'cancelled') AS cancelled FROM "
        + units
        + " u WHERE u.job_id = j.id) AS c";
  }

  private static Job job(ResultSet rs) throws SQLException {
    return new Job(
        rs.getLong(1),
        rs.getString(2),
        Json.read(rs.getString(3)),
        JobStatus.parse(rs.getString(4)),
        JobPhase.parse(rs.getString(5)),
        rs.getInt(6),
        rs.getLong(7),
        total(rs, 8),
        Json.read(rs.getString(9)),
        rs.getInt(10),
        rs.getInt(11),
        rs.getString(12),
        rs.getString(13),
        instant(rs, 14),
        instant(rs, 15),
        instant(rs, 16),
        instant(rs, 17),
        instant(rs, 18),
        new UnitCounts(
            rs.getInt(19),
            rs.getInt(20),
            rs.getInt(21),
            rs.getInt(22),
            rs.getInt(23),
            rs.getInt(24)));
  }

  private static long total(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? -1 : v;
  }

  private static void setTotal(PreparedStatement ps, int index, long total) throws SQLException {
    if (total < 0) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, total);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs idempotent work (reads, the cleanup) in autocommit, again after a lost connection, up to
   * {@value #TX_ATTEMPTS} times.
   */
  private <T> T read(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call(what, work);
      } catch (dev.portfolio.core.error.RetriableException e) {
        if (attempt >= TX_ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(ThreadLocalRandom.current().nextInt(5, 20 * attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Runs work on a connection in autocommit (single statements). */
  private <T> T call(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    } catch (SQLException e) {
      throw PgErrors.translate(what, e);
    }
  }

  /**
   * Runs work in one transaction; a deadlock or serialization failure (a worker's unit update
   * meeting a cancellation) is rolled back and run again, up to {@value #TX_ATTEMPTS} times.
   */
  private <T> T tx(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work);
      } catch (SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean conflict = state.equals("40P01") || state.equals("40001");
        if (!conflict || attempt >= TX_ATTEMPTS) {
          throw PgErrors.translate(what, e);
        }
        try {
          Thread.sleep(ThreadLocalRandom.current().nextInt(5, 20 * attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw PgErrors.translate(what, e);
        }
      }
    }
  }

  private <T> T once(SqlWork<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        try {
          c.setAutoCommit(true);
        } catch (SQLException ignored) {
          // the connection is broken; the pool discards it
        }
      }
    }
  }
}
