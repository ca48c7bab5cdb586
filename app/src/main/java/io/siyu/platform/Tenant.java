package io.siyu.platform;

import java.time.Instant;

/** A brand: its id, URL-safe slug and display name. */
public record Tenant(TenantId id, String slug, String name, Instant createdAt) {}
