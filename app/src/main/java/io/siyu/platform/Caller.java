package io.siyu.platform;

/** Who is calling the management API, as established by the bearer token. */
public sealed interface Caller {

    /** The installation's administrator: may act on any tenant, naming it with {@code X-Siyu-Tenant}. */
    record Admin() implements Caller {}

    /** A tenant's API token: confined to that tenant. */
    record TenantToken(TenantId tenant, String tokenName) implements Caller {}

    default boolean isAdmin() {
        return this instanceof Admin;
    }

    /** @throws Forbidden unless the caller is the administrator */
    default void requireAdmin() {
        if (!isAdmin()) {
            throw new Forbidden("only the installation administrator may do this");
        }
    }

    /**
     * @throws NotFound when a tenant token addresses another tenant (its existence is not revealed)
     */
    default void requireTenant(TenantId tenant) {
        if (this instanceof TenantToken token && !token.tenant().equals(tenant)) {
            throw new NotFound("tenant " + tenant.value() + " does not exist");
        }
    }
}
