-- Privacy and access control (issue 7): roles, personal access tokens, OAuth2 clients, login
-- lockout, write-key scopes and rate limits, the hash-chained audit log, data keys for
-- crypto-shredding, erasures and account freezes.

-- Roles on tenant API tokens; tokens issued before roles existed keep full rights in their tenant.
ALTER TABLE api_tokens ADD COLUMN role text NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'operator', 'analyst', 'agent', 'auditor'));

-- Write keys: which Segment calls a key may make, and how many requests a second.
ALTER TABLE write_keys ADD COLUMN scopes text[] NOT NULL
    DEFAULT ARRAY['track', 'identify', 'page', 'screen', 'group', 'alias', 'batch'];
-- The default is above what one server ingests (about 20,000 requests a second), so it only stops a runaway client.
ALTER TABLE write_keys ADD COLUMN rate_per_second int NOT NULL DEFAULT 50000 CHECK (rate_per_second > 0);

-- People who sign in to the console; passwords as PBKDF2 hashes.
CREATE TABLE members (
    id              serial PRIMARY KEY,
    tenant_id       int NOT NULL REFERENCES tenants (id),
    username        text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'operator', 'analyst', 'agent', 'auditor')),
    password_hash   text NOT NULL,
    failed_logins   int NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    frozen_at       timestamptz,
    frozen_reason   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, username)
);

-- Personal access tokens: a member's own bearer tokens (SHA-256 hashes only), acting with the member's role.
CREATE TABLE personal_tokens (
    id            serial PRIMARY KEY,
    member_id     int NOT NULL REFERENCES members (id),
    token_hash    text NOT NULL UNIQUE,
    token_prefix  text NOT NULL,
    name          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz
);

-- OAuth2 client-credentials clients; the secret is kept as a SHA-256 hash.
CREATE TABLE oauth_clients (
    id            serial PRIMARY KEY,
    tenant_id     int NOT NULL REFERENCES tenants (id),
    client_id     text NOT NULL UNIQUE,
    secret_hash   text NOT NULL,
    name          text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'operator', 'analyst', 'agent', 'auditor')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

-- The audit log: append-only, each entry carrying the previous entry's hash.
CREATE TABLE audit_log (
    seq        bigint PRIMARY KEY,
    tenant_id  int,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    subject    text NOT NULL,
    detail     text NOT NULL,
    prev_hash  bytea NOT NULL,
    hash       bytea NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (tenant_id, subject);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Data keys for personal fields, wrapped (AES-GCM) by a tenant key of a given version. Deleting a
-- row crypto-shreds every ciphertext sealed under it, in the event log and in snapshots alike.
CREATE TABLE data_keys (
    tenant_id    int NOT NULL,
    subject      text NOT NULL,
    kek_version  int NOT NULL,
    wrapped      bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, subject)
);

-- The tenant key version in force; rotation adds a version and re-wraps every data key.
CREATE TABLE tenant_keys (
    tenant_id    int PRIMARY KEY,
    version      int NOT NULL,
    rotated_at   timestamptz NOT NULL DEFAULT now()
);

-- People erased on request (PIPL art. 47): their reads answer 404 and their exports are empty.
CREATE TABLE erasures (
    tenant_id    int NOT NULL,
    person_id    text NOT NULL,
    erased_at    timestamptz NOT NULL DEFAULT now(),
    erased_by    text NOT NULL,
    shredded_keys int NOT NULL,
    PRIMARY KEY (tenant_id, person_id)
);

-- Callers frozen by the bulk-export detector until an administrator releases them.
CREATE TABLE frozen_callers (
    tenant_id    int NOT NULL,
    caller       text NOT NULL,
    frozen_at    timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL,
    PRIMARY KEY (tenant_id, caller)
);
