package io.siyu.segment;

import io.siyu.engine.Engine;
import io.siyu.platform.TenantId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** RFM on demand; it also runs daily on its own. */
@RestController
class RfmController {

    private final Engine engine;

    RfmController(Engine engine) {
        this.engine = engine;
    }

    /** Recomputes RFM scores and classes now; answers buyers per class. */
    @PostMapping("/api/v1/rfm/recompute")
    Map<String, Integer> recompute(TenantId tenant) {
        long now = engine.clock().millis();
        return engine.ask(tenant.value(), state -> {
            Map<String, Integer> byLabel = new LinkedHashMap<>();
            state.part(RfmExtension.ID, RfmBook.class).recompute(state, now).forEach((c, n) -> byLabel.put(c.label(), n));
            return byLabel;
        });
    }
}
