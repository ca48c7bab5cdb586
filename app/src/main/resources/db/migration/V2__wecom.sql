-- Per-tenant WeCom self-built app: what signs and encrypts its callbacks. token and
-- encoding_aes_key hold base64 of the tenant's AES-GCM seal (FieldCipher), never the clear secret:
-- with them anyone could forge contact events into the tenant's profiles.
CREATE TABLE wecom_apps (
    tenant_id        int PRIMARY KEY REFERENCES tenants (id),
    corp_id          text NOT NULL,
    token            text NOT NULL,
    encoding_aes_key text NOT NULL,
    agent_id         text,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
