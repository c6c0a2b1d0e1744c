package dev.portfolio.maintenance.jobs;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A page of jobs and the number of jobs in each state (of the whole queue, not only the page).
 *
 * @param jobs the jobs, newest first
 * @param counts jobs per status; every status is present, with 0 when there are none
 * @since 0.1.0
 */
public record JobList(List<Job> jobs, Map<JobStatus, Long> counts) {
  /** Copies the components. */
  public JobList {
    jobs = List.copyOf(jobs);
    EnumMap<JobStatus, Long> all = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      all.put(s, counts.getOrDefault(s, 0L));
    }
    counts = java.util.Collections.unmodifiableMap(all);
  }

  /**
   * Returns the id to pass to {@link JobQuery#before(long)} for the next page.
   *
   * @return the last job's id, or 0 when the page is empty
   */
  public long nextBefore() {
    return jobs.isEmpty() ? 0 : jobs.get(jobs.size() - 1).id();
  }
}
