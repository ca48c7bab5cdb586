-- Journeys: versioned definitions, the durable journal of every step, the transactional outbox of
-- actions, and the send-policy settings and decisions (frequency caps, quiet hours, suppressions).
CREATE TABLE journeys (
    id              serial PRIMARY KEY,
    tenant_id       int NOT NULL REFERENCES tenants (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    status          text NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'PAUSED', 'ARCHIVED')),
    current_version int,
    draft           jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- A published version never changes; people who entered it stay on it.
CREATE TABLE journey_versions (
    journey_id   int NOT NULL REFERENCES journeys (id),
    version      int NOT NULL,
    definition   jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journey_id, version)
);

-- The steps that change where a person is (entered, waiting, converted, exited), in order: the
-- journey state is rebuilt from it after a restart. Passing an instant node (branch, action) is
-- only counted (journey_node_counts): replaying the waits re-derives it.
CREATE TABLE journey_journal (
    id         bigserial PRIMARY KEY,
    tenant_id  int NOT NULL,
    kind       text NOT NULL,
    journey_id int NOT NULL,
    version    int NOT NULL,
    person     int NOT NULL,
    entry      int NOT NULL,
    step       int NOT NULL,
    node       text NOT NULL,
    at         bigint NOT NULL,
    deadline   bigint NOT NULL,
    reason     text,
    vars       jsonb
);

-- Per journey, node, kind (ENTERED, AT, CONVERTED, EXITED) and reason: how many, for reports;
-- added to in the same transaction as the journal.
CREATE TABLE journey_node_counts (
    tenant_id  int NOT NULL,
    journey_id int NOT NULL,
    node       text NOT NULL,
    kind       text NOT NULL,
    reason     text NOT NULL DEFAULT '',
    n          bigint NOT NULL,
    PRIMARY KEY (journey_id, node, kind, reason)
);

-- Actions to perform, written in the same transaction as the steps that asked for them.
CREATE TABLE journey_outbox (
    action_id  text PRIMARY KEY,
    seq        bigserial,
    tenant_id  int NOT NULL,
    journey_id int NOT NULL,
    version    int NOT NULL,
    node       text NOT NULL,
    person     int NOT NULL,
    type       text NOT NULL,
    parameters jsonb NOT NULL,
    context    jsonb NOT NULL,
    status     text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'FAILED', 'SUPPRESSED')),
    reason     text,
    output     jsonb,
    attempts   int NOT NULL DEFAULT 0,
    not_before bigint NOT NULL,
    created_at bigint NOT NULL,
    done_at    bigint
);
CREATE INDEX journey_outbox_due ON journey_outbox (not_before, seq) WHERE status = 'PENDING';
CREATE INDEX journey_outbox_report ON journey_outbox (journey_id, node, status);

-- The last event whose journey consequences are durable; -1 until the first start sets it.
CREATE TABLE journey_cursor (
    id  int PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL
);
INSERT INTO journey_cursor VALUES (1, -1);

-- Per-tenant send policy (caps per channel, quiet hours, rate limits) as JSON.
CREATE TABLE send_policies (
    tenant_id  int PRIMARY KEY REFERENCES tenants (id),
    policy     jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Messages that went out, for frequency caps.
CREATE TABLE send_log (
    tenant_id int NOT NULL,
    person    uuid NOT NULL,
    channel   text NOT NULL,
    at        bigint NOT NULL
);
CREATE INDEX send_log_cap ON send_log (tenant_id, person, channel, at);

-- Every send held back (suppressed or deferred), with its reason.
CREATE TABLE send_decisions (
    id        bigserial PRIMARY KEY,
    tenant_id int NOT NULL,
    person    uuid NOT NULL,
    channel   text NOT NULL,
    decision  text NOT NULL CHECK (decision IN ('SUPPRESS', 'DEFER')),
    reason    text NOT NULL,
    at        bigint NOT NULL
);
CREATE INDEX send_decisions_tenant ON send_decisions (tenant_id, at);
