package io.siyu.platform;

/**
 * Decides whether a caller may call one endpoint of the management API, before the controller
 * runs. The privacy capability provides the role table; without a bean only the administrator and
 * tenant tokens of role {@link Role#ADMIN} are let through.
 */
public interface AccessPolicy {

    /**
     * @param method the HTTP method
     * @param pattern the endpoint's path pattern as mapped, e.g. {@code /api/v1/profiles/{personId}}
     * @throws Forbidden when the caller's role may not call it, or the caller is frozen
     */
    void authorise(Caller caller, String method, String pattern);
}
