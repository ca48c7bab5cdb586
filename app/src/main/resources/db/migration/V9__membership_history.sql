-- Who entered or left a saved segment, and who got or lost a rule tag, and when: the durable
-- record of derived memberships (manual tags are Tag Assigned / Tag Removed events in the log).
-- The key makes a change recorded twice (after a retry) one row.
CREATE TABLE membership_changes (
    tenant_id  int NOT NULL REFERENCES tenants (id),
    person     int NOT NULL,
    name       text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('SEGMENT', 'TAG')),
    entered    boolean NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, person, name, at, entered)
);

CREATE INDEX membership_changes_by_name ON membership_changes (tenant_id, name, at);
