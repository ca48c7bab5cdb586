package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.journey.model.DefinitionParser;
import io.siyu.journey.model.JourneyDefinition;
import io.siyu.journey.runtime.Batch;
import io.siyu.journey.runtime.JourneyBook;
import io.siyu.journey.runtime.PersonLens;
import io.siyu.segment.condition.Condition;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journal as PostgreSQL keeps it (binary COPY, entries folded with their first wait, long
 * batches in parts, outbox rows already there, snapshots): a book rebuilt from it must be the book
 * that wrote it, and must go on to make exactly the same steps and action ids.
 */
class JournalStoreTest {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final long NOW = Instant.parse("2026-11-25T01:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;
    private static final String FLOW = """
            {"name": "store", "trigger": {"type": "api"}, "nodes": [
              {"id": "hello", "type": "action", "action": "message", "parameters": {"text": "你好 {{event.state}}"}, "next": "w1"},
              {"id": "w1", "type": "wait", "duration": "P1D", "next": "b"},
              {"id": "b", "type": "branch", "condition": "order_count >= 3", "then": "gift", "else": "w2"},
              {"id": "gift", "type": "action", "action": "coupon", "next": "done"},
              {"id": "w2", "type": "wait", "duration": "P2D", "next": "nudge"},
              {"id": "nudge", "type": "action", "action": "message", "next": "done"},
              {"id": "done", "type": "exit"}]}""";

    /** Even people pass the branch; the condition itself is the shared language's, tested elsewhere. */
    private static final PersonLens LENS = new PersonLens() {
        public boolean test(Condition condition, int person, long now) {
            return person % 2 == 0;
        }

        public ZoneId zone(int person) {
            return ZoneId.of("Asia/Shanghai");
        }

        public @Nullable Object trait(int person, String name) {
            return null;
        }

        public Map<String, Object> context(int person, long now) {
            return Map.of();
        }

        public void members(String segment, long now, IntConsumer each) {}

        public void everybody(IntConsumer each) {}
    };

    @TempDir
    static Path data;
    static EmbeddedPostgres postgres;
    static DataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
        dataSource = postgres.getPostgresDatabase();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tenants (id int PRIMARY KEY)");
            for (String migration : List.of("V4__journeys.sql", "V14__journey_receipts.sql", "V16__journey_snapshots.sql",
                    "V19__journey_outbox_lean.sql", "V22__journey_outbox_action_id_bytes.sql", "V23__journey_journal_id_blocks.sql")) {
                try (var in = JournalStoreTest.class.getResourceAsStream("/db/migration/" + migration)) {
                    s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE journey_journal, journey_outbox, journey_node_counts, journey_snapshots, journey_snapshot_rows");
        }
    }

    private static JourneyBook book() {
        JourneyDefinition d = DefinitionParser.parse(json.readTree(FLOW), Map.of());
        JourneyBook book = new JourneyBook(1, NOW);
        book.install(1, d.name(), JourneyBook.Status.PUBLISHED, 1, Map.of(1, d), NOW);
        return book;
    }

    private static JourneyBook restored(boolean snapshots) throws Exception {
        JourneyBook book = book();
        JournalReader.restore(dataSource, json, Map.of(1, book), snapshots);
        book.rearm();
        return book;
    }

    /** Enters people 0..n-1, one second apart, with the trigger's properties for some. */
    private static void enter(JourneyBook book, JournalWriter writer, int from, int to) {
        Batch batch = new Batch();
        for (int p = from; p < to; p++) {
            book.enter(1, p, NOW + p * 1_000L, p % 3 == 0 ? Map.of("state", "s" + p) : Map.of(), LENS, batch);
        }
        writer.submit(batch);
    }

    private static Batch advance(JourneyBook book, JournalWriter writer, long to) {
        Batch batch = new Batch();
        book.advance(to, LENS, batch);
        writer.submit(batch);
        return batch;
    }

    private static void assertSameBook(JourneyBook restored, JourneyBook original, int people) {
        assertThat(restored.activeEnrollments()).isEqualTo(original.activeEnrollments());
        assertThat(restored.pendingTimers()).isEqualTo(original.activeEnrollments());
        for (int p = 0; p < people; p++) {
            assertThat(restored.position(1, p)).as("person %d", p).isEqualTo(original.position(1, p));
        }
    }

    /** The actions both books make from here to the end of every wait: the same ids, the same rows. */
    private static void assertSameFuture(JourneyBook restored, JourneyBook original) {
        Batch a = new Batch();
        Batch b = new Batch();
        restored.advance(NOW + 10 * DAY, LENS, a);
        original.advance(NOW + 10 * DAY, LENS, b);
        assertThat(a.actions).isNotEmpty().isEqualTo(b.actions);
        assertThat(a.steps).isEqualTo(b.steps);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aBookRebuiltFromTheJournalIsTheBookThatWroteIt() throws Exception {
        JourneyBook book = book();
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            enter(book, writer, 0, 3_000);
            writer.flush();
            // an entry that goes straight on to a wait is one row, not two
            assertThat(count("SELECT count(*) FROM journey_journal")).isEqualTo(3_000);
            assertThat(count("SELECT count(*) FROM journey_journal WHERE kind = 'ENTERED' AND node = 'w1' AND deadline > 0"))
                    .isEqualTo(3_000);
            assertThat(count("SELECT count(*) FROM journey_outbox")).isEqualTo(3_000);
            assertThat(count("SELECT n FROM journey_node_counts WHERE node = 'hello' AND kind = 'ENTERED'")).isEqualTo(3_000);
            assertThat(count("SELECT count(*) FROM journey_journal WHERE vars->>'state' = 's3'")).isEqualTo(1);
            advance(book, writer, NOW + DAY + 1_500_000L); // the first 1,500 waits end: half exit with a gift, half wait again
            writer.flush();
        }
        JourneyBook restored = restored(false);
        assertSameBook(restored, book, 3_000);
        assertThat(restored.activeEnrollments()).isEqualTo(3_000 - 751); // people 0..1,500 were due; the even ones left
        assertSameFuture(restored, book);
    }

    @Test
    void groupsWrittenSideBySideKeepEachPersonsJournalInStepOrder() throws Exception {
        JourneyBook book = book();
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            for (int p = 0; p < 600; p++) {
                enter(book, writer, p, p + 1); // one small batch each: many groups, written by both writers
            }
            for (int day = 1; day <= 2; day++) { // the even people leave with a gift, the odd ones wait again
                advance(book, writer, NOW + day * DAY + 600_000L);
            }
            writer.flush();
        }
        Map<Long, Integer> lastStep = new HashMap<>();
        long rows = 0;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT person, entry, step FROM journey_journal ORDER BY id")) {
            while (rs.next()) {
                rows++;
                long enrollment = (long) rs.getInt(1) << 32 | rs.getInt(2);
                Integer before = lastStep.put(enrollment, rs.getInt(3));
                if (before != null) {
                    assertThat(rs.getInt(3)).as("person %d: a later step's row has the larger id", rs.getInt(1)).isGreaterThan(before);
                }
            }
        }
        assertThat(rows).isGreaterThan(600 + 300); // entries, second waits, exits
        JourneyBook restored = restored(false);
        assertSameBook(restored, book, 600);
        assertSameFuture(restored, book);
    }

    @Test
    void aSnapshotAndTheJournalAfterItRebuildTheSameBookAsTheWholeJournal() throws Exception {
        JourneyBook book = book();
        long snapshotAt;
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            enter(book, writer, 0, 2_000);
            advance(book, writer, NOW + DAY + 1_000_000L);
            JournalWriter.Snapshot snapshot = JournalReader.encode(1, book, json);
            writer.snapshot(snapshot);
            snapshotAt = snapshot.done().join();
            assertThat(snapshot.people()).isEqualTo(book.activeEnrollments());
            // after the snapshot: more waits end, more people enter, people who left try again
            advance(book, writer, NOW + 3 * DAY);
            enter(book, writer, 2_000, 2_500);
            Batch again = new Batch();
            assertThat(book.enter(1, 0, NOW + 3 * DAY, Map.of(), LENS, again)).isEqualTo(JourneyBook.Entered.ENTRY_RULE);
            writer.flush();
        }
        assertThat(snapshotAt).isPositive().isLessThan(count("SELECT max(id) FROM journey_journal"));
        // at the snapshot people 0..1,000 had been due; the 501 even ones had left
        assertThat(count("SELECT people FROM journey_snapshots WHERE tenant_id = 1")).isEqualTo(2_000 - 501);
        assertThat(count("SELECT count(*) FROM journey_snapshot_rows WHERE kind = 'H'")).isEqualTo(501);

        JourneyBook fromSnapshot = book();
        JournalReader.Restored read = JournalReader.restore(dataSource, json, Map.of(1, fromSnapshot), true);
        fromSnapshot.rearm();
        JourneyBook fromJournal = book();
        JournalReader.Restored whole = JournalReader.restore(dataSource, json, Map.of(1, fromJournal), false);
        fromJournal.rearm();
        assertThat(read.snapshotRows()).isEqualTo(2_000);
        assertThat(read.fromJournalId()).isEqualTo(snapshotAt);
        assertThat(whole.snapshotRows()).isZero();
        assertThat(count("SELECT count(*) FROM journey_journal WHERE id > " + snapshotAt)).isLessThan(
                count("SELECT count(*) FROM journey_journal"));

        assertSameBook(fromSnapshot, book, 2_500);
        assertSameBook(fromJournal, book, 2_500);
        // who left stays out under the entry rule, in both
        Batch a = new Batch();
        Batch b = new Batch();
        assertThat(fromSnapshot.enter(1, 0, NOW + 4 * DAY, Map.of(), LENS, a)).isEqualTo(JourneyBook.Entered.ENTRY_RULE);
        assertThat(fromJournal.enter(1, 0, NOW + 4 * DAY, Map.of(), LENS, b)).isEqualTo(JourneyBook.Entered.ENTRY_RULE);
        assertSameFuture(fromSnapshot, fromJournal);
    }

    @Test
    void aSecondSnapshotReplacesTheFirst() throws Exception {
        JourneyBook book = book();
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            enter(book, writer, 0, 300);
            writer.snapshot(JournalReader.encode(1, book, json));
            enter(book, writer, 300, 400);
            JournalWriter.Snapshot second = JournalReader.encode(1, book, json);
            writer.snapshot(second);
            second.done().join();
        }
        assertThat(count("SELECT count(*) FROM journey_snapshot_rows")).isEqualTo(400);
        JourneyBook restored = restored(true);
        assertSameBook(restored, book, 400);
    }

    @Test
    void aLongDrainIsDurableInPartsAndACrashBetweenThemLosesAndRepeatsNothing() throws Exception {
        int people = 30_000;
        JourneyBook book = book();
        Batch drain;
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            Batch entries = new Batch();
            for (int p = 0; p < people; p++) {
                book.enter(1, p, NOW, Map.of(), LENS, entries);
            }
            writer.submit(entries);
            writer.flush();
            drain = new Batch();
            book.advance(NOW + DAY, LENS, drain); // 30,000 waits at one instant: 105,000 steps and actions
        }
        List<Batch> parts = drain.parts(JournalWriter.PART_ROWS);
        assertThat(parts).hasSizeGreaterThan(1);
        for (Batch part : parts) { // a part holds whole people: every action's person has their steps in the same part
            Set<Integer> stepped = new HashSet<>();
            part.steps.forEach(s -> stepped.add(s.person()));
            part.actions.forEach(a -> assertThat(stepped).contains(a.person()));
        }
        // "crash" after the first part is durable: only it reaches the journal
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            Batch first = parts.getFirst();
            Batch copy = new Batch();
            copy.steps.addAll(first.steps);
            copy.actions.addAll(first.actions);
            writer.submit(copy);
            writer.flush();
        }
        // the even half get a gift (five rows each), the odd half wait again (two rows each)
        long afterFirst = count("SELECT count(*) FROM journey_outbox WHERE node = 'gift'");
        assertThat(afterFirst).isEqualTo(parts.getFirst().actions.size()).isPositive().isLessThan(people / 2);
        // restart: the people of the lost parts are still waiting, their waits due; they move on, the rest do not move twice
        JourneyBook restarted = restored(false);
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            Batch again = advance(restarted, writer, NOW + DAY);
            writer.flush();
            assertThat(again.actions).hasSize(people / 2 - (int) afterFirst);
        }
        assertThat(count("SELECT count(*) FROM journey_outbox WHERE node = 'gift'")).isEqualTo(people / 2);
        assertThat(count("SELECT count(DISTINCT person) FROM journey_outbox WHERE node = 'gift'")).isEqualTo(people / 2);
        List<String> ids = new ArrayList<>();
        drain.actions.forEach(a -> ids.add(a.actionId()));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT action_id FROM journey_outbox WHERE node = 'gift'")) {
            List<String> stored = new ArrayList<>();
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
            assertThat(stored).containsExactlyInAnyOrderElementsOf(ids); // the same ids the uninterrupted drain made
        }
        assertSameBook(restarted, book, people);
    }

    @Test
    void outboxRowsAlreadyThereStayAsTheyAreAndTheNewOnesAreAdded() throws Exception {
        // a few rows go in one statement, many by COPY (whose duplicate path is a temporary table): both keep what is there
        for (int people : new int[] {10, JournalWriter.FEW_OUTBOX_ROWS * 2}) {
            empty();
            JourneyBook book = book();
            Batch first = new Batch();
            for (int p = 0; p < people; p++) {
                book.enter(1, p, NOW, Map.of(), LENS, first);
            }
            try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
                writer.submit(first);
                writer.flush();
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE journey_outbox SET status = 'DONE', done_at = 1 WHERE person < 5");
                }
                // the same steps made again after a crash, together with new ones
                Batch repeated = new Batch();
                repeated.actions.addAll(first.actions);
                JourneyBook other = book();
                for (int p = people; p < people + 5; p++) {
                    other.enter(1, p, NOW, Map.of(), LENS, repeated);
                }
                writer.submit(repeated);
                writer.flush();
            }
            assertThat(count("SELECT count(*) FROM journey_outbox")).isEqualTo(people + 5);
            assertThat(count("SELECT count(*) FROM journey_outbox WHERE status = 'DONE'")).isEqualTo(5);
            assertThat(count("SELECT count(*) FROM journey_outbox WHERE status = 'PENDING'")).isEqualTo(people);
            assertThat(count("SELECT count(*) FROM journey_outbox WHERE parameters->>'text' = '你好 '")).isEqualTo(people + 5);
            assertThat(count("SELECT count(*) FROM journey_journal")).isEqualTo(people + 5);
        }
    }
}
