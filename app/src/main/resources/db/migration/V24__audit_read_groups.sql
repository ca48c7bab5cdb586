-- Audited reads stored per writer group (issue 7, session 6): one row per group instead of one row
-- (and two index entries) per read. `packed` holds the group's reads in seq order, each as
-- int64 seq, int32 tenant (-2^31 for none), int64 epoch millis, then actor, action, subject and
-- detail each as int32 length and UTF-8: the same field layout the group's seal (ReadSeal) hashes.
-- `tenants` and `subjects` are the group's distinct tenants and subjects, so a tenant's page and
-- "who read this person" pick the groups to decode without an index entry per read. Stored
-- uncompressed (EXTERNAL): the seal, not compression, is what matters, and pglz would cost the
-- writer's transaction more CPU than the bytes it saves. audit_reads keeps the rows written before.
CREATE TABLE audit_read_groups (
    first_seq  bigint PRIMARY KEY,
    last_seq   bigint NOT NULL,
    reads      int NOT NULL,
    tenants    int[] NOT NULL,
    subjects   text[] NOT NULL,
    packed     bytea NOT NULL
);
ALTER TABLE audit_read_groups ALTER COLUMN packed SET STORAGE EXTERNAL;
ALTER TABLE audit_read_groups ALTER COLUMN subjects SET STORAGE EXTERNAL;

CREATE TRIGGER audit_read_groups_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_read_groups
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_read_groups_no_truncate BEFORE TRUNCATE ON audit_read_groups
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
