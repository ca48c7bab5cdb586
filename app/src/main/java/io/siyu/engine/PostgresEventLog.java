package io.siyu.engine;

import io.siyu.identity.Identifier;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * The event log in PostgreSQL. Writes use binary COPY, one transaction per group of events, so one
 * fsync covers thousands of events; replay streams binary COPY out, which reads several hundred
 * thousand rows a second without per-row protocol overhead, and decodes each row where it lies.
 */
public final class PostgresEventLog implements EventLog, IdentityRules {

    private static final byte[] COPY_HEADER = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    /** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
    private static final long PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000L;

    private final DataSource dataSource;

    public PostgresEventLog(DataSource dataSource) {
        this(dataSource, REPLAY_CHUNK, REPLAY_READERS);
    }

    /** With the range size and number of connections of a parallel replay (1 reader: one stream). */
    public PostgresEventLog(DataSource dataSource, int replayChunk, int replayReaders) {
        if (replayChunk < 1 || replayReaders < 1) {
            throw new IllegalArgumentException("a replay needs ranges of at least one event and a reader");
        }
        this.dataSource = dataSource;
        this.replayChunk = replayChunk;
        this.replayReaders = replayReaders;
    }

    @Override
    public void append(List<Event> events) {
        write(events).commit();
    }

    @Override
    public void append(List<Event> events, List<Attached> attached) {
        write(events, attached).commit();
    }

    @Override
    public Pending write(List<Event> events) {
        return write(events, List.of());
    }

