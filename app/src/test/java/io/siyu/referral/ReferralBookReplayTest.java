package io.siyu.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.engine.Engine;
import io.siyu.engine.EngineListener;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.PostgresEventLog;
import io.siyu.engine.SnapshotStore;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import io.siyu.support.MigratedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Touches and unjudged conversions are engine state: they survive a restart from a snapshot and a
 * replay of the whole log, so a friend who opened a link before the restart is still attributed to
 * the right sharer after it, and no conversion is lost between the log and the attribution table.
 */
class ReferralBookReplayTest {

    private static final int TENANT = 1;
    private static final String CODE_A = "AAAAAAAAAA";
    private static final String CODE_B = "BBBBBBBBBB";
    private static final Clock clock = Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), ZoneOffset.UTC);
    @RegisterExtension
    static final MigratedPostgres db = new MigratedPostgres(1, "referral");

    @Test
    void touchesAndPendingConversionsSurviveSnapshotAndReplay(@TempDir Path snapshots, @TempDir Path empty) {
        PostgresEventLog log = new PostgresEventLog(db.dataSource());
        Engine live = engine(log, snapshots);
        live.start();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            events.add(track(List.of(user("filler-" + i)), "Page Viewed", "{}", 1_000 + i));
        }
        events.add(track(List.of(user("old")), "Order Completed", "{\"order_id\":\"o-1\"}", 5_000));
        events.add(track(List.of(anon("anon-1")), ReferralBook.LINK_OPENED, opened(CODE_A), 10_000));
        events.add(track(List.of(anon("anon-1")), ReferralBook.LINK_OPENED, opened(CODE_B), 10_001)); // first touch wins
        events.add(track(List.of(user("old")), ReferralBook.LINK_OPENED, opened(CODE_A), 10_002));
        events.add(track(List.of(anon("anon-2")), ReferralBook.LINK_OPENED, opened(CODE_B), 10_003));
        events.add(track(List.of(anon("anon-3")), ReferralBook.LINK_OPENED, "{\"referral_code\":\"not-a-code\"}", 10_004));
        live.submit(events).join();
        live.submit(List.of(
                track(List.of(user("friend-1"), anon("anon-1")), ReferralBook.SIGNED_UP, "{}", 20_000),
                track(List.of(user("old")), ReferralBook.SIGNED_UP, "{}", 20_001),
                track(List.of(user("friend-1")), ReferralBook.SIGNED_UP, "{\"referral_code\":\"" + CODE_B + "\"}", 20_002))).join();
        assertThat(pending(live)).containsExactly("AAAAAAAAAA new via Signed Up", "AAAAAAAAAA existing via Signed Up");
        live.ask(TENANT, state -> {
            state.part(ReferralExtension.ID, ReferralBook.class).judged(1); // the attributor stored the first
            return null;
        });
        live.snapshotAll();
        live.close();

        Engine fromSnapshot = engine(log, snapshots);
        fromSnapshot.start();
        Engine fromLog = engine(log, empty);
        fromLog.start();
        try {
            assertThat(pending(fromSnapshot)).containsExactly("AAAAAAAAAA existing via Signed Up");
            // without a snapshot the log yields every conversion again; the attributor's table ignores repeats
            assertThat(pending(fromLog)).containsExactly("AAAAAAAAAA new via Signed Up", "AAAAAAAAAA existing via Signed Up");
            for (Engine engine : List.of(fromSnapshot, fromLog)) {
                int touches = engine.ask(TENANT, state -> state.part(ReferralExtension.ID, ReferralBook.class).touches());
                assertThat(touches).isEqualTo(3); // friend-1 (anon-1 merged in), old, anon-2; anon-3 sent no valid code
            }
            // one engine writes the log at a time: two engines numbering the same log would take the same seq
            fromLog.close();
            fromSnapshot.submit(List.of(track(List.of(user("friend-2"), anon("anon-2")), ReferralBook.FOLLOWED, "{}", 30_000))).join();
            assertThat(pending(fromSnapshot)).last().isEqualTo("BBBBBBBBBB new via Official Account Followed");
            fromSnapshot.close();
            Engine again = engine(log, empty);
            again.start();
            try {
                assertThat(pending(again)).last().isEqualTo("BBBBBBBBBB new via Official Account Followed");
            } finally {
                again.close();
            }
        } finally {
            fromSnapshot.close();
            fromLog.close();
        }
    }

    private static Engine engine(PostgresEventLog log, Path snapshots) {
        return new Engine(log, log, new SnapshotStore(snapshots), clock, new Engine.Settings(1, 500, 1_000_000, 1024),
                EngineListener.NONE, List.of(new ReferralExtension(JsonMapper.builder().build())));
    }

    private static List<String> pending(Engine engine) {
        return engine.ask(TENANT, state -> state.part(ReferralExtension.ID, ReferralBook.class).pending().stream()
                .map(c -> c.code() + (c.existing() ? " existing" : " new") + " via " + c.via()).toList());
    }

    private static String opened(String code) {
        return "{\"referral_code\":\"" + code + "\"}";
    }

    private static Identifier user(String id) {
        return new Identifier(IdentifierType.USER_ID, id);
    }

    private static Identifier anon(String id) {
        return new Identifier(IdentifierType.ANONYMOUS_ID, id);
    }

    private static Event track(List<Identifier> identifiers, String name, String properties, long at) {
        return new Event(TENANT, 0, EventKind.TRACK, name, at, at, "m-" + name + "-" + identifiers.getFirst().value() + "-" + at, identifiers,
                new Traits(), -1, null, List.of(), "web", null, List.of(), properties.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
