package io.siyu.journey;

import io.siyu.journey.runtime.Batch;
import io.siyu.journey.runtime.JournalSink;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes journey batches durable: one thread, one transaction per group of batches (the steps that
 * change where people are by COPY, per-node counts of every step, outbox rows by one multi-row
 * insert that ignores action ids already there, the event cursor), so a commit covers thousands of
 * steps. A batch's future completes only after its commit; the outbox
 * is told then, never before, so no action leaves for a step that could still be lost.
 *
 * <p>A failed write is retried with the same rows until it succeeds: the in-memory journeys are
 * already ahead, and dropping the rows would lose steps.
 */
final class JournalWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
    private static final int MAX_GROUP_ROWS = 20_000;

    private final DataSource dataSource;
    private final JsonMapper json;
    private final Runnable committed;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long steps;
    private volatile long journalRows;
    private volatile long actions;

    JournalWriter(DataSource dataSource, JsonMapper json, Runnable committed) {
        this.dataSource = dataSource;
        this.json = json;
        this.committed = committed;
        this.thread = Thread.ofPlatform().name("siyu-journey-journal").daemon(true).start(this::run);
    }

    /** Queues a batch; blocks when the journal is far behind (back-pressure on the partition). */
    void submit(Batch batch) {
        if (batch.isEmpty()) {
            batch.done.complete(null);
            return;
        }
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing journey steps to the journal", e);
        }
    }

    /** Waits until everything submitted before this call is durable. */
    void flush() {
        Batch marker = new Batch();
        marker.eventSeq = 0;
        submit(marker);
        marker.done.join();
    }

    long steps() {
        return steps;
    }

    long journalRows() {
        return journalRows;
    }

    long actions() {
        return actions;
    }

    private void run() {
        List<Batch> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Batch first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int rows = first.steps.size() + first.actions.size();
                Batch next;
                while (rows < MAX_GROUP_ROWS && (next = queue.poll()) != null) {
                    group.add(next);
                    rows += next.steps.size() + next.actions.size();
                }
                writeUntilDurable(group);
                group.forEach(b -> b.done.complete(null));
                committed.run();
            } catch (InterruptedException e) {
                if (!running) {
                    continue;
                }
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void writeUntilDurable(List<Batch> group) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                write(group);
                return;
            } catch (SQLException | IOException | RuntimeException e) {
                log.error("Journey journal write failed (attempt {}); retrying the same {} batches", attempt, group.size(), e);
                Thread.sleep(Math.min(5_000, 100L * attempt));
            }
        }
    }

    private void write(List<Batch> group) throws SQLException, IOException {
        long cursor = -1;
        StringBuilder copy = new StringBuilder();
        List<Batch.Action> outbox = new ArrayList<>();
        List<Batch.Receipt> receipts = new ArrayList<>();
        Map<Count, long[]> counts = new HashMap<>();
        int journaled = 0;
        for (Batch batch : group) {
            cursor = Math.max(cursor, batch.eventSeq);
            for (Batch.Step s : batch.steps) {
                counts.computeIfAbsent(new Count(s.tenant(), s.journey(), s.node(), s.kind().name(),
                        s.reason() == null ? "" : s.reason()), k -> new long[1])[0]++;
                if (s.kind() == JournalSink.Kind.AT && s.deadline() < 0) {
                    continue; // passing an instant node: counted, and re-derived from the wait before it on replay
                }
                journaled++;
                copy.append(s.tenant()).append('\t').append(s.kind().name()).append('\t').append(s.journey()).append('\t')
                        .append(s.version()).append('\t').append(s.person()).append('\t').append(s.entry()).append('\t')
                        .append(s.step()).append('\t');
                escape(copy, s.node());
                copy.append('\t').append(s.at()).append('\t').append(s.deadline()).append('\t');
                escape(copy, s.reason());
                copy.append('\t');
                escape(copy, s.vars() == null ? null : json.writeValueAsString(s.vars()));
                copy.append('\n');
            }
            outbox.addAll(batch.actions);
            receipts.addAll(batch.receipts);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!copy.isEmpty()) {
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY journey_journal (tenant_id, kind, journey_id, version, "
                            + "person, entry, step, node, at, deadline, reason, vars) FROM STDIN", new StringReader(copy.toString()));
                }
                if (!outbox.isEmpty()) {
                    insertOutbox(c, outbox);
                }
                if (!counts.isEmpty()) {
                    addCounts(c, counts);
                }
                if (!receipts.isEmpty()) {
                    markReceipts(c, receipts);
                }
                if (cursor > 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE journey_cursor SET seq = GREATEST(seq, ?) WHERE id = 1")) {
                        ps.setLong(1, cursor);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        int stepCount = 0;
        for (Batch batch : group) {
            stepCount += batch.steps.size();
        }
        steps += stepCount;
        journalRows += journaled;
        actions += outbox.size();
    }

    private record Count(int tenant, int journey, String node, String kind, String reason) {}

    private static void addCounts(Connection c, Map<Count, long[]> counts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO journey_node_counts (tenant_id, journey_id, node, kind, reason, n) "
                + "SELECT * FROM unnest(?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::bigint[]) "
                + "ON CONFLICT (journey_id, node, kind, reason) DO UPDATE SET n = journey_node_counts.n + excluded.n")) {
            int n = counts.size();
            Integer[] tenants = new Integer[n];
            Integer[] journeys = new Integer[n];
            String[] nodes = new String[n];
            String[] kinds = new String[n];
            String[] reasons = new String[n];
            Long[] values = new Long[n];
            int i = 0;
            for (Map.Entry<Count, long[]> e : counts.entrySet()) {
                tenants[i] = e.getKey().tenant();
                journeys[i] = e.getKey().journey();
                nodes[i] = e.getKey().node();
                kinds[i] = e.getKey().kind();
                reasons[i] = e.getKey().reason();
                values[i++] = e.getValue()[0];
            }
            ps.setArray(1, c.createArrayOf("int4", tenants));
            ps.setArray(2, c.createArrayOf("int4", journeys));
            ps.setArray(3, c.createArrayOf("text", nodes));
            ps.setArray(4, c.createArrayOf("text", kinds));
            ps.setArray(5, c.createArrayOf("text", reasons));
            ps.setArray(6, c.createArrayOf("int8", values));
            ps.executeUpdate();
        }
    }

    /** Sets each receipt's time on its outbox row unless an earlier one set it already. */
    private static void markReceipts(Connection c, List<Batch.Receipt> receipts) throws SQLException {
        for (Batch.Outcome kind : Batch.Outcome.values()) {
            List<Batch.Receipt> ofKind = receipts.stream().filter(r -> r.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            // kind.column comes from the enum, never from input
            try (PreparedStatement ps = c.prepareStatement("UPDATE journey_outbox o SET " + kind.column + " = r.at "
                    + "FROM (SELECT id, tenant, min(at) AS at FROM unnest(?::text[], ?::int[], ?::bigint[]) AS u(id, tenant, at) "
                    + "GROUP BY id, tenant) r WHERE o.action_id = r.id AND o.tenant_id = r.tenant AND o.type = 'message' "
                    + "AND (o." + kind.column + " IS NULL OR o." + kind.column + " > r.at)")) {
                ps.setArray(1, c.createArrayOf("text", ofKind.stream().map(Batch.Receipt::actionId).toArray()));
                ps.setArray(2, c.createArrayOf("int4", ofKind.stream().map(Batch.Receipt::tenant).toArray()));
                ps.setArray(3, c.createArrayOf("int8", ofKind.stream().map(Batch.Receipt::at).toArray()));
                ps.executeUpdate();
            }
        }
    }

    private void insertOutbox(Connection c, List<Batch.Action> outbox) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO journey_outbox (action_id, tenant_id, journey_id, version, "
                + "node, person, type, parameters, context, not_before, created_at) SELECT * FROM unnest(?::text[], ?::int[], "
                + "?::int[], ?::int[], ?::text[], ?::int[], ?::text[], ?::jsonb[], ?::jsonb[], ?::bigint[], ?::bigint[]) "
                + "ON CONFLICT (action_id) DO NOTHING")) {
            int n = outbox.size();
            String[] ids = new String[n];
            Integer[] tenants = new Integer[n];
            Integer[] journeys = new Integer[n];
            Integer[] versions = new Integer[n];
            String[] nodes = new String[n];
            Integer[] people = new Integer[n];
            String[] types = new String[n];
            String[] parameters = new String[n];
            String[] contexts = new String[n];
            Long[] notBefore = new Long[n];
            for (int i = 0; i < n; i++) {
                Batch.Action a = outbox.get(i);
                ids[i] = a.actionId();
                tenants[i] = a.tenant();
                journeys[i] = a.journey();
                versions[i] = a.version();
                nodes[i] = a.node();
                people[i] = a.person();
                types[i] = a.type();
                parameters[i] = json.writeValueAsString(a.parameters());
                contexts[i] = json.writeValueAsString(a.context());
                notBefore[i] = a.notBefore();
            }
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("int4", tenants));
            ps.setArray(3, c.createArrayOf("int4", journeys));
            ps.setArray(4, c.createArrayOf("int4", versions));
            ps.setArray(5, c.createArrayOf("text", nodes));
            ps.setArray(6, c.createArrayOf("int4", people));
            ps.setArray(7, c.createArrayOf("text", types));
            ps.setArray(8, c.createArrayOf("text", parameters));
            ps.setArray(9, c.createArrayOf("text", contexts));
            ps.setArray(10, c.createArrayOf("int8", notBefore));
            ps.setArray(11, c.createArrayOf("int8", notBefore));
            ps.executeUpdate();
        }
    }

    private static void escape(StringBuilder out, @Nullable String text) {
        if (text == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(ch);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
