package io.siyu.ingestion;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The event dictionary and the quarantine, for operators and integrators. */
@RestController
class IngestionAdminController {

    private final Quarantine quarantine;

    IngestionAdminController(Quarantine quarantine) {
        this.quarantine = quarantine;
    }

    @GetMapping("/api/v1/events/dictionary")
    List<EventDictionary.Schema> dictionary() {
        return EventDictionary.all();
    }

    @GetMapping("/api/v1/quarantine")
    Map<String, Object> quarantined(TenantId tenant, @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInput("limit", "range", "limit must be 1–1000");
        }
        List<Quarantine.Entry> entries = quarantine.list(tenant, after, limit);
        return Map.of("total", quarantine.count(tenant), "items", entries,
                "next", entries.isEmpty() ? after : entries.getLast().id());
    }
}
