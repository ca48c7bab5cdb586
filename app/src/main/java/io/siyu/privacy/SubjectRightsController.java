package io.siyu.privacy;

import io.siyu.platform.Caller;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Data-subject requests (access, erasure) and the rotation of the tenant's key-encryption key. Admins only. */
@RestController
@RequestMapping("/api/v1/privacy")
class SubjectRightsController {

    private final SubjectRights rights;
    private final ConsentController consent;
    private final FieldCipher cipher;
    private final AuditLog audit;

    SubjectRightsController(SubjectRights rights, ConsentController consent, FieldCipher cipher, AuditLog audit) {
        this.rights = rights;
        this.consent = consent;
        this.cipher = cipher;
        this.audit = audit;
    }

    @GetMapping("/people/{personId}/export")
    ResponseEntity<Map<String, Object>> export(TenantId tenant, Caller caller, @PathVariable String personId) {
        ConsentController.ConsentView view = consent.get(tenant, caller, personId);
        Map<String, Object> export = rights.export(tenant, personId, caller,
                Map.of("current", view.consent(), "history", view.history()));
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"person-" + export.get("person") + ".json\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(export);
    }

    @PostMapping("/people/{personId}/erase")
    SubjectRights.Erased erase(TenantId tenant, Caller caller, @PathVariable String personId) {
        return rights.erase(tenant, personId, caller);
    }

    @PostMapping("/keys/rotate")
    FieldCipher.Rotation rotate(TenantId tenant, Caller caller) {
        FieldCipher.Rotation rotation = cipher.rotate(tenant);
        audit.recordAndWait(tenant, caller.actor(), "keys.rotated", "tenant-key",
                "version " + rotation.fromVersion() + "→" + rotation.toVersion() + ", rewrapped=" + rotation.rewrapped());
        return rotation;
    }
}
