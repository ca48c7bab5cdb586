package io.siyu.platform;

import java.util.Optional;

/**
 * A kind of bearer token the management API accepts besides the administrator token and the
 * tenants' API tokens (personal access tokens, OAuth2 access tokens). Beans of this type are asked
 * in turn; the first that knows the token names the caller.
 */
public interface BearerTokens {

    /**
     * @return the caller, or empty when this kind does not know the token
     * @throws Unauthorized when the token is of this kind but expired, revoked or its holder locked
     */
    Optional<Caller> callerOf(String token);
}
