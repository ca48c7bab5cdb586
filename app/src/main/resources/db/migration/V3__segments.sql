-- Saved audiences: dynamic segments and rule tags, defined by a condition in the condition language.
CREATE TABLE segment_definitions (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    kind        text NOT NULL CHECK (kind IN ('SEGMENT', 'TAG')),
    condition   text NOT NULL,
    tag_group   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);
