package io.siyu.journey.policy;

import io.siyu.profile.PersonIds;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tenant's send policy, and every message it held back with the reason. */
@RestController
@RequestMapping("/api/v1/send-policy")
class SendPolicyController {

    record DecisionView(String person, String channel, String decision, String reason, String at) {}

    private final GatedSendPolicy policy;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    SendPolicyController(GatedSendPolicy policy, JdbcClient jdbc, JsonMapper json) {
        this.policy = policy;
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping
    JsonNode get(TenantId tenant) {
        return policy.settingsOf(tenant).toJson(json);
    }

    @PutMapping
    JsonNode put(TenantId tenant, @RequestBody JsonNode body) {
        PolicySettings settings = PolicySettings.parse(body);
        policy.save(tenant, settings);
        return settings.toJson(json);
    }

    /** Suppressions and deferrals, newest first; {@code reason} filters by reason prefix (e.g. {@code cap}). */
    @GetMapping("/decisions")
    Map<String, Object> decisions(TenantId tenant, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) @Nullable String person, @RequestParam(required = false) @Nullable String reason) {
        if (limit < 1 || limit > 1_000) {
            throw new InvalidInput("limit", "range", "limit 须在 1–1000 / limit must be 1 to 1000");
        }
        java.util.UUID personId = null;
        if (person != null) {
            personId = PersonIds.parse("person", person).value();
        }
        List<DecisionView> rows = jdbc.sql("""
                SELECT person, channel, decision, reason, at FROM send_decisions
                WHERE tenant_id = :tenant AND (CAST(:person AS uuid) IS NULL OR person = CAST(:person AS uuid))
                  AND (CAST(:reason AS text) IS NULL OR reason LIKE CAST(:reason AS text) || '%')
                ORDER BY id DESC LIMIT :limit""")
                .param("tenant", tenant.value()).param("person", personId).param("reason", reason).param("limit", limit)
                .query((rs, n) -> new DecisionView(rs.getString(1), rs.getString(2), rs.getString(3).toLowerCase(java.util.Locale.ROOT),
                        rs.getString(4), java.time.Instant.ofEpochMilli(rs.getLong(5)).toString()))
                .list();
        Map<String, Long> byReason = new java.util.TreeMap<>();
        jdbc.sql("SELECT reason, count(*) FROM send_decisions WHERE tenant_id = ? GROUP BY reason").param(tenant.value())
                .query(rs -> {
                    byReason.put(rs.getString(1), rs.getLong(2));
                });
        return Map.of("decisions", rows, "byReason", byReason);
    }
}
