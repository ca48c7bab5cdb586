package io.siyu.journey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per journey and node: entered, waiting, passed, converted, exited (by reason), actions by outcome,
 * suppressions by reason, and what became of the messages sent (delivered, opened, clicked). Counted from the per-node counts and the outbox, both written with the
 * journal, so reports survive restarts and agree with what was durable; "waiting" is the live count
 * from the runtime.
 */
@Component
class JourneyReports {

    /** One node's figures. */
    record NodeReport(String node, long reached, long waiting, long passed, long converted, Map<String, Long> exited,
            Map<String, Long> actions, Map<String, Long> suppressed, Receipts receipts) {}

    /** Of the messages sent: how many were delivered, opened and clicked (each message counted once). */
    record Receipts(long delivered, long opened, long clicked) {
        static final Receipts NONE = new Receipts(0, 0, 0);

        Receipts plus(Receipts other) {
            return new Receipts(delivered + other.delivered, opened + other.opened, clicked + other.clicked);
        }
    }

    record Report(int journey, long entered, long active, long converted, Map<String, Long> exited, double conversionRate,
            long sends, Receipts receipts, double openRate, double clickRate, Map<String, Long> suppressed,
            List<NodeReport> nodes) {}

    /** An action from the outbox. */
    record ActionView(String actionId, String node, String person, String type, String status, @Nullable String reason,
            Map<String, Object> parameters, int attempts) {}

    private final JdbcClient jdbc;
    private final tools.jackson.databind.json.JsonMapper json;

    JourneyReports(JdbcClient jdbc, tools.jackson.databind.json.JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Report report(int tenant, int journey, Map<String, Long> waiting) {
        Map<String, long[]> nodes = new TreeMap<>();
        Map<String, Map<String, Long>> exitedAt = new LinkedHashMap<>();
        Map<String, Long> exited = new TreeMap<>();
        long[] totals = new long[2];
        jdbc.sql("SELECT kind, node, reason, n FROM journey_node_counts WHERE tenant_id = ? AND journey_id = ?")
                .params(tenant, journey).query(rs -> {
                    String kind = rs.getString(1);
                    String node = rs.getString(2);
                    long n = rs.getLong(4);
                    switch (kind) {
                        case "ENTERED" -> totals[0] += n;
                        case "AT" -> nodes.computeIfAbsent(node, k -> new long[2])[0] += n;
                        case "CONVERTED" -> {
                            totals[1] += n;
                            nodes.computeIfAbsent(node, k -> new long[2])[1] += n;
                        }
                        case "EXITED" -> {
                            exited.merge(rs.getString(3), n, Long::sum);
                            exitedAt.computeIfAbsent(node, k -> new TreeMap<>()).merge(rs.getString(3), n, Long::sum);
                        }
                        default -> { }
                    }
                });
        Map<String, Map<String, Long>> actions = new LinkedHashMap<>();
        Map<String, Map<String, Long>> suppressedAt = new LinkedHashMap<>();
        Map<String, Long> suppressed = new TreeMap<>();
        long[] sends = {0};
        jdbc.sql("SELECT node, type, status, COALESCE(reason, ''), count(*) FROM journey_outbox WHERE tenant_id = ? AND journey_id = ? "
                        + "GROUP BY node, type, status, reason")
                .params(tenant, journey).query(rs -> {
                    String node = rs.getString(1);
                    String status = rs.getString(3).toLowerCase(java.util.Locale.ROOT);
                    long n = rs.getLong(5);
                    actions.computeIfAbsent(node, k -> new TreeMap<>()).merge(status, n, Long::sum);
                    if (status.equals("suppressed")) {
                        suppressed.merge(rs.getString(4), n, Long::sum);
                        suppressedAt.computeIfAbsent(node, k -> new TreeMap<>()).merge(rs.getString(4), n, Long::sum);
                    }
                    if (status.equals("done") && rs.getString(2).equals("message")) {
                        sends[0] += n;
                    }
                });
        Map<String, Receipts> receipts = new TreeMap<>();
        jdbc.sql("SELECT node, count(delivered_at), count(opened_at), count(clicked_at) FROM journey_outbox "
                        + "WHERE tenant_id = ? AND journey_id = ? AND type = 'message' AND status = 'DONE' GROUP BY node")
                .params(tenant, journey)
                .query(rs -> {
                    receipts.put(rs.getString(1), new Receipts(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                });
        Receipts allReceipts = receipts.values().stream().reduce(Receipts.NONE, Receipts::plus);
        List<NodeReport> perNode = nodes.entrySet().stream().map(e -> {
            String node = e.getKey();
            long wait = waiting.getOrDefault(node, 0L);
            Map<String, Long> ended = exitedAt.getOrDefault(node, Map.of());
            long endedHere = ended.values().stream().mapToLong(Long::longValue).sum() + e.getValue()[1];
            return new NodeReport(node, e.getValue()[0], wait, Math.max(0, e.getValue()[0] - wait - endedHere), e.getValue()[1],
                    ended, actions.getOrDefault(node, Map.of()), suppressedAt.getOrDefault(node, Map.of()),
                    receipts.getOrDefault(node, Receipts.NONE));
        }).toList();
        long active = waiting.values().stream().mapToLong(Long::longValue).sum();
        return new Report(journey, totals[0], active, totals[1], exited, totals[0] == 0 ? 0 : (double) totals[1] / totals[0],
                sends[0], allReceipts, rate(allReceipts.opened(), sends[0]), rate(allReceipts.clicked(), sends[0]), suppressed, perNode);
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    List<ActionView> actions(int tenant, int journey, int limit) {
        return jdbc.sql("SELECT action_id, node, person, type, status, reason, parameters::text, attempts FROM journey_outbox "
                        + "WHERE tenant_id = ? AND journey_id = ? ORDER BY seq DESC LIMIT ?")
                .params(tenant, journey, limit)
                .query((rs, n) -> new ActionView(rs.getString(1), rs.getString(2),
                        io.siyu.identity.PersonId.of(tenant, rs.getInt(3)).toString(), rs.getString(4),
                        rs.getString(5).toLowerCase(java.util.Locale.ROOT), rs.getString(6),
                        json.readValue(rs.getString(7), new tools.jackson.core.type.TypeReference<Map<String, Object>>() {}),
                        rs.getInt(8)))
                .list();
    }
}
