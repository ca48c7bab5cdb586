-- Customer-service centre (issue 6): conversations and their transcripts, agents, tickets with SLA
-- and CSAT, the FAQ knowledge base and the questions the bot could not answer.
CREATE TABLE service_conversations (
    id          uuid PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    channel     text NOT NULL CHECK (channel IN ('api', 'web', 'wecom', 'journey')),
    person      text NOT NULL CHECK (length(person) BETWEEN 3 AND 200),
    owner       text NOT NULL DEFAULT 'bot' CHECK (owner IN ('bot', 'human')),
    dialogue    jsonb NOT NULL DEFAULT '{}',
    handed_off  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX service_conversations_person ON service_conversations (tenant_id, person, created_at DESC);

CREATE TABLE service_messages (
    conversation_id   uuid NOT NULL REFERENCES service_conversations (id),
    seq               int NOT NULL,
    sender            text NOT NULL CHECK (sender IN ('person', 'bot', 'agent', 'system')),
    agent             text,
    text              text NOT NULL,
    client_message_id text,
    intent            text,
    confidence        real,
    sentiment         text,
    sentiment_score   real,
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE UNIQUE INDEX service_messages_client_id ON service_messages (conversation_id, client_message_id)
    WHERE client_message_id IS NOT NULL;

CREATE TABLE service_agents (
    tenant_id   int NOT NULL REFERENCES tenants (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    skills      text[] NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE service_tickets (
    id                bigserial PRIMARY KEY,
    tenant_id         int NOT NULL REFERENCES tenants (id),
    conversation_id   uuid REFERENCES service_conversations (id),
    person            text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('handoff', 'return')),
    queue             text NOT NULL,
    reason            text NOT NULL,
    priority          text NOT NULL CHECK (priority IN ('NORMAL', 'HIGH', 'URGENT')),
    status            text NOT NULL CHECK (status IN ('open', 'assigned', 'closed')),
    assignee          text,
    summary           text NOT NULL,
    details           jsonb NOT NULL DEFAULT '{}',
    profile           jsonb,
    transcript        jsonb NOT NULL DEFAULT '[]',
    action_id         text,
    sla_due_at        timestamptz NOT NULL,
    first_response_at timestamptz,
    breached_at       timestamptz,
    created_at        timestamptz NOT NULL,
    closed_at         timestamptz,
    csat              smallint CHECK (csat BETWEEN 1 AND 5)
);
CREATE UNIQUE INDEX service_tickets_action ON service_tickets (tenant_id, action_id) WHERE action_id IS NOT NULL;
CREATE INDEX service_tickets_open ON service_tickets (tenant_id, status, queue);

CREATE TABLE service_faqs (
    id          bigserial PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    question    text NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
    answer      text NOT NULL CHECK (length(answer) BETWEEN 1 AND 4000),
    alternates  text[] NOT NULL DEFAULT '{}',
    hits        bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE service_unanswered (
    id          bigserial PRIMARY KEY,
    tenant_id   int NOT NULL REFERENCES tenants (id),
    text        text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX service_unanswered_tenant ON service_unanswered (tenant_id, created_at);

-- Each brand's order system and inventory endpoints; the token is sealed with the field cipher.
CREATE TABLE service_connectors (
    tenant_id    int NOT NULL REFERENCES tenants (id),
    kind         text NOT NULL CHECK (kind IN ('oms', 'inventory')),
    url          text NOT NULL,
    token_sealed bytea,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);
