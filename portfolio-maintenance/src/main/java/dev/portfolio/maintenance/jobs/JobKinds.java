package dev.portfolio.maintenance.jobs;

/**
 * The kinds of job Portfolio knows. A kind is any name matching {@code ^[a-z][a-z0-9_.-]{0,62}$};
 * plugins use their own (preferably with a dot, {@code acme.export}).
 *
 * @since 0.1.0
 */
public final class JobKinds {
  /** Ingesting the files of a directory ({@link IngestJobHandler}). */
  public static final String INGEST = "ingest";

  /** Re-embedding a collection ({@link ReembedJobHandler}). */
  public static final String REEMBED = "reembed";

  /** Switching a collection's embedding model ({@link SwitchJobHandler}). */
  public static final String SWITCH = "switch";

  /** Retrying failed documents ({@link RetryJobHandler}). */
  public static final String RETRY = "retry";

  /** Purging deleted documents or orphaned rows ({@link CleanupJobHandler}). */
  public static final String CLEANUP = "cleanup";

  /** Backing up into a directory ({@link BackupJobHandler}). */
  public static final String BACKUP = "backup";

  private JobKinds() {}
}
