package io.siyu.journey;

import io.siyu.journey.runtime.Batch;
import io.siyu.journey.runtime.JournalSink;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes journey batches durable: one transaction per group of batches (the steps that change
 * where people are by binary COPY, per-node counts of every step, outbox rows by binary COPY, the
 * event cursor), so a commit covers thousands of steps. One thread gathers and encodes the next
 * group (COPY rows, the JSON of parameters and context) while two writers COPY the groups before
 * it side by side and commit them strictly in order ({@link #writeGroups}). A batch's future
 * completes only after its commit; the outbox is told then, never before, so no action leaves for
 * a step that could still be lost.
 *
 * <p>A long batch (a million waits ending at one instant) is committed in parts of about
 * {@value #PART_ROWS} rows, cut only at the book's boundaries (one person's consequences of one
 * timer): each part is durable on its own, so the dispatcher starts on the first part's actions
 * while the rest is written, and a crash between parts loses only steps that are made again, with
 * the same ids, when the restarted book finds their waits still due.
 *
 * <p>An entry followed at once by a wait is one journal row (kind ENTERED, with the wait's node,
 * step and deadline) instead of two; {@code JourneyBook.restore} reads both forms.
 *
 * <p>Outbox rows go by COPY under a savepoint; when some action id is already there (steps made
 * again after a crash) that fails as a whole, and the part is written again through a temporary
 * table and one {@code INSERT … ON CONFLICT (action_id) DO NOTHING}, so rows already there stay.
 *
 * <p>Snapshots of the books ({@link #snapshot}) queue behind the batches before them: the writer
 * notes how far the journal is when it reaches one, and a second thread writes the snapshot's rows
 * while the journal goes on.
 *
 * <p>A failed write is retried with the same rows until it succeeds: the in-memory journeys are
 * already ahead, and dropping the rows would lose steps.
 */
final class JournalWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
    /** Rows (steps and actions) a transaction takes at most, unless one batch that cannot be cut is longer. */
    static final int PART_ROWS = 50_000;
    /** Below this many outbox rows a group inserts them in one statement rather than by COPY. */
    static final int FEW_OUTBOX_ROWS = 256;
    private static final String OUTBOX_COLUMNS = "action_id, tenant_id, journey_id, version, node, person, type, parameters, "
            + "context, not_before, created_at";

    /** A snapshot of one tenant's book, encoded on its partition thread, waiting for its place in the journal. */
    record Snapshot(int tenant, CopyBinary.Writer rows, long people, CompletableFuture<Long> done) {}

    private final DataSource dataSource;
    private final JsonMapper json;
    private final Runnable committed;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16_384);
    /** Encoded groups and snapshots, in order, from the encoding thread to the writing one: one may wait while one is written. */
    private final BlockingQueue<Object> encoded = new ArrayBlockingQueue<>(1);
    private static final Object END = new Object();
    private final Thread encoder;
    private final Thread thread;
    /** Two groups are written at once (PostgreSQL's work on one core, the other's on the other); they commit in order. */
    private static final int WRITERS = 2;
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS,
            Thread.ofPlatform().name("siyu-journey-write-", 0).daemon(true).factory());
    private final Semaphore writing = new Semaphore(WRITERS);
    /** Completes once the last group handed to a writer is committed. */
    private CompletableFuture<Void> lastCommitted = CompletableFuture.completedFuture(null);
    /** Journal ids reserved from the table's sequence, handed out in encoding order: the next, and the block's end. */
    private long journalIdAt;
    private long journalIdEnd;
    private final ExecutorService snapshots = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("siyu-journey-snapshot").daemon(true).factory());
    private volatile boolean running = true;
    private volatile long steps;
    private volatile long journalRows;
    private volatile long actions;

    JournalWriter(DataSource dataSource, JsonMapper json, Runnable committed) {
        this.dataSource = dataSource;
        this.json = json;
        this.committed = committed;
        this.encoder = Thread.ofPlatform().name("siyu-journey-encode").daemon(true).start(this::encodeGroups);
        this.thread = Thread.ofPlatform().name("siyu-journey-journal").daemon(true).start(this::writeGroups);
    }

    /** Queues a batch (in parts when long); blocks when the journal is far behind (back-pressure on the partition). */
    void submit(Batch batch) {
        if (batch.isEmpty()) {
            batch.done.complete(null);
            return;
        }
        for (Batch part : batch.parts(PART_ROWS)) {
            put(part);
        }
    }

    /**
     * Queues a snapshot behind everything submitted before it; its future completes with the
     * journal position it covers once it is durable. Submit it from the thread that owns the book,
     * right after taking it, so it covers exactly the batches submitted before.
     */
    void snapshot(Snapshot snapshot) {
        put(snapshot);
    }

    private void put(Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing journey steps to the journal", e);
        }
    }

    /**
     * A sink for long work (timers due at one instant): at each of the book's boundaries with a
     * part's worth of rows, hands that part to the writer, so the database writes while the book
     * is still stepping. {@link #finish} submits the rest; its batch completes once all is durable.
     */
    final class Streaming implements JournalSink {
        private Batch current = new Batch();

        @Override
        public void step(int tenant, Kind kind, int journey, int version, int person, int entry, int step, String node, long at,
                long deadline, @Nullable String reason, @Nullable Map<String, String> vars) {
            current.step(tenant, kind, journey, version, person, entry, step, node, at, deadline, reason, vars);
        }

        @Override
        public void action(int tenant, String actionId, int journey, int version, String node, int person, String type,
                Map<String, String> parameters, Map<String, Object> context, long notBefore) {
            current.action(tenant, actionId, journey, version, node, person, type, parameters, context, notBefore);
        }

        @Override
        public void boundary() {
            current.boundary();
            if (current.steps.size() + current.actions.size() >= PART_ROWS) {
                submit(current);
                current = new Batch(PART_ROWS);
            }
        }

        /** Submits what is left; the returned batch's {@code done} completes once everything is durable. */
        Batch finish() {
            Batch last = current;
            current = new Batch();
            if (last.isEmpty()) {
                last.eventSeq = 0; // through the queue all the same: done only behind the parts before it
            }
            submit(last);
            return last;
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

    /**
     * The first stage: gathers queued batches into groups of up to {@value #PART_ROWS} rows and
     * encodes each (COPY rows, JSON, counts) while the group before it is being written and
     * committed, so the encoding and PostgreSQL's work overlap instead of taking turns.
     */
    private void encodeGroups() {
        try {
            while (running || !queue.isEmpty()) {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                if (first instanceof Snapshot) {
                    encoded.put(first);
                    continue;
                }
                List<Batch> group = new ArrayList<>();
                Batch batch = (Batch) first;
                group.add(batch);
                int rows = batch.steps.size() + batch.actions.size();
                while (rows < PART_ROWS && queue.peek() instanceof Batch next) {
                    queue.poll();
                    group.add(next);
                    rows += next.steps.size() + next.actions.size();
                }
                encoded.put(encode(group));
            }
            encoded.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The second stage: hands each encoded group to one of {@value #WRITERS} writers, which COPY
     * their groups side by side but commit strictly in order (each waits for the one before), so
     * batches complete in order and no group is durable without every group before it. Journal
     * rows carry ids reserved in encoding order, so the journal's order is the groups' order
     * whatever the timing of the COPYs. A snapshot waits until every group before it is committed.
     */
    private void writeGroups() {
        try {
            for (Object next = encoded.take(); next != END; next = encoded.take()) {
                if (next instanceof Snapshot snapshot) {
                    lastCommitted.join();
                    place(snapshot);
                    continue;
                }
                Group group = (Group) next;
                writing.acquire();
                CompletableFuture<Void> previous = lastCommitted;
                CompletableFuture<Void> mine = new CompletableFuture<>();
                lastCommitted = mine;
                writers.execute(() -> {
                    try {
                        writeUntilDurable(group, previous);
                        previous.join(); // an empty group (a flush marker) is done only behind the ones before it
                        group.batches.forEach(b -> b.done.complete(null));
                        committed.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        mine.complete(null);
                        writing.release();
                    }
                });
            }
            lastCommitted.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next journal id: from a block reserved from the table's sequence, so ids follow encoding order. */
    private long nextJournalId() throws InterruptedException {
        if (journalIdAt == journalIdEnd) {
            reserveJournalIds();
        }
        return journalIdAt++;
    }

    /**
     * One {@code nextval} of the journal's sequence is one block: its increment (V23: 10,000) is
     * the block's size, so no other caller can be given an id inside it.
     */
    private void reserveJournalIds() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT nextval('journey_journal_id_seq'), increment_by FROM pg_sequences WHERE sequencename = 'journey_journal_id_seq'");
                    java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("journey_journal_id_seq not found");
                }
                long first = rs.getLong(1);
                long size = Math.max(1, rs.getLong(2));
                journalIdAt = first;
                journalIdEnd = first + size;
                return;
            } catch (SQLException e) {
                log.error("Journey journal: cannot reserve ids (attempt {})", attempt, e);
                Thread.sleep(Math.min(5_000, 100L * attempt));
            }
        }
    }

    /** Everything before the snapshot is durable: it covers the journal up to its last row now. */
    private void place(Snapshot snapshot) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(max(id), 0) FROM journey_journal"); java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                long journalId = rs.getLong(1);
                snapshots.execute(() -> writeSnapshot(snapshot, journalId));
                return;
            } catch (SQLException e) {
                log.error("Journey snapshot: cannot read the journal position (attempt {})", attempt, e);
                Thread.sleep(Math.min(5_000, 100L * attempt));
            }
        }
    }

    /**
     * Replaces the tenant's snapshot in one transaction: until it commits, a restart uses the
     * previous one and a longer journal tail. Not retried: the next snapshot comes soon enough.
     */
    private void writeSnapshot(Snapshot snapshot, long journalId) {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM journey_snapshot_rows WHERE tenant_id = ?")) {
                    ps.setInt(1, snapshot.tenant());
                    ps.executeUpdate();
                }
                snapshot.rows().send(c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY journey_snapshot_rows (tenant_id, "
                        + "kind, journey_id, version, person, entry, step, node, at, deadline, vars) FROM STDIN (FORMAT binary)"));
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO journey_snapshots (tenant_id, journal_id, taken_at, "
                        + "people, rows) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET journal_id = excluded.journal_id, "
                        + "taken_at = excluded.taken_at, people = excluded.people, rows = excluded.rows")) {
                    ps.setInt(1, snapshot.tenant());
                    ps.setLong(2, journalId);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.setLong(4, snapshot.people());
                    ps.setLong(5, snapshot.rows().rows());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            log.info("Journey snapshot of tenant {}: {} people, {} rows, covers the journal to {}, written in {} ms", snapshot.tenant(),
                    snapshot.people(), snapshot.rows().rows(), journalId, (System.nanoTime() - started) / 1_000_000);
            snapshot.done().complete(journalId);
        } catch (SQLException | RuntimeException e) {
            log.error("Journey snapshot of tenant {} failed; the previous one and the journal after it stay in use", snapshot.tenant(), e);
            snapshot.done().completeExceptionally(e);
        }
    }

    private void writeUntilDurable(Group group, CompletableFuture<Void> previous) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                write(group, previous);
                return;
            } catch (SQLException | IOException | RuntimeException e) {
                log.error("Journey journal write failed (attempt {}); retrying the same {} batches", attempt, group.batches.size(), e);
                Thread.sleep(Math.min(5_000, 100L * attempt));
            }
        }
    }

    private static boolean sameEnrollment(Batch.Step a, Batch.Step b) {
        return a.tenant() == b.tenant() && a.journey() == b.journey() && a.person() == b.person() && a.entry() == b.entry();
    }

    /** A group of batches ready to write: its COPY rows, outbox rows, counts and receipts, encoded once (a retry sends the same). */
    private record Group(List<Batch> batches, CopyBinary.Writer journal, List<Batch.Action> outbox,
            CopyBinary.@Nullable Writer outboxRows, String @Nullable [] parameters, String @Nullable [] contexts,
            Map<Count, long[]> counts, List<Batch.Receipt> receipts, long cursor, int steps) {

        boolean isEmpty() {
            return journal.rows() == 0 && outbox.isEmpty() && counts.isEmpty() && receipts.isEmpty() && cursor <= 0;
        }
    }

    private Group encode(List<Batch> group) throws InterruptedException {
        long cursor = -1;
        int rowsHint = 0;
        int stepCount = 0;
        for (Batch batch : group) {
            rowsHint += batch.steps.size();
        }
        CopyBinary.Writer journal = new CopyBinary.Writer(rowsHint * 64);
        List<Batch.Action> outbox = new ArrayList<>();
        List<Batch.Receipt> receipts = new ArrayList<>();
        Map<Count, long[]> counts = new HashMap<>();
        for (Batch batch : group) {
            cursor = Math.max(cursor, batch.eventSeq);
            stepCount += batch.steps.size();
            List<Batch.Step> list = batch.steps;
            int folded = -1;
            for (int i = 0; i < list.size(); i++) {
                Batch.Step s = list.get(i);
                counts.computeIfAbsent(new Count(s.tenant(), s.journey(), s.node(), s.kind().name(),
                        s.reason() == null ? "" : s.reason()), k -> new long[1])[0]++;
                if (s.kind() == JournalSink.Kind.AT && s.deadline() < 0 || i == folded) {
                    continue; // passing an instant node: counted, and re-derived from the wait before it on replay
                }
                if (s.kind() == JournalSink.Kind.ENTERED && s.deadline() < 0) {
                    int j = i + 1;
                    while (j < list.size() && list.get(j).kind() == JournalSink.Kind.AT && list.get(j).deadline() < 0
                            && sameEnrollment(s, list.get(j))) {
                        j++;
                    }
                    if (j < list.size() && list.get(j).kind() == JournalSink.Kind.AT && sameEnrollment(s, list.get(j))) {
                        Batch.Step w = list.get(j); // entered and went straight on to a wait: one row for both
                        journalRow(journal, nextJournalId(), s.tenant(), s.kind(), s.journey(), s.version(), s.person(), s.entry(), w.step(),
                                w.node(), s.at(), w.deadline(), null, s.vars());
                        folded = j;
                        continue;
                    }
                }
                journalRow(journal, nextJournalId(), s.tenant(), s.kind(), s.journey(), s.version(), s.person(), s.entry(), s.step(), s.node(),
                        s.at(), s.deadline(), s.reason(), s.vars());
            }
            outbox.addAll(batch.actions);
            receipts.addAll(batch.receipts);
        }
        CopyBinary.@Nullable Writer outboxRows = null;
        String[] parameters = null;
        String[] contexts = null;
        if (outbox.size() >= FEW_OUTBOX_ROWS) {
            outboxRows = new CopyBinary.Writer(outbox.size() * 160);
            for (Batch.Action a : outbox) {
                outboxRows.row(11).text(a.actionId()).int4(a.tenant()).int4(a.journey()).int4(a.version()).text(a.node())
                        .int4(a.person()).text(a.type()).jsonb(FlatJson.bytes(a.parameters(), json))
                        .jsonb(FlatJson.bytes(a.context(), json)).int8(a.notBefore()).int8(a.notBefore());
            }
        } else if (!outbox.isEmpty()) {
            parameters = new String[outbox.size()];
            contexts = new String[outbox.size()];
            for (int i = 0; i < outbox.size(); i++) {
                parameters[i] = FlatJson.text(outbox.get(i).parameters(), json);
                contexts[i] = FlatJson.text(outbox.get(i).context(), json);
            }
        }
        return new Group(group, journal, outbox, outboxRows, parameters, contexts, counts, receipts, cursor, stepCount);
    }

    /**
     * COPYs the group's rows, waits until the group before it is committed, then adds the counts,
     * receipts and cursor (rows the groups share, so never locked by two at once) and commits.
     */
    private void write(Group group, CompletableFuture<Void> previous) throws SQLException, IOException {
        if (group.isEmpty()) {
            return; // a flush marker, or the empty end of a batch in parts: nothing to make durable
        }
        long journaled = group.journal.rows();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (journaled > 0) {
                    try {
                        group.journal.send(c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY journey_journal (id, tenant_id, "
                                + "kind, journey_id, version, person, entry, step, node, at, deadline, reason, vars) FROM STDIN (FORMAT binary)"));
                    } catch (SQLException e) {
                        if (alreadyCommitted(e)) { // a commit whose answer was lost: all of this group is there
                            c.rollback();
                            log.warn("Journey journal: a group's rows are already there (its commit's answer was lost); not written again");
                            return;
                        }
                        throw e;
                    }
                }
                if (group.outboxRows != null) {
                    insertOutbox(c, group.outboxRows);
                } else if (!group.outbox.isEmpty()) {
                    insertFewOutboxRows(c, group.outbox, group.parameters, group.contexts);
                }
                previous.join();
                if (!group.counts.isEmpty()) {
                    addCounts(c, group.counts);
                }
                if (!group.receipts.isEmpty()) {
                    markReceipts(c, group.receipts);
                }
                if (group.cursor > 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE journey_cursor SET seq = GREATEST(seq, ?) WHERE id = 1")) {
                        ps.setLong(1, group.cursor);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        steps += group.steps;
        journalRows += journaled;
        actions += group.outbox.size();
    }

    /** A journal id that is already there: the ids are the group's own, so the group was committed. */
    private static boolean alreadyCommitted(SQLException e) {
        return "23505".equals(e.getSQLState()) && e instanceof org.postgresql.util.PSQLException p
                && p.getServerErrorMessage() != null && "journey_journal_pkey".equals(p.getServerErrorMessage().getConstraint());
    }

    private void journalRow(CopyBinary.Writer out, long id, int tenant, JournalSink.Kind kind, int journey, int version, int person,
            int entry, int step, String node, long at, long deadline, @Nullable String reason, @Nullable Map<String, String> vars) {
        out.row(13).int8(id).int4(tenant).text(kind.name()).int4(journey).int4(version).int4(person).int4(entry).int4(step).text(node)
                .int8(at).int8(deadline).text(reason).jsonb(vars == null ? null : FlatJson.bytes(vars, json));
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

    /** A few outbox rows (an event's actions) in one statement: one round trip, where COPY under a savepoint takes four. */
    private static void insertFewOutboxRows(Connection c, List<Batch.Action> outbox, String[] parameters, String[] contexts)
            throws SQLException {
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

    /** Outbox rows by COPY; when an action id is already there, again through a temporary table, ignoring those. */
    private static void insertOutbox(Connection c, CopyBinary.Writer rows) throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        Savepoint savepoint = c.setSavepoint();
        try {
            rows.send(copy.copyIn("COPY journey_outbox (" + OUTBOX_COLUMNS + ") FROM STDIN (FORMAT binary)"));
            c.releaseSavepoint(savepoint);
            return;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(savepoint); // some of these steps were made before a crash: their actions are already there
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE IF NOT EXISTS journey_outbox_in (action_id text, tenant_id int, journey_id int, "
                    + "version int, node text, person int, type text, parameters jsonb, context jsonb, not_before bigint, "
                    + "created_at bigint, ord bigserial) ON COMMIT DELETE ROWS");
        }
        rows.send(copy.copyIn("COPY journey_outbox_in (" + OUTBOX_COLUMNS + ") FROM STDIN (FORMAT binary)"));
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO journey_outbox (" + OUTBOX_COLUMNS + ") SELECT " + OUTBOX_COLUMNS
                    + " FROM journey_outbox_in ORDER BY ord ON CONFLICT (action_id) DO NOTHING");
        }
    }

    @Override
    public void close() {
        running = false;
        snapshots.shutdown();
        try {
            encoder.join(10_000);
            thread.join(10_000);
            writers.shutdown();
            writers.awaitTermination(10, TimeUnit.SECONDS);
            snapshots.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
