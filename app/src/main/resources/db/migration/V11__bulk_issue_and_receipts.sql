-- Issue 5, second round: bulk coupon issue to a segment, and delivery receipts.

-- One bulk issue of a template to a segment's members. (tenant, template, request_key) is the
-- idempotency key: posting it again answers this job, and each person's coupon carries the
-- action id 'segment:<request_key>:<person>', so a resumed job never issues a person twice.
CREATE TABLE coupon_issue_jobs (
    tenant_id    int NOT NULL REFERENCES tenants (id),
    id           text NOT NULL,
    template_id  text NOT NULL,
    segment      text NOT NULL,
    request_key  text NOT NULL,
    status       text NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    members      int NOT NULL DEFAULT 0,
    issued       int NOT NULL DEFAULT 0,
    repeated     int NOT NULL DEFAULT 0,
    skipped      jsonb NOT NULL DEFAULT '{}',
    error        text,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, template_id, request_key),
    FOREIGN KEY (tenant_id, template_id) REFERENCES coupon_templates (tenant_id, id)
);

-- What became of a message after the remote accepted it: a delivery report, a bounce.
ALTER TABLE message_outbox ADD COLUMN delivered_at timestamptz;
ALTER TABLE message_outbox ADD COLUMN delivery_error text;
-- receipts name the remote's id for a message (Yunpian sid, WeChat msgid); null until sent, so the
-- decision path's inserts never touch this index
CREATE INDEX message_outbox_provider_ref ON message_outbox (channel, provider_ref) WHERE provider_ref IS NOT NULL;

-- Claims are group-committed: instead of flagging every new coupon row with the event it owes and
-- clearing each flag again (a second version of every row), a batch of new coupons owes its events
-- through one row here, written in the same transaction and deleted once the events are in the log.
CREATE TABLE coupon_owed_batches (
    id          bigserial PRIMARY KEY,
    tenant_ids  int[] NOT NULL,
    codes       text[] NOT NULL,
    events      text[] NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (cardinality(tenant_ids) = cardinality(codes) AND cardinality(codes) = cardinality(events))
);
