-- Portfolio schema version 5: the kind of a document's last failure, for retryFailed, and who holds
-- a collection's maintenance lock. (Versions 3 and 4 belong to other changes; migrations apply in
-- version order, whatever gaps there are.)
-- ${schema} is replaced by the quoted schema name; nothing else is substituted.

-- retriable: a transient error, retried whatever the attempt count; rejected (or NULL, a failure
-- recorded without a kind): retried while attempts are below the maximum; permanent: given up.
ALTER TABLE ${schema}.documents ADD COLUMN failure text;
ALTER TABLE ${schema}.documents ADD CONSTRAINT documents_failure_check
    CHECK (failure IN ('retriable', 'rejected', 'permanent'));

-- Purging soft-deleted documents reads them oldest deletion first.
CREATE INDEX documents_deleted_idx ON ${schema}.documents (collection_id, deleted_at, id)
    WHERE deleted_at IS NOT NULL;

-- The maintenance lock itself is a session-level advisory lock; this row says who holds it, so that
-- a refused caller can name the running operation. A row whose backend no longer holds the lock is
-- stale (its session ended) and is overwritten by the next holder.
CREATE TABLE ${schema}.maintenance_locks (
    collection_id bigint      NOT NULL PRIMARY KEY
        REFERENCES ${schema}.collections (id) ON DELETE CASCADE,
    operation     text        NOT NULL,
    host          text        NOT NULL,
    process_id    bigint      NOT NULL,
    backend_pid   integer     NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now()
);
