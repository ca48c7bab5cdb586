-- Channels (issue 5): message templates, the durable outbox of sends, webhook endpoints, the in-app inbox.
CREATE TABLE message_templates (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    channel     text NOT NULL,
    subject     text,
    body        text NOT NULL,
    marketing   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

-- One row per message, keyed by the action id so a retried action never becomes a second message.
CREATE TABLE message_outbox (
    tenant_id       int NOT NULL REFERENCES tenants (id),
    message_id      text COLLATE "C" NOT NULL, -- byte order: ids are compared, never sorted for people
    person_id       uuid,
    channel         text NOT NULL,
    template        text,
    address         text NOT NULL,
    subject         text,
    body            text NOT NULL,
    marketing       boolean NOT NULL,
    origin          text NOT NULL,
    status          text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'DEAD')),
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    provider_ref    text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX message_outbox_due ON message_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX message_outbox_dead ON message_outbox (tenant_id, created_at) WHERE status = 'DEAD';

CREATE TABLE webhook_endpoints (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    url         text NOT NULL,
    secret      bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE inbox_messages (
    id          bigserial PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    person_id   uuid NOT NULL,
    message_id  text NOT NULL,
    title       text,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL,
    read_at     timestamptz,
    UNIQUE (tenant_id, message_id)
);
CREATE INDEX inbox_messages_person ON inbox_messages (tenant_id, person_id, id DESC);

-- Coupons (issue 5): templates with their stock, and every coupon ever issued.
CREATE TABLE coupon_templates (
    tenant_id        int NOT NULL REFERENCES tenants (id),
    id               text NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
    name             text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('FIXED', 'PERCENT', 'THRESHOLD', 'FREE_SHIPPING')),
    amount_fen       bigint NOT NULL CHECK (amount_fen >= 0),
    percent_off      int NOT NULL CHECK (percent_off BETWEEN 0 AND 99),
    threshold_fen    bigint NOT NULL CHECK (threshold_fen >= 0),
    total_stock      int NOT NULL CHECK (total_stock >= 0),
    per_person_limit int NOT NULL CHECK (per_person_limit >= 1),
    valid_from       timestamptz,
    valid_until      timestamptz,
    valid_for_secs   bigint,
    categories       text[] NOT NULL DEFAULT '{}',
    products         text[] NOT NULL DEFAULT '{}',
    stacks_with_member_discount boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- serial numbers a coupon's place in the stock: unique and at most the stock, so the table itself
-- cannot hold more coupons than the template had, whatever a bug upstream does.
CREATE TABLE coupons (
    tenant_id    int NOT NULL REFERENCES tenants (id),
    code         text COLLATE "C" NOT NULL,
    template_id  text NOT NULL,
    serial       int NOT NULL,
    stock        int NOT NULL,
    person_id    uuid NOT NULL,
    status       text NOT NULL CHECK (status IN ('ISSUED', 'REDEEMED', 'EXPIRED', 'VOIDED')),
    issued_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    redeemed_at  timestamptz,
    order_id     text,
    discount_fen bigint,
    identifier   text NOT NULL,
    -- the event this row still owes the log (Coupon Issued, Coupon Redeemed …); null once recorded
    pending_event text,
    action_id    text,
    device       text,
    phone_hash   text,
    payment_account text,
    PRIMARY KEY (tenant_id, code),
    UNIQUE (tenant_id, template_id, serial),
    CHECK (serial BETWEEN 1 AND stock),
    FOREIGN KEY (tenant_id, template_id) REFERENCES coupon_templates (tenant_id, id)
);
CREATE INDEX coupons_person ON coupons (tenant_id, person_id);
CREATE INDEX coupons_expiring ON coupons (expires_at) WHERE status = 'ISSUED';
-- a journey action issues at most one coupon, however often it is retried
CREATE UNIQUE INDEX coupons_action ON coupons (tenant_id, action_id) WHERE action_id IS NOT NULL;
CREATE INDEX coupons_pending_event ON coupons (tenant_id) WHERE pending_event IS NOT NULL;
CREATE INDEX coupons_device ON coupons (tenant_id, device) WHERE device IS NOT NULL;
CREATE INDEX coupons_phone ON coupons (tenant_id, phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX coupons_payment ON coupons (tenant_id, payment_account) WHERE payment_account IS NOT NULL;

-- One device, phone or payment account claiming for several accounts: coupon farming (薅羊毛).
CREATE TABLE coupon_abuse_flags (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    signal      text NOT NULL CHECK (signal IN ('device', 'phone', 'payment_account')),
    value       text NOT NULL,
    people      int NOT NULL,
    flagged_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, signal, value)
);

-- WeCom's per-customer limit on mass messages is checked against what the outbox already sent.
CREATE INDEX message_outbox_sent_to ON message_outbox (tenant_id, channel, address, sent_at) WHERE status = 'SENT';
