-- Content compliance and risk rules (issue 7): each tenant's own lexicon lists, the human review
-- queue, risk levels of financial products, risk-rule detectors and the cases they raise.

CREATE TABLE compliance_lists (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    kind        text NOT NULL CHECK (kind IN ('BLOCK', 'REVIEW', 'ALLOW')),
    terms       text[] NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

-- Texts waiting for (or given) a human decision. Copy checked before sending ('check', 'gate') is
-- queued once per distinct text, and the decision then applies to that exact text; user-generated
-- content ('ugc') is one item per submission.
CREATE TABLE compliance_reviews (
    id          bigserial PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    source      text NOT NULL CHECK (source IN ('check', 'gate', 'ugc')),
    reference   text,
    text        text NOT NULL,
    text_hash   bytea NOT NULL,
    verdict     text NOT NULL CHECK (verdict IN ('PASS', 'REVIEW', 'BLOCK')),
    findings    jsonb NOT NULL,
    status      text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    decided_at  timestamptz,
    decided_by  text,
    note        text
);
CREATE UNIQUE INDEX compliance_reviews_copy ON compliance_reviews (tenant_id, text_hash) WHERE source <> 'ugc';
CREATE INDEX compliance_reviews_queue ON compliance_reviews (tenant_id, status, id);

CREATE TABLE compliance_products (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    product_id  text NOT NULL CHECK (length(product_id) BETWEEN 1 AND 128),
    risk_level  smallint NOT NULL CHECK (risk_level BETWEEN 1 AND 5),
    name        text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, product_id)
);

CREATE TABLE risk_detectors (
    tenant_id       int NOT NULL REFERENCES tenants (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    kind            text NOT NULL CHECK (kind IN ('COUNT', 'IN_OUT')),
    event           text NOT NULL,
    out_event       text,
    threshold       bigint NOT NULL CHECK (threshold > 0),
    window_seconds  int NOT NULL CHECK (window_seconds > 0),
    action          text NOT NULL CHECK (action IN ('FLAG', 'REVIEW', 'FREEZE')),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

-- One case per detection; (tenant, detector, seq) makes re-detection during a replay idempotent.
CREATE TABLE risk_cases (
    id           bigserial PRIMARY KEY,
    tenant_id    int NOT NULL REFERENCES tenants (id),
    detector     text NOT NULL,
    action       text NOT NULL CHECK (action IN ('FLAG', 'REVIEW', 'FREEZE')),
    person       uuid NOT NULL,
    seq          bigint NOT NULL,
    occurred_at  timestamptz NOT NULL,
    evidence     text NOT NULL,
    status       text NOT NULL CHECK (status IN ('FLAGGED', 'PENDING', 'CLEARED', 'CONFIRMED')),
    frozen       boolean NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz,
    decided_by   text,
    note         text,
    UNIQUE (tenant_id, detector, seq)
);
CREATE INDEX risk_cases_queue ON risk_cases (tenant_id, status, id);
CREATE INDEX risk_cases_frozen ON risk_cases (tenant_id, person) WHERE frozen;
