-- Issue 4 restart: a snapshot of each tenant's journey book (ADR 0005 addendum), so a restart reads
-- the snapshot and only the journal rows after it instead of the whole journal. One snapshot per
-- tenant, replaced in one transaction; journal_id is the last journal row it covers.
CREATE TABLE journey_snapshots (
    tenant_id  int PRIMARY KEY,
    journal_id bigint NOT NULL,
    taken_at   bigint NOT NULL,
    people     bigint NOT NULL,
    rows       bigint NOT NULL
);

-- The snapshot's rows: kind 'E' a person in a journey (at node, step, until deadline, entered at
-- `at`), 'H' a person who left after `entry` entries (the last at `at`), 'S' a scheduled journey's
-- last broadcast (person -1).
CREATE TABLE journey_snapshot_rows (
    tenant_id  int NOT NULL,
    kind       "char" NOT NULL,
    journey_id int NOT NULL,
    version    int NOT NULL,
    person     int NOT NULL,
    entry      int NOT NULL,
    step       int NOT NULL,
    node       text,
    at         bigint NOT NULL,
    deadline   bigint NOT NULL,
    vars       jsonb
);
CREATE INDEX journey_snapshot_rows_person ON journey_snapshot_rows (tenant_id, person);
