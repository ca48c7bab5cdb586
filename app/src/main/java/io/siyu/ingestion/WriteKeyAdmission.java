package io.siyu.ingestion;

import io.siyu.platform.TenantId;
import io.siyu.platform.WriteKeyGate;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The write-key check of one request, done once: the lean single-event path and the controller both
 * call {@link #admit} with the key they resolved, and a request the lean path hands on to the
 * controller is neither charged against the key's rate nor looked up (hashed) a second time.
 */
final class WriteKeyAdmission {

    /** The request attribute holding the outcome of the check. */
    static final String ATTRIBUTE = WriteKeyAdmission.class.getName();

    private record Outcome(String key, @Nullable TenantId tenant) {}

    private WriteKeyAdmission() {}

    /**
     * The key's tenant once its scope and rate have been checked (see {@link WriteKeyGate#admit});
     * empty for an unknown key.
     *
     * @throws io.siyu.platform.Forbidden outside the key's scopes
     * @throws io.siyu.platform.RateLimited over the key's rate
     */
    static Optional<TenantId> admit(WriteKeyGate gate, HttpServletRequest request, String key) {
        if (request.getAttribute(ATTRIBUTE) instanceof Outcome done && done.key().equals(key)) {
            return Optional.ofNullable(done.tenant());
        }
        Optional<TenantId> tenant = gate.admit(key, request.getRequestURI().substring(request.getContextPath().length()));
        request.setAttribute(ATTRIBUTE, new Outcome(key, tenant.orElse(null)));
        return tenant;
    }
}