    /**
     * Runs the attached writes and COPYs the group into an open transaction on a connection of its
     * own, which commit or abort returns. A failing attached write fails here, before anything commits.
     */
    @Override
    public Pending write(List<Event> events, List<Attached> attached) {
        CopyBuffer buffer = encode(events);
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write " + events.size() + " events to the log", e);
        }
        try {
            connection.setAutoCommit(false);
            for (Attached write : attached) {
                write.write(connection);
            }
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY event_log (seq, tenant_id, received_at, body) FROM STDIN (FORMAT binary)");
            copy.writeToCopy(buffer.array(), 0, buffer.size());
            copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            rollbackAndClose(connection, e);
            throw new IllegalStateException("could not write " + events.size() + " events to the log", e);
        }
        return new Pending() {
            @Override
            public void commit() {
                try {
                    connection.commit();
                } catch (SQLException e) {
                    rollbackAndClose(connection, e);
                    throw new IllegalStateException("could not commit " + events.size() + " events to the log", e);
                }
                close(connection);
            }

            @Override
            public void abort() {
                rollbackAndClose(connection, null);
            }
        };
    }

    private static void rollbackAndClose(Connection connection, @org.jspecify.annotations.Nullable Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
        close(connection);
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the pool discards a broken connection
        }
    }

    private static CopyBuffer encode(List<Event> events) {
        CopyBuffer buffer = new CopyBuffer(events.size() * 768);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.write(COPY_HEADER);
            out.writeInt(0);
            out.writeInt(0);
            for (Event event : events) {
                out.writeShort(4);
                out.writeInt(8);
                out.writeLong(event.seq());
                out.writeInt(4);
                out.writeInt(event.tenant());
                out.writeInt(8);
                out.writeLong(event.receivedAt() * 1000 - PG_EPOCH_OFFSET_MICROS);
                out.flush();
                int lengthAt = buffer.size();
                out.writeInt(0); // the body's length, known once it is written
                EventCodec.encode(event, out);
                out.flush();
                buffer.putInt(lengthAt, buffer.size() - lengthAt - 4);
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer;
    }

    /**
     * The COPY data of one group, encoded in place: no byte array per event and no copy of the
     * whole group at the end.
     */
    private static final class CopyBuffer extends ByteArrayOutputStream {
        CopyBuffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }

        void putInt(int at, int value) {
            buf[at] = (byte) (value >>> 24);
            buf[at + 1] = (byte) (value >>> 16);
            buf[at + 2] = (byte) (value >>> 8);
            buf[at + 3] = (byte) value;
        }
    }

    @Override
    public long lastSeq() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM event_log");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the end of the event log", e);
        }
    }

    /**
     * Streams the log in order. A long replay of every tenant reads interleaved ranges of
     * {@link #REPLAY_CHUNK} sequence numbers over {@link #REPLAY_READERS} connections at once, so
     * PostgreSQL's side of the read runs in parallel too; the ranges are handed to {@code sink} on
     * the calling thread strictly in sequence order.
     */
    @Override
    public void replay(long afterSeq, int tenant, Consumer<Event> sink) {
        if (tenant == 0 && replayReaders > 1) {
            long last = lastSeq();
            if (last - afterSeq > replayChunk) {
                replayInParallel(afterSeq, last, sink);
                return;
            }
        }
        replayRange(afterSeq, Long.MAX_VALUE, tenant, sink);
    }

    /** Sequence numbers per range of a parallel replay. */
    static final int REPLAY_CHUNK = 100_000;
    /**
     * Connections a replay reads over ({@code -Dsiyu.engine.replay-readers}). One by default: on two
     * cores a second reader and its PostgreSQL backend compete with the apply thread, and replay
     * measured 122,720 events/s with two against 232,316 with one (docs/benchmarks.md, session 4).
     * More cores than two are what the parallel ranges are for.
     */
    static final int REPLAY_READERS = Integer.getInteger("siyu.engine.replay-readers", 1);
    private static final int HANDOVER = 1_024;
    private static final List<Event> END_OF_RANGE = List.of();

    private final int replayChunk;
    private final int replayReaders;

    /** Streams {@code afterSeq < seq <= upTo} ({@code upTo} = MAX_VALUE: to the end). */
    private void replayRange(long afterSeq, long upTo, int tenant, Consumer<Event> sink) {
        String sql = "COPY (SELECT seq, tenant_id, body FROM event_log WHERE seq > " + afterSeq
                + (upTo == Long.MAX_VALUE ? "" : " AND seq <= " + upTo)
                + (tenant > 0 ? " AND tenant_id = " + tenant : "") + " ORDER BY seq) TO STDOUT (FORMAT binary)";
        try (Connection connection = dataSource.getConnection()) {
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            try {
                readRows(copy, sink);
            } catch (RuntimeException e) {
                if (copy.isActive()) {
                    try {
                        copy.cancelCopy(); // leave the pooled connection usable
                    } catch (SQLException cancel) {
                        e.addSuppressed(cancel);
                    }
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not replay the event log after " + afterSeq, e);
        }
    }

    /** Raised in a reader when the replay was abandoned; never reaches the caller. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private void replayInParallel(long afterSeq, long last, Consumer<Event> sink) {
        int ranges = (int) ((last - afterSeq + replayChunk - 1) / replayChunk);
        java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        List<java.util.concurrent.BlockingQueue<List<Event>>> queues = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < replayReaders; r++) {
            java.util.concurrent.BlockingQueue<List<Event>> queue = new java.util.concurrent.ArrayBlockingQueue<>(32);
            queues.add(queue);
            int first = r;
            readers.add(Thread.ofPlatform().name("siyu-replay-read-" + r).daemon(true).start(() -> {
                try {
                    for (int range = first; range < ranges && !abandoned.get(); range += replayReaders) {
                        long from = afterSeq + (long) range * replayChunk;
                        // the last range is open-ended: whatever the log holds past it is read too
                        long upTo = range == ranges - 1 ? Long.MAX_VALUE : from + replayChunk;
                        List<Event> batch = new ArrayList<>(HANDOVER);
                        replayRange(from, upTo, 0, event -> {
                            batch.add(event);
                            if (batch.size() == HANDOVER) {
                                put(queue, List.copyOf(batch), abandoned);
                                batch.clear();
                            }
                        });
                        if (!batch.isEmpty()) {
                            put(queue, List.copyOf(batch), abandoned);
                        }
                        put(queue, END_OF_RANGE, abandoned);
                    }
                } catch (Abandoned e) {
                    // the caller stopped reading
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    abandoned.set(true);
                }
            }));
        }
        try {
            for (int range = 0; range < ranges; range++) {
                java.util.concurrent.BlockingQueue<List<Event>> queue = queues.get(range % replayReaders);
                while (true) {
                    List<Event> batch = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (batch == null) {
                        if (failure.get() != null) {
                            throw failure.get();
                        }
                        continue;
                    }
                    if (batch == END_OF_RANGE) {
                        break;
                    }
                    for (Event event : batch) {
                        sink.accept(event);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying the event log", e);
        } finally {
            abandoned.set(true);
            for (Thread reader : readers) {
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void put(java.util.concurrent.BlockingQueue<List<Event>> queue, List<Event> batch,
            java.util.concurrent.atomic.AtomicBoolean abandoned) {
        try {
            while (!queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (abandoned.get()) {
                    throw new Abandoned();
                }
            }
        } catch (InterruptedException e) {
            throw new Abandoned();
        }
    }

    private static void readRows(CopyOut copy, Consumer<Event> sink) throws SQLException {
        StringTable strings = new StringTable();
        try {
            boolean header = true;
            // PostgreSQL sends each row as one CopyData message (the first also carries the file
            // header), so rows are decoded in place: no stream layers, no copy of the body.
            for (byte[] message = copy.readFromCopy(); message != null; message = copy.readFromCopy()) {
                ByteBuffer row = ByteBuffer.wrap(message);
                if (header) {
                    if (message.length < COPY_HEADER.length + 8
                            || !Arrays.equals(message, 0, COPY_HEADER.length, COPY_HEADER, 0, COPY_HEADER.length)) {
                        throw new IllegalStateException("event log replay: not a binary COPY stream");
                    }
                    row.position(COPY_HEADER.length + 4); // past the signature and the flags
                    int extension = row.getInt();
                    row.position(row.position() + extension);
                    header = false;
                }
                while (row.remaining() >= 2) {
                    if (row.getShort() == -1) {
                        break; // the trailer; keep reading until the server ends the COPY
                    }
                    row.getInt();
                    long seq = row.getLong();
                    row.getInt();
                    int tenantId = row.getInt();
                    int length = row.getInt();
                    if (length < 0 || length > row.remaining()) {
                        throw new IllegalStateException("event log replay: row " + seq + " ended early");
                    }
                    sink.accept(EventCodec.decode(tenantId, seq, message, row.position(), length, strings));
                    row.position(row.position() + length);
                }
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("event log replay: a row ended early", e);
        }
    }

    @Override
    public List<Distinct> distinctFor(int tenant) {
        List<Distinct> rules = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT left_identifier, right_identifier, since_seq FROM identity_rules WHERE tenant_id = ? AND kind = 'DISTINCT' ORDER BY id")) {
            statement.setInt(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rules.add(new Distinct(Identifier.parse(rs.getString(1)), Identifier.parse(rs.getString(2)), rs.getLong(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read identity rules of tenant " + tenant, e);
        }
        return rules;
    }

    @Override
    public void addDistinct(int tenant, Distinct rule) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO identity_rules (tenant_id, kind, left_identifier, right_identifier, since_seq) VALUES (?, 'DISTINCT', ?, ?, ?)")) {
            statement.setInt(1, tenant);
            statement.setString(2, rule.a().toString());
            statement.setString(3, rule.b().toString());
            statement.setLong(4, rule.sinceSeq());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store identity rule for tenant " + tenant, e);
        }
    }
}
