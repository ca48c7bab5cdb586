package io.siyu.journey;

import io.siyu.journey.runtime.JournalSink;
import io.siyu.journey.runtime.JourneyBook;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rebuilds the journey books at start-up: each tenant's latest snapshot, then the journal rows
 * after it (the whole journal for a tenant without one), both read by binary COPY; and encodes a
 * book into a snapshot for {@link JournalWriter#snapshot}.
 */
final class JournalReader {

    private static final char ENROLLED = 'E';
    private static final char LEFT = 'H';
    private static final char SCHEDULED = 'S';

    /** What a restore read: snapshot rows, journal rows, and the lowest journal position a snapshot covered. */
    record Restored(long snapshotRows, long journalRows, long fromJournalId) {}

    private JournalReader() {}

    /**
     * Fills the books (already holding their journeys) from the snapshots and the journal after
     * them; with {@code snapshots} false, from the whole journal. Call {@code rearm} on each book after.
     */
    static Restored restore(DataSource dataSource, JsonMapper json, Map<Integer, JourneyBook> books, boolean snapshots)
            throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            Map<Integer, Long> covered = new HashMap<>();
            if (snapshots) {
                try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, journal_id FROM journey_snapshots");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (books.containsKey(rs.getInt(1))) {
                            covered.put(rs.getInt(1), rs.getLong(2));
                        }
                    }
                }
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long snapshotRows = 0;
            if (!covered.isEmpty()) {
                CopyOut out = copy.copyOut("COPY (SELECT tenant_id, kind, journey_id, version, person, entry, step, node, at, "
                        + "deadline, vars FROM journey_snapshot_rows) TO STDOUT (FORMAT binary)");
                snapshotRows = read(out, row -> {
                    int tenant = CopyBinary.int4(row);
                    row.getInt();
                    char kind = (char) row.get();
                    Step r = Step.read(row);
                    JourneyBook book = covered.containsKey(tenant) ? books.get(tenant) : null;
                    if (book == null) {
                        return;
                    }
                    switch (kind) {
                        case ENROLLED -> book.restoreEnrollment(r.journey, r.version, r.person, r.entry, r.at, r.node, r.step,
                                r.deadline, vars(json, r.vars));
                        case LEFT -> book.restoreHistory(r.journey, r.person, r.entry, r.at);
                        case SCHEDULED -> book.restoreScheduled(r.journey, r.at);
                        default -> throw new IllegalStateException("journey snapshot: unknown row kind " + kind);
                    }
                });
            }
            // a tenant without a snapshot needs the journal from its start
            long from = books.keySet().stream().allMatch(covered::containsKey)
                    ? covered.values().stream().mapToLong(Long::longValue).min().orElse(0) : 0;
            CopyOut out = copy.copyOut("COPY (SELECT id, tenant_id, kind, journey_id, version, person, entry, step, node, at, "
                    + "deadline, vars FROM journey_journal WHERE id > " + from + " ORDER BY id) TO STDOUT (FORMAT binary)");
            long journalRows = read(out, row -> {
                long id = CopyBinary.int8(row);
                int tenant = CopyBinary.int4(row);
                JourneyBook book = books.get(tenant);
                Long snapshot = covered.get(tenant);
                if (book == null || snapshot != null && id <= snapshot) {
                    return;
                }
                JournalSink.Kind kind = kind(CopyBinary.text(row));
                Step r = Step.read(row);
                book.restore(kind, r.journey, r.version, r.person, r.entry, r.step, r.node, r.at, r.deadline, vars(json, r.vars));
            });
            return new Restored(snapshotRows, journalRows, from);
        }
    }

    /** The columns a journal row and a snapshot row share, in the order both COPYs list them. */
    private record Step(int journey, int version, int person, int entry, int step, String node, long at, long deadline,
            @Nullable String vars) {

        static Step read(ByteBuffer row) {
            int journey = CopyBinary.int4(row);
            int version = CopyBinary.int4(row);
            int person = CopyBinary.int4(row);
            int entry = CopyBinary.int4(row);
            int step = CopyBinary.int4(row);
            String node = CopyBinary.text(row);
            return new Step(journey, version, person, entry, step, node == null ? "" : node, CopyBinary.int8(row),
                    CopyBinary.int8(row), CopyBinary.jsonb(row));
        }
    }

    /** Reads a COPY out; each row is read to its end by the reader or skipped here. */
    private static long read(CopyOut out, CopyBinary.RowReader reader) throws SQLException, IOException {
        try {
            return CopyBinary.read(out, row -> {
                int end = rowEnd(row);
                reader.row(row);
                row.position(end);
            });
        } catch (SQLException | IOException | RuntimeException e) {
            if (out.isActive()) {
                try {
                    out.cancelCopy(); // leave the pooled connection usable
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    /** Where the row that starts at the buffer's position (after its field count) ends. */
    private static int rowEnd(ByteBuffer row) {
        int fields = row.getShort(row.position() - 2);
        int at = row.position();
        for (int i = 0; i < fields; i++) {
            int length = row.getInt(at);
            at += 4 + Math.max(0, length);
        }
        return at;
    }

    private static JournalSink.Kind kind(@Nullable String name) {
        return switch (name) {
            case "ENTERED" -> JournalSink.Kind.ENTERED;
            case "AT" -> JournalSink.Kind.AT;
            case "CONVERTED" -> JournalSink.Kind.CONVERTED;
            case "EXITED" -> JournalSink.Kind.EXITED;
            case "SCHEDULED" -> JournalSink.Kind.SCHEDULED;
            case null, default -> throw new IllegalStateException("journey journal: unknown kind " + name);
        };
    }

    private static @Nullable Map<String, String> vars(JsonMapper json, @Nullable String text) {
        return text == null ? null : JourneyRuntime.stringMap(json.readTree(text));
    }

    /**
     * Encodes a book as snapshot rows; call on the thread that owns the book and hand the result
     * to {@link JournalWriter#snapshot} on the same thread before the book changes again.
     */
    static JournalWriter.Snapshot encode(int tenant, JourneyBook book, JsonMapper json) {
        CopyBinary.Writer rows = new CopyBinary.Writer((int) Math.min(1 << 26, book.activeEnrollments() * 60 + 1024));
        long[] people = {0};
        book.snapshot(new JourneyBook.SnapshotSink() {
            @Override
            public void enrollment(int journey, int version, int person, int entry, long enteredAt, String node, int step,
                    long deadline, @Nullable Map<String, String> vars) {
                row(ENROLLED, journey, version, person, entry, step, node, enteredAt, deadline);
                rows.jsonb(vars == null ? null : json.writeValueAsBytes(vars));
                people[0]++;
            }

            @Override
            public void history(int journey, int person, int entries, long lastEntered) {
                row(LEFT, journey, 0, person, entries, 0, null, lastEntered, -1);
                rows.jsonb(null);
            }

            @Override
            public void scheduled(int journey, long at) {
                row(SCHEDULED, journey, 0, -1, 0, 0, null, at, -1);
                rows.jsonb(null);
            }

            private void row(char kind, int journey, int version, int person, int entry, int step, @Nullable String node, long at,
                    long deadline) {
                rows.row(11).int4(tenant).char1(kind).int4(journey).int4(version).int4(person).int4(entry).int4(step).text(node)
                        .int8(at).int8(deadline);
            }
        });
        return new JournalWriter.Snapshot(tenant, rows, people[0], new CompletableFuture<>());
    }
}
