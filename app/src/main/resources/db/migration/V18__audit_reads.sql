-- Reads of personal data, audited in groups (issue 7 follow-up): each read is a plain row numbered
-- in the audit sequence, and the chained audit_log entry that closes the writer's group (action
-- 'audit.reads-sealed') carries the count and digests of the reads since the previous one. A read
-- costs a row and a SHA-256 instead of an HMAC-chained entry; verification still finds any read
-- altered, removed or reordered. Append-only like audit_log.
CREATE TABLE audit_reads (
    seq        bigint PRIMARY KEY,
    tenant_id  int,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    subject    text NOT NULL,
    detail     text NOT NULL
);
CREATE INDEX audit_reads_subject ON audit_reads (tenant_id, subject);

CREATE TRIGGER audit_reads_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_reads
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_reads_no_truncate BEFORE TRUNCATE ON audit_reads
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
