-- Control plane: tenants (brands), their write keys (ingestion) and API tokens (management).
CREATE TABLE tenants (
    id          serial PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Keys are stored as SHA-256 hashes; the plain key is shown once, at creation.
CREATE TABLE write_keys (
    id          serial PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    key_hash    text NOT NULL UNIQUE,
    key_prefix  text NOT NULL,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE api_tokens (
    id          serial PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    token_hash  text NOT NULL UNIQUE,
    token_prefix text NOT NULL,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- The event log: the system of record. Append-only, numbered by the engine's single writer.
CREATE TABLE event_log (
    seq         bigint PRIMARY KEY,
    tenant_id   int NOT NULL,
    received_at timestamptz NOT NULL,
    body        bytea NOT NULL
);

-- Events that broke their schema: kept with the reasons, never silently dropped.
CREATE TABLE quarantine (
    id          bigserial PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    received_at timestamptz NOT NULL,
    source      text NOT NULL,
    event_name  text,
    message_id  text,
    reasons     jsonb NOT NULL,
    payload     text NOT NULL
);
CREATE INDEX quarantine_tenant ON quarantine (tenant_id, id);

-- Operators' identity rulings, applied from the first event when a tenant is rebuilt.
CREATE TABLE identity_rules (
    id               bigserial PRIMARY KEY,
    tenant_id        int NOT NULL REFERENCES tenants (id),
    kind             text NOT NULL CHECK (kind IN ('DISTINCT')),
    left_identifier  text NOT NULL,
    right_identifier text NOT NULL,
    since_seq        bigint NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
