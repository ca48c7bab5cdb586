package io.siyu.platform;

import java.util.Optional;

/**
 * The scope and rate check of a write key on the Segment-spec ingestion paths ({@code /v1/*}),
 * given the key the endpoint actually resolved (the HTTP Basic user name, else {@code writeKey} in
 * the body), so that a key sent in the body is checked and charged exactly like one in the header.
 * Implemented by the privacy module; called by the ingestion module's controller and lean
 * single-event path, which make sure a request is charged at most once. The key is hashed once:
 * the tenant comes from the same lookup as the policy.
 */
public interface WriteKeyGate {

    /**
     * Resolves the key, checks that its scopes allow the call {@code path} names and charges one
     * request against its rate.
     *
     * @param path the request path without the context path, e.g. {@code /v1/track}
     * @return the key's tenant; empty when the key is unknown or revoked (the endpoint answers 401)
     * @throws Forbidden when the key's scopes do not include the call
     * @throws RateLimited when the key is over its rate
     */
    Optional<TenantId> admit(String writeKey, String path);
}
