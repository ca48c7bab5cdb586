package io.siyu.privacy;

import io.siyu.platform.Caller;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading the tenant's audit entries and verifying the chain (auditors and admins). */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    record EntryView(long seq, String at, String actor, String action, String subject, String detail, String hash) {}

    private final AuditLog audit;
    private final AuditVerifier verifier;

    AuditController(AuditLog audit, AuditVerifier verifier) {
        this.audit = audit;
        this.verifier = verifier;
    }

    @GetMapping
    Map<String, Object> entries(TenantId tenant, @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String subject) {
        if (limit < 1 || limit > 1_000) {
            throw new InvalidInput("limit", "range", "limit must be 1–1,000");
        }
        if (after < 0) {
            throw new InvalidInput("after", "range", "after must be ≥ 0");
        }
        audit.flush();
        List<AuditLog.Entry> entries = subject == null ? audit.page(tenant, after, limit) : audit.about(tenant, subject, limit);
        return Map.of("entries", entries.stream().map(AuditController::view).toList(),
                "next", entries.isEmpty() ? -1 : entries.getLast().seq());
    }

    @PostMapping("/verify")
    AuditVerifier.Report verify(TenantId tenant, Caller caller) {
        AuditVerifier.Report report = verifier.verify();
        audit.record(tenant, caller.actor(), "audit.verified", "audit", "intact=" + report.intact() + " entries=" + report.entries());
        return report;
    }

    private static EntryView view(AuditLog.Entry e) {
        return new EntryView(e.seq(), e.at().toString(), e.actor(), e.action(), e.subject(), e.detail(), HexFormat.of().formatHex(e.hash()));
    }
}
