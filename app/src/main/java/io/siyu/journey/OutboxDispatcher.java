package io.siyu.journey;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import io.siyu.action.ProductSendPolicy;
import io.siyu.action.SendIntent;
import io.siyu.action.SendPolicy;
import io.siyu.engine.Engine;
import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.ingestion.Intake;
import io.siyu.platform.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import javax.sql.DataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Performs the outbox: every PENDING action whose time has come, oldest first, through the
 * {@link ActionProvider} of its type. Messages ask the {@link SendPolicy} first (defer moves the
 * row's time, suppress records the reason). A row is marked done only after its provider returned,
 * so a crash in between performs the same action id again: providers are idempotent on it, as the
 * SPI requires. Tags and traits are written as logged events whose message id is the action id, so
 * the engine's de-duplication makes them idempotent too.
 */
@Component
@DependsOnDatabaseInitialization
class OutboxDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    /** Actions performed between two outcome commits: also the most a kill can make providers see again. */
    static final int PAGE = 100;
    private static final int MAX_ATTEMPTS = 20;
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};

    private record Row(String actionId, int tenant, int journey, int version, String node, int person, String type,
            Map<String, String> parameters, Map<String, Object> context, int attempts) {}

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final Clock clock;
    private final ObjectProvider<ActionProvider> providerBeans;
    private final ObjectProvider<SendPolicy> policies;
    private final ObjectProvider<Intake> intakes;
    private final ObjectProvider<Engine> engines;
    private final MeterRegistry meters;
    private final Semaphore wake = new Semaphore(0);
    private final ReentrantLock draining = new ReentrantLock();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private volatile @Nullable Map<String, ActionProvider> providers;
    private volatile boolean running;
    private @Nullable Thread thread;

    OutboxDispatcher(DataSource dataSource, JdbcClient jdbc, JsonMapper json, Clock clock, ObjectProvider<ActionProvider> providers,
            ObjectProvider<SendPolicy> policies, ObjectProvider<Intake> intakes, ObjectProvider<Engine> engines,
            MeterRegistry meters) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.providerBeans = providers;
        this.policies = policies;
        this.intakes = intakes;
        this.engines = engines;
        this.meters = meters;
    }

    void start() {
        Map<String, ActionProvider> byType = new HashMap<>();
        providerBeans.orderedStream().forEach(p -> {
            ActionProvider first = byType.putIfAbsent(p.type(), p);
            if (first != null) {
                log.warn("Two action providers of type {}: {} (first by @Order) is used, {} is not", p.type(),
                        first.getClass().getName(), p.getClass().getName());
            }
        });
        providers = Map.copyOf(byType);
        running = true;
        thread = Thread.ofPlatform().name("siyu-journey-outbox").daemon(true).start(this::run);
    }

    /** Something was committed: look for due actions now rather than at the next poll. */
    void wake() {
        wake.release();
    }

    private void run() {
        while (running) {
            try {
                wake.tryAcquire(500, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                drain();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("Outbox dispatch failed; the rows stay pending and are tried again", e);
            }
        }
    }

    /** Performs every due action, page by page, until none is left; returns how many were tried. */
    int drain() {
        draining.lock();
        try {
            int total = 0;
            while (true) {
                List<Row> rows = due();
                if (rows.isEmpty()) {
                    return total;
                }
                List<Mark> marks = new java.util.ArrayList<>(rows.size());
                try {
                    for (Row row : rows) {
                        perform(row, marks);
                    }
                } finally {
                    record(marks);
                }
                total += rows.size();
            }
        } finally {
            draining.unlock();
        }
    }

    private List<Row> due() {
        return jdbc.sql("""
                SELECT action_id, tenant_id, journey_id, version, node, person, type, parameters::text, context::text, attempts
                FROM journey_outbox WHERE status = 'PENDING' AND not_before <= ? ORDER BY not_before, seq LIMIT ?""")
                .params(clock.millis(), PAGE)
                .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getInt(6), rs.getString(7), json.readValue(rs.getString(8), STRINGS),
                        json.readValue(rs.getString(9), OBJECTS), rs.getInt(10)))
                .list();
    }

    private record Mark(String sql, @Nullable Object[] parameters) {}

    private void perform(Row row, List<Mark> marks) {
        long now = clock.millis();
        PersonId person = PersonId.of(row.tenant(), row.person());
        TenantId tenant = new TenantId(row.tenant());
        SendIntent intent = null;
        if (row.type().equals("message")) {
            intent = new SendIntent(tenant, person, row.parameters().getOrDefault("channel", "wecom"),
                    !"false".equals(row.parameters().get("marketing")), row.parameters().getOrDefault("text", ""), now);
            SendPolicy policy = policies.getIfAvailable();
            if (policy != null) {
                switch (ProductSendPolicy.decideFor(policy, intent, row.parameters().get(ProductSendPolicy.PARAMETER))) {
                    case SendPolicy.Decision.Allow allow -> { }
                    case SendPolicy.Decision.Defer defer -> {
                        marks.add(new Mark("UPDATE journey_outbox SET not_before = ?, reason = ? WHERE action_id = ?",
                                new Object[] {Math.max(defer.notBefore(), now + 1), defer.reason(), row.actionId()}));
                        count(row.type(), "deferred");
                        return;
                    }
                    case SendPolicy.Decision.Suppress suppress -> {
                        finish(row, "SUPPRESSED", suppress.reason(), null, now, marks);
                        return;
                    }
                }
            }
        }
        ActionOutcome outcome;
        try {
            outcome = switch (row.type()) {
                case "tag", "untag", "trait" -> logged(row, tenant);
                default -> {
                    ActionProvider provider = providers == null ? null : providers.get(row.type());
                    yield provider == null ? new ActionOutcome.Failed("no action provider of type " + row.type())
                            : provider.perform(new ActionRequest(tenant, row.actionId(), person, row.type(), row.parameters(),
                                    row.context(), "journey:" + row.journey() + "@" + row.version() + "/node:" + row.node()));
                }
            };
        } catch (RuntimeException e) {
            log.warn("Action {} of type {} failed; retrying", row.actionId(), row.type(), e);
            outcome = new ActionOutcome.Retry(java.time.Duration.ofSeconds(30), "provider error: " + e.getMessage());
        }
        switch (outcome) {
            case ActionOutcome.Done done -> {
                finish(row, "DONE", done.detail(), done.output(), now, marks);
                if (intent != null && policies.getIfAvailable() != null) {
                    policies.getObject().sent(intent);
                }
            }
            case ActionOutcome.Retry retry when row.attempts() + 1 < MAX_ATTEMPTS -> {
                marks.add(new Mark("UPDATE journey_outbox SET not_before = ?, reason = ?, attempts = attempts + 1 WHERE action_id = ?",
                        new Object[] {now + Math.max(1_000, retry.after().toMillis()), retry.reason(), row.actionId()}));
                count(row.type(), "retry");
            }
            case ActionOutcome.Retry retry -> finish(row, "FAILED", "gave up after " + MAX_ATTEMPTS + " attempts: " + retry.reason(),
                    null, now, marks);
            case ActionOutcome.Failed failed -> finish(row, "FAILED", failed.reason(), null, now, marks);
            case ActionOutcome.Suppressed suppressed -> finish(row, "SUPPRESSED", suppressed.reason(), null, now, marks);
        }
    }

    /** Tag and trait changes go through the log like any other event; the action id is the message id. */
    private ActionOutcome logged(Row row, TenantId tenant) {
        List<Identifier> ids = engines.getObject().ask(row.tenant(), state -> state.graph().identifiersOf(row.person()));
        if (ids.isEmpty()) {
            return new ActionOutcome.Failed("the person has no identifier");
        }
        ObjectNode message = json.createObjectNode();
        Identifier id = ids.getFirst();
        if (row.type().equals("trait")) {
            message.put("type", "identify");
            message.putObject("traits").put(row.parameters().get("trait"), row.parameters().get("value"));
        } else {
            message.put("type", "track").put("event", row.type().equals("tag") ? "Tag Assigned" : "Tag Removed");
            message.putObject("properties").put("tag", row.parameters().get("tag")).put("source", "journey");
        }
        message.put("messageId", row.actionId());
        message.putObject("context").put("channel", "journey").putObject("identities").put(id.type().key(), id.value());
        Intake.Result result = intakes.getObject().accept(tenant, List.of(new Intake.Message(message, null, "action", message.toString())),
                "journey", null);
        return result.quarantined().isEmpty() ? new ActionOutcome.Done(row.type() + " logged", Map.of())
                : new ActionOutcome.Failed("rejected: " + result.quarantined().getFirst().errors());
    }

    private void finish(Row row, String status, @Nullable String reason, @Nullable Map<String, String> output, long now,
            List<Mark> marks) {
        marks.add(new Mark("UPDATE journey_outbox SET status = ?, reason = ?, output = ?::jsonb, done_at = ?, attempts = attempts + 1 "
                + "WHERE action_id = ?", new Object[] {status, reason, output == null ? null : json.writeValueAsString(output), now,
                row.actionId()}));
        count(row.type(), status.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Records the outcomes of a page in one transaction, without waiting for the disk: a mark is
     * an optimisation (a lost one only means the same action id is performed again, which
     * providers recognise), and a killed Siyu does not take PostgreSQL's WAL buffers with it. One
     * fsync per action would cap the outbox at a few hundred actions a second.
     */
    private void record(List<Mark> marks) {
        if (marks.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit TO OFF");
            }
            Map<String, PreparedStatement> statements = new HashMap<>();
            try {
                for (Mark mark : marks) {
                    PreparedStatement ps = statements.get(mark.sql());
                    if (ps == null) {
                        ps = c.prepareStatement(mark.sql());
                        statements.put(mark.sql(), ps);
                    }
                    for (int i = 0; i < mark.parameters().length; i++) {
                        ps.setObject(i + 1, mark.parameters()[i]);
                    }
                    ps.addBatch();
                }
                for (PreparedStatement ps : statements.values()) {
                    ps.executeBatch();
                }
            } finally {
                for (PreparedStatement ps : statements.values()) {
                    ps.close();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record an outbox outcome", e);
        }
    }

    private void count(String type, String outcome) {
        outcomes.computeIfAbsent(type + "/" + outcome, k -> Counter.builder("siyu.journey.actions").tag("type", type)
                .tag("outcome", outcome).description("Journey actions by type and outcome").register(meters)).increment();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
