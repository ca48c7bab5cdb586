-- Customer service over WeCom Customer Service (微信客服, issue 6): each brand's kf secret, the
-- sync_msg cursor per kf account, the message ids already taken in, which conversation belongs to
-- which (kf account, customer), and the replies waiting to go out through kf/send_msg.
CREATE TABLE service_wecom_kf_settings (
    tenant_id      int PRIMARY KEY REFERENCES tenants (id),
    secret_sealed  bytea NOT NULL,
    api_base       text NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE service_wecom_kf_cursors (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    open_kfid   text NOT NULL,
    cursor      text NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, open_kfid)
);

CREATE TABLE service_wecom_kf_seen (
    tenant_id  int NOT NULL REFERENCES tenants (id),
    msgid      text NOT NULL,
    seen_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, msgid)
);

CREATE TABLE service_wecom_kf_threads (
    conversation_id  uuid PRIMARY KEY REFERENCES service_conversations (id),
    tenant_id        int NOT NULL REFERENCES tenants (id),
    corp_id          text NOT NULL,
    open_kfid        text NOT NULL,
    external_userid  text NOT NULL,
    created_at       timestamptz NOT NULL,
    UNIQUE (tenant_id, open_kfid, external_userid)
);

CREATE TABLE service_wecom_kf_outbox (
    id               bigserial PRIMARY KEY,
    tenant_id        int NOT NULL REFERENCES tenants (id),
    conversation_id  uuid NOT NULL REFERENCES service_conversations (id),
    seq              int NOT NULL,
    text             text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         int NOT NULL DEFAULT 0,
    last_error       text,
    wecom_msgid      text,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    UNIQUE (conversation_id, seq)
);
CREATE INDEX service_wecom_kf_outbox_pending ON service_wecom_kf_outbox (tenant_id, id) WHERE status = 'pending';
