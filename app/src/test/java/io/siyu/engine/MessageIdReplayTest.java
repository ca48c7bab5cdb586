package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.ProfileView;
import io.siyu.profile.Traits;
import io.siyu.support.MigratedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotency across a restart, over a log whose events were received across five weeks. The log
 * holds retried messages as well as first ones (the duplicate is dropped when applied, not when
 * written), so a replay must rebuild the message-id window over the whole log, not only its last
 * 7 days: a retry received 3 days after its first copy, both a month before the end of the log,
 * was not applied live and must not be applied by a replay either. This is why replay does not
 * skip the window for events older than its horizon (docs/benchmarks.md, session 6, replay).
 */
class MessageIdReplayTest {

    private static final int TENANT = 1;
    private static final long DAY = 86_400_000L;
    private static final long END = Instant.parse("2026-11-25T02:00:00Z").toEpochMilli();
    private static final Clock clock = Clock.fixed(Instant.ofEpochMilli(END), ZoneOffset.UTC);
    @RegisterExtension
    static final MigratedPostgres db = new MigratedPostgres(1, "dedupe");

    @Test
    void retriesAcrossFiveWeeksAreDroppedLiveAndAfterRestartAlike(@TempDir Path snapshots, @TempDir Path empty) {
        PostgresEventLog log = new PostgresEventLog(db.dataSource());
        Engine live = new Engine(log, log, new SnapshotStore(snapshots), clock,
                new Engine.Settings(1, 500, 1_000_000, 1024), EngineListener.NONE);
        live.start();
        Random random = new Random(7);
        List<String> sent = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        int n = 0;
        long duplicatesBeforeLastWeek = 0;
        for (int day = 35; day >= 1; day--) {
            if (day == 7) {
                duplicatesBeforeLastWeek = live.query(TENANT, TenantState::duplicates).join();
            }
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 60; i++, n++) {
                long at = END - day * DAY + random.nextInt((int) (DAY / 2));
                String id;
                if (!sent.isEmpty() && random.nextInt(5) == 0) {
                    // a retry of an earlier message: some within the window of their first copy, some after it
                    id = sent.get(Math.max(0, sent.size() - 1 - random.nextInt(Math.min(sent.size(), 60 * 10))));
                } else {
                    id = "m-" + n;
                    sent.add(id);
                    sentAt.add(at);
                }
                events.add(event(random, n, id, at));
            }
            live.submit(events).join();
        }
        long liveApplied = live.query(TENANT, TenantState::applied).join();
        long liveDuplicates = live.query(TENANT, TenantState::duplicates).join();
        List<ProfileView> before = EngineReplayTest.views(live);
        live.close();
        // the log has retries older than the last 7 days (which a window rebuilt from the tail would
        // apply) and retries within them
        assertThat(duplicatesBeforeLastWeek).isGreaterThan(100);
        assertThat(liveDuplicates).isGreaterThan(duplicatesBeforeLastWeek + 20);

        Engine restarted = new Engine(log, log, new SnapshotStore(empty), clock,
                new Engine.Settings(1, 500, 1_000_000, 1024), EngineListener.NONE);
        restarted.start();
        try {
            assertThat(restarted.query(TENANT, TenantState::applied).join()).isEqualTo(liveApplied);
            assertThat(restarted.query(TENANT, TenantState::duplicates).join()).isEqualTo(liveDuplicates);
            assertThat(EngineReplayTest.views(restarted)).isEqualTo(before);

            // after the restart, a retry of a message received 2 days ago is still dropped, and a
            // message first received 20 days ago (past the window) is accepted again
            String recent = null;
            String old = null;
            for (int i = 0; i < sent.size(); i++) {
                long age = END - sentAt.get(i);
                if (age > 2 * DAY && age < 3 * DAY) {
                    recent = sent.get(i);
                }
                if (age > 20 * DAY && age < 21 * DAY) {
                    old = sent.get(i);
                }
            }
            assertThat(recent).isNotNull();
            assertThat(old).isNotNull();
            restarted.submit(List.of(event(random, n++, recent, END - DAY / 4))).join();
            assertThat(restarted.query(TENANT, TenantState::duplicates).join()).isEqualTo(liveDuplicates + 1);
            assertThat(restarted.query(TENANT, TenantState::applied).join()).isEqualTo(liveApplied);
            restarted.submit(List.of(event(random, n++, old, END - DAY / 4))).join();
            assertThat(restarted.query(TENANT, TenantState::duplicates).join()).isEqualTo(liveDuplicates + 1);
            assertThat(restarted.query(TENANT, TenantState::applied).join()).isEqualTo(liveApplied + 1);
        } finally {
            restarted.close();
        }
    }

    private static Event event(Random random, int n, String messageId, long receivedAt) {
        int person = random.nextInt(200);
        List<Identifier> ids = List.of(new Identifier(IdentifierType.ANONYMOUS_ID, "a" + person));
        String name = random.nextBoolean() ? "Order Completed" : "Product Viewed";
        return new Event(TENANT, 0, EventKind.TRACK, name, receivedAt, receivedAt, messageId, ids, new Traits(),
                name.startsWith("Order") ? random.nextInt(50_000) : -1, name.startsWith("Order") ? "o" + n : null,
                List.of("母婴"), "app", null, List.of(), "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
