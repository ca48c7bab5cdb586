package io.siyu.segment;

import io.siyu.engine.Engine;
import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.profile.PersonIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's segment and rule-tag history: when they entered and left saved segments and got
 * and lost rule tags, newest first, including what happened to people later merged into them.
 */
@RestController
class MembershipController {

    static final int MAX_LIMIT = 1_000;

    private final Engine engine;
    private final MembershipHistory history;

    MembershipController(Engine engine, MembershipHistory history) {
        this.engine = engine;
        this.history = history;
    }

    @GetMapping("/api/v1/profiles/{personId}/memberships")
    Map<String, Object> memberships(TenantId tenant, @PathVariable String personId,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInput("limit", "range", "limit 须在 1 到 " + MAX_LIMIT + " 之间 / limit must be 1–" + MAX_LIMIT);
        }
        PersonId person = PersonIds.ofTenant(tenant, "personId", personId);
        List<Integer> indexes = engine.ask(tenant.value(), state -> {
            int canonical = state.graph().canonical(person.index());
            if (canonical < 0) {
                throw new NotFound("no person " + personId);
            }
            List<Integer> all = new ArrayList<>(List.of(canonical));
            state.mergesInto(canonical).forEach(m -> all.add(m.from()));
            return all;
        });
        return Map.of("person", PersonId.of(tenant.value(), indexes.getFirst()).toString(),
                "changes", history.of(tenant.value(), indexes, limit));
    }
}
