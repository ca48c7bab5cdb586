package io.siyu.segment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.engine.TenantState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps every segment entry and exit and every rule-tag assignment and removal in PostgreSQL, so
 * that a person's history shows them after restarts and beyond the in-memory window. The partition
 * thread only hands the change to a bounded queue; a writer thread inserts in batches, retrying
 * while the database is away. When the queue is full (the database has been away for a long
 * time) a change is counted in {@code siyu_membership_history_dropped_total} rather than
 * blocking the engine.
 */
@Component
class MembershipHistory implements MembershipListener, DisposableBean {

    static final int CAPACITY = 200_000;
    private static final int BATCH = 5_000;
    private static final Logger log = LoggerFactory.getLogger(MembershipHistory.class);

    /** One change, as stored. */
    record Row(int tenant, int person, String name, boolean tag, boolean entered, long at) {}

    /** One change, as the API shows it. */
    record Entry(String name, String kind, String change, Instant at) {}

    private final BlockingQueue<Row> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final JdbcTemplate jdbc;
    private final JdbcClient client;
    private final Counter dropped;
    private final Counter written;
    private final Thread writer;
    private volatile boolean running = true;

    MembershipHistory(JdbcTemplate jdbc, JdbcClient client, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.client = client;
        this.dropped = Counter.builder("siyu_membership_history_dropped").description(
                "segment and rule-tag changes not recorded because the history queue was full").register(meters);
        this.written = Counter.builder("siyu_membership_history_written").register(meters);
        this.writer = Thread.ofPlatform().name("siyu-membership-history").daemon().start(this::write);
    }

    @Override
    public void changed(TenantState state, String name, boolean tag, int person, boolean entered, long at) {
        if (!queue.offer(new Row(state.tenant(), person, name, tag, entered, at))) {
            dropped.increment();
        }
    }

    /** The newest changes of the given person indexes (a person and those merged into them). */
    List<Entry> of(int tenant, Collection<Integer> people, int limit) {
        return client.sql("""
                SELECT name, kind, entered, at FROM membership_changes
                WHERE tenant_id = ? AND person = ANY (?) ORDER BY at DESC, name LIMIT ?""")
                .params(tenant, people.toArray(Integer[]::new), limit)
                .query((rs, n) -> {
                    boolean tag = rs.getString("kind").equals("TAG");
                    boolean entered = rs.getBoolean("entered");
                    String change = tag ? (entered ? "assigned" : "removed") : (entered ? "entered" : "exited");
                    return new Entry(rs.getString("name"), tag ? "tag" : "segment", change, rs.getTimestamp("at").toInstant());
                })
                .list();
    }

    private void write() {
        List<Row> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Row first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                insert(batch);
                written.increment(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Could not record {} membership changes, retrying in 1 s: {}", batch.size(), e.getMessage());
                sleep();
            }
        }
    }

    private void insert(List<Row> batch) {
        jdbc.batchUpdate("""
                INSERT INTO membership_changes (tenant_id, person, name, kind, entered, at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", batch, batch.size(), (ps, row) -> {
            ps.setInt(1, row.tenant());
            ps.setInt(2, row.person());
            ps.setString(3, row.name());
            ps.setString(4, row.tag() ? "TAG" : "SEGMENT");
            ps.setBoolean(5, row.entered());
            ps.setTimestamp(6, Timestamp.from(Instant.ofEpochMilli(row.at())));
        });
    }

    private void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        writer.join(10_000);
    }
}
