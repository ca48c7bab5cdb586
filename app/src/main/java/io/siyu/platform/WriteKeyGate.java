package io.siyu.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The scope and rate check of a write key sent as the HTTP Basic user name on the Segment-spec
 * ingestion paths ({@code /v1/*}), before any body is read. Implemented by the privacy module; the
 * ingestion module's lean single-event path calls it first, as the servlet filter does for every
 * other {@code /v1/*} request. A request is checked (and charged against the key's rate) at most once.
 */
public interface WriteKeyGate {

    /**
     * Checks the request's write key, once per request.
     *
     * @return true when the request may go on (also when it carries no known key: the endpoint then
     *     answers 401); false when a 403 or 429 problem has been written to {@code response}
     */
    boolean admit(HttpServletRequest request, HttpServletResponse response) throws IOException;
}
