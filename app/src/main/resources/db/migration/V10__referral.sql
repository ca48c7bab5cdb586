-- Referral and "help me" campaigns (issue 5): campaigns, personal share codes, attributions of new
-- friends to sharers, help tasks with their helpers, and the fulfilment notices owed to the ERP.
CREATE TABLE referral_campaigns (
    tenant_id          int NOT NULL REFERENCES tenants (id),
    id                 text NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
    name               text NOT NULL,
    kind               text NOT NULL CHECK (kind IN ('INVITE', 'HELP')),
    status             text NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED')),
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL CHECK (ends_at > starts_at),
    landing_url        text NOT NULL,
    sharer_reward      text,             -- coupon template for the sharer (INVITE)
    friend_rewards     text[] NOT NULL,  -- newcomer pack (INVITE) or the task owner's reward (HELP)
    helpers_needed     int CHECK (helpers_needed BETWEEN 1 AND 1000),
    task_hours         int CHECK (task_hours BETWEEN 1 AND 8760),
    fulfilment_webhook text,             -- a webhook endpoint name (/api/v1/webhooks/{name}), HELP only
    fulfilment_sku     text,
    created_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- One code per person and campaign; the code alone names both.
CREATE TABLE referral_codes (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    code        text COLLATE "C" NOT NULL,
    campaign_id text NOT NULL,
    person_id   uuid NOT NULL,
    identifier  text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, code),
    UNIQUE (tenant_id, campaign_id, person_id),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES referral_campaigns (tenant_id, id)
);

-- At most one row per friend and tenant: the first sharer wins, replays and duplicates are no-ops.
CREATE TABLE referral_attributions (
    tenant_id         int NOT NULL REFERENCES tenants (id),
    friend_person     uuid NOT NULL,
    friend_identifier text,
    campaign_id       text NOT NULL,
    code              text NOT NULL,
    sharer_person     uuid NOT NULL,
    via               text NOT NULL,
    event_message_id  text NOT NULL,
    status            text NOT NULL CHECK (status IN ('ATTRIBUTED', 'REWARDED', 'FLAGGED', 'EXISTING')),
    reason            text,
    rewards           text,
    occurred_at       timestamptz NOT NULL,
    decided_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, friend_person)
);
CREATE INDEX referral_attributions_sharer ON referral_attributions (tenant_id, sharer_person);
CREATE INDEX referral_attributions_unrewarded ON referral_attributions (decided_at) WHERE status = 'ATTRIBUTED';

-- Keyed hashes of devices (and other signals) seen in referral flows, with the people they were seen with.
CREATE TABLE referral_signals (
    tenant_id  int NOT NULL REFERENCES tenants (id),
    signal     text NOT NULL,
    value      text NOT NULL,
    person_id  uuid NOT NULL,
    seen_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, signal, value, person_id)
);
CREATE INDEX referral_signals_person ON referral_signals (tenant_id, person_id);

CREATE TABLE help_tasks (
    tenant_id        int NOT NULL REFERENCES tenants (id),
    id               text COLLATE "C" NOT NULL,
    campaign_id      text NOT NULL,
    owner_person     uuid NOT NULL,
    owner_identifier text NOT NULL,
    needed           int NOT NULL CHECK (needed > 0),
    helped           int NOT NULL DEFAULT 0 CHECK (helped BETWEEN 0 AND needed),
    status           text NOT NULL CHECK (status IN ('OPEN', 'COMPLETED')),
    rewards          text,
    started_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    rewarded_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, campaign_id, owner_person),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES referral_campaigns (tenant_id, id)
);
CREATE INDEX help_tasks_unrewarded ON help_tasks (completed_at) WHERE status = 'COMPLETED' AND rewarded_at IS NULL;

-- One row per friend and task: a friend helps a task once.
CREATE TABLE help_entries (
    tenant_id         int NOT NULL REFERENCES tenants (id),
    task_id           text COLLATE "C" NOT NULL,
    helper_person     uuid NOT NULL,
    helper_identifier text NOT NULL,
    counted           boolean NOT NULL,
    reason            text,
    helped_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, task_id, helper_person),
    FOREIGN KEY (tenant_id, task_id) REFERENCES help_tasks (tenant_id, id)
);

-- Signed POSTs owed to a fulfilment system (the ERP) when a help task completes, retried with backoff.
CREATE TABLE referral_notices (
    tenant_id       int NOT NULL REFERENCES tenants (id),
    message_id      text COLLATE "C" NOT NULL,
    endpoint        text NOT NULL,
    body            text NOT NULL,
    status          text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'DEAD')),
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX referral_notices_due ON referral_notices (next_attempt_at) WHERE status = 'PENDING';
