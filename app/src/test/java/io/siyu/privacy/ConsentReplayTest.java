package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.Consent;
import io.siyu.action.Purpose;
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

/** Consent is engine state: a restart from a snapshot and a replay of the whole log both give it back. */
class ConsentReplayTest {

    private static final int TENANT = 1;
    private static final Clock clock = Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), ZoneOffset.UTC);
    @RegisterExtension
    static final MigratedPostgres db = new MigratedPostgres(1, "consent");

    @Test
    void consentSurvivesSnapshotAndReplayAndMergesKeepTheStricterAnswer(@TempDir Path snapshots, @TempDir Path empty) {
        PostgresEventLog log = new PostgresEventLog(db.dataSource());
        Engine live = engine(log, snapshots, 50);
        live.start();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(track("u-" + i, "Page Viewed", "{}", i));
        }
        events.add(consent("u-1", "marketing", "refused", 300));
        events.add(consent("u-2", "personalisation", "necessary_only", 301));
        events.add(consent("u-2", "personalisation", "all", 302));
        events.add(consent("u-3", "analytics", "bogus", 303));
        // u-4 refuses marketing as an anonymous visitor, then logs in as u-5, who had said yes: the refusal wins
        events.add(consent("anon-4", "marketing", "refused", 304));
        events.add(consent("u-5", "marketing", "all", 305));
        live.submit(events).join();
        live.submit(List.of(new Event(TENANT, 0, EventKind.IDENTIFY, "", 306, 306, "m-merge",
                List.of(new Identifier(IdentifierType.USER_ID, "u-5"), new Identifier(IdentifierType.ANONYMOUS_ID, "anon-4")),
                new Traits(), -1, null, List.of(), "web", null, List.of(), new byte[0], new byte[0]))).join();
        String before = describe(live);
        assertThat(before).contains("u-1:MARKETING=REFUSED", "u-2:PERSONALISATION=ALL", "u-3:ANALYTICS=ALL",
                "u-5:MARKETING=REFUSED");

        live.awaitSnapshots(); // periodic snapshots are written off the partition thread
        Engine fromSnapshot = engine(log, snapshots, 50);
        fromSnapshot.start();
        Engine fromLog = engine(log, empty, 1_000_000);
        fromLog.start();
        try {
            assertThat(fromSnapshot.replayedEvents()).isLessThan(events.size() + 1);
            assertThat(describe(fromSnapshot)).isEqualTo(before);
            assertThat(describe(fromLog)).isEqualTo(before);
            assertThat(history(fromLog)).isEqualTo(history(live)).isEqualTo(5);
        } finally {
            live.close();
            fromSnapshot.close();
            fromLog.close();
        }
    }

    private static Engine engine(PostgresEventLog log, Path snapshots, int snapshotEvery) {
        return new Engine(log, log, new SnapshotStore(snapshots), clock, new Engine.Settings(1, 500, snapshotEvery, 1024),
                EngineListener.NONE, List.of(new ConsentExtension()));
    }

    private static String describe(Engine engine) {
        return engine.ask(TENANT, state -> {
            ConsentBook book = state.part(ConsentExtension.ID, ConsentBook.class);
            StringBuilder out = new StringBuilder();
            for (String user : List.of("u-1", "u-2", "u-3", "u-5", "u-150")) {
                int person = state.graph().canonical(state.graph().lookup(new Identifier(IdentifierType.USER_ID, user)));
                for (Purpose purpose : Purpose.values()) {
                    Consent consent = book.consentOf(person, purpose);
                    out.append(user).append(':').append(purpose).append('=').append(consent).append(' ');
                }
            }
            return out.toString();
        });
    }

    private static int history(Engine engine) {
        return engine.ask(TENANT, state -> state.part(ConsentExtension.ID, ConsentBook.class).history().size());
    }

    private static Event consent(String id, String purpose, String consent, long at) {
        return track(id, ConsentBook.EVENT, "{\"purpose\":\"" + purpose + "\",\"consent\":\"" + consent + "\"}", at);
    }

    private static Event track(String id, String name, String properties, long at) {
        IdentifierType type = id.startsWith("anon") ? IdentifierType.ANONYMOUS_ID : IdentifierType.USER_ID;
        return new Event(TENANT, 0, EventKind.TRACK, name, at, at, "m-" + id + "-" + at, List.of(new Identifier(type, id)),
                new Traits(), -1, null, List.of(), "web", null, List.of(), properties.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
