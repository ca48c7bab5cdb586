package io.siyu.platform;

/** Who is calling the management API, as established by the bearer token. */
public sealed interface Caller {

    /** The servlet request attribute holding the authenticated caller of a management request. */
    String REQUEST_ATTRIBUTE = "io.siyu.platform.Caller";

    /** The installation's administrator: may act on any tenant, naming it with {@code X-Siyu-Tenant}. */
    record Admin() implements Caller {}

    /**
     * A tenant's token (API token, personal access token of a member, or an OAuth2 access token):
     * confined to that tenant and to what its role allows.
     *
     * @param tokenName who the token stands for, for the audit log, e.g. {@code token:ci},
     *     {@code member:li.lei}, {@code client:crm}
     */
    record TenantToken(TenantId tenant, String tokenName, Role role) implements Caller {

        /** A token from before roles: full rights inside its tenant. */
        public TenantToken(TenantId tenant, String tokenName) {
            this(tenant, tokenName, Role.ADMIN);
        }
    }

    default boolean isAdmin() {
        return this instanceof Admin;
    }

    /** The role the caller acts with; the installation administrator is {@link Role#ADMIN}. */
    default Role role() {
        return this instanceof TenantToken token ? token.role() : Role.ADMIN;
    }

    /** A stable name for audit entries and per-caller limits. */
    default String actor() {
        return this instanceof TenantToken token ? token.tokenName() : "installation-admin";
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
