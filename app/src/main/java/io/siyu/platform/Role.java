package io.siyu.platform;

import java.util.Locale;
import java.util.Optional;

/**
 * What a tenant's caller may do; the per-endpoint permissions live in the privacy capability's
 * access policy. The installation administrator ({@link Caller.Admin}) acts as {@link #ADMIN} on
 * any tenant.
 */
public enum Role {
    /** Everything inside the tenant: members, keys, erasure, releases of frozen accounts. */
    ADMIN,
    /** Runs marketing: tags, segments, journeys, coupons, imports; sees profiles masked. */
    OPERATOR,
    /** Reads aggregates and segment definitions; never a person's profile. */
    ANALYST,
    /** Customer service: conversations and the profile of the person served, masked. */
    AGENT,
    /** Reads and verifies the audit log and compliance records; changes nothing. */
    AUDITOR;

    /** The lower-case name used in JSON, tokens and the database. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String key) {
        for (Role role : values()) {
            if (role.key().equals(key)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
