package io.siyu.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-event approach of Mautic- and Unomi-style systems, on the same PostgreSQL settings
 * Siyu's embedded database uses (fsync and synchronous commit on): for each event, parse its
 * JSON, then one transaction of {@code INSERT INTO events} plus an upsert of the person's
 * counters. Runs in the bench process with the same number of concurrent workers as the HTTP
 * test. It skips HTTP entirely, which flatters the peer.
 */
final class PeerBaseline implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final JsonMapper json = JsonMapper.builder().build();

    PeerBaseline(Path directory) throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                .setServerConfig("wal_buffers", "16MB")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .start();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE events (
                        id bigserial PRIMARY KEY,
                        message_id text NOT NULL UNIQUE,
                        person text NOT NULL,
                        kind text NOT NULL,
                        name text NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        received_at timestamptz NOT NULL DEFAULT now(),
                        properties jsonb,
                        context jsonb)""");
            s.execute("CREATE INDEX events_person ON events (person, occurred_at)");
            s.execute("""
                    CREATE TABLE profiles (
                        person text PRIMARY KEY,
                        event_count int NOT NULL,
                        order_count int NOT NULL,
                        spend_fen bigint NOT NULL,
                        first_seen timestamptz NOT NULL,
                        last_seen timestamptz NOT NULL,
                        traits jsonb)""");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the peer schema", e);
        }
    }

    private Connection connect() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** Ingests events for {@code seconds} with {@code workers} concurrent connections; returns events/s. */
    double run(List<Payloads.EventJson> events, int workers, double seconds, AtomicLong ids) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("peer-" + w).start(() -> {
                try (Connection c = connect();
                        PreparedStatement insert = c.prepareStatement("""
                                INSERT INTO events (message_id, person, kind, name, occurred_at, properties, context)
                                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""");
                        PreparedStatement upsert = c.prepareStatement("""
                                INSERT INTO profiles AS p (person, event_count, order_count, spend_fen, first_seen, last_seen, traits)
                                VALUES (?, 1, ?, ?, ?, ?, ?::jsonb)
                                ON CONFLICT (person) DO UPDATE SET
                                    event_count = p.event_count + 1,
                                    order_count = p.order_count + excluded.order_count,
                                    spend_fen = p.spend_fen + excluded.spend_fen,
                                    first_seen = least(p.first_seen, excluded.first_seen),
                                    last_seen = greatest(p.last_seen, excluded.last_seen),
                                    traits = coalesce(p.traits, '{}'::jsonb) || coalesce(excluded.traits, '{}'::jsonb)""")) {
                    c.setAutoCommit(false);
                    int next = worker;
                    while (System.nanoTime() < end) {
                        JsonNode event = json.readTree(events.get(next).bytes());
                        next = (next + workers) % events.size();
                        String person = event.path("userId").asString(event.path("anonymousId").asString());
                        String name = event.path("event").asString(event.path("name").asString(""));
                        Timestamp at = Timestamp.from(OffsetDateTime.parse(event.path("timestamp").asString()).toInstant());
                        boolean order = "Order Completed".equals(name);
                        long fen = order ? Math.round(event.path("properties").path("total").asDouble() * 100) : 0;
                        insert.setString(1, "peer-" + ids.getAndIncrement());
                        insert.setString(2, person);
                        insert.setString(3, event.path("type").asString());
                        insert.setString(4, name);
                        insert.setTimestamp(5, at);
                        insert.setString(6, event.path("properties").isMissingNode() ? null : event.path("properties").toString());
                        insert.setString(7, event.path("context").toString());
                        insert.executeUpdate();
                        upsert.setString(1, person);
                        upsert.setInt(2, order ? 1 : 0);
                        upsert.setLong(3, fen);
                        upsert.setTimestamp(4, at);
                        upsert.setTimestamp(5, at);
                        upsert.setString(6, event.path("traits").isMissingNode() ? null : event.path("traits").toString());
                        upsert.executeUpdate();
                        c.commit();
                        done.incrementAndGet();
                    }
                } catch (SQLException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the peer baseline failed", failures.getFirst());
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
