package io.siyu.privacy;

import io.siyu.identity.PersonId;
import io.siyu.platform.Caller;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * The gate every management-API answer about one person passes on its way out, whichever
 * capability computed it (profiles, recommendations): an erased person is not found, and the read
 * is audited (who read whom, with which action, through which endpoint), so "who read this person"
 * is answered from one place.
 */
@Component
public class PersonalReads {

    private final AuditLog audit;
    private final Erasures erasures;

    PersonalReads(AuditLog audit, Erasures erasures) {
        this.audit = audit;
        this.erasures = erasures;
    }

    /**
     * Admits a read of {@code person}'s data by the request's caller and audits it as {@code action}.
     *
     * @throws NotFound when the person was erased
     */
    public void admit(TenantId tenant, PersonId person, String action, HttpServletRequest request) {
        String id = person.toString();
        if (erasures.isErased(tenant, id)) {
            throw new NotFound("no person " + id);
        }
        Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        audit.note(tenant, caller == null ? "unknown" : caller.actor(), action, id, request.getMethod() + " " + request.getRequestURI());
    }
}
