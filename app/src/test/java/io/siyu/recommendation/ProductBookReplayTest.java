package io.siyu.recommendation;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Product popularity and people's product interest are engine state: a restart from a snapshot and
 * a replay of the whole log both give them back; the window slides with the clock; merges carry
 * interest over.
 */
class ProductBookReplayTest {

    private static final int TENANT = 1;
    private static final long NOW = Instant.parse("2026-11-25T02:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final Pattern CATEGORY = Pattern.compile("\"category\":\"([^\"]+)\"");
    @RegisterExtension
    static final MigratedPostgres db = new MigratedPostgres(1, "products");

    @Test
    void popularityAndInterestSurviveSnapshotAndReplay(@TempDir Path snapshots, @TempDir Path empty) {
        PostgresEventLog log = new PostgresEventLog(db.dataSource());
        Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
        Engine live = engine(log, snapshots, 40, clock);
        live.start();
        List<Event> events = new ArrayList<>();
        // last month's hit is outside the window: 20 orders ten days ago count for nothing now
        for (int i = 0; i < 20; i++) {
            events.add(track("old-" + i, "Order Completed", order("old-hit"), NOW - 10 * DAY + i));
        }
        for (int i = 0; i < 60; i++) {
            events.add(track("u-" + i % 7, "Product Viewed", "{\"product_id\":\"p-" + i % 5 + "\",\"category\":\"c-" + i % 2 + "\"}",
                    NOW - i * HOUR));
        }
        events.add(track("u-1", "Order Completed", order("p-4"), NOW - HOUR));
        events.add(track("u-2", "Product Added", "{\"product_id\":\"p-3\",\"category\":\"c-1\",\"name\":\"三号\"}", NOW - HOUR));
        // an anonymous visitor's cart follows them when they log in as u-9, whom we knew already
        events.add(track("u-9", "Product Viewed", "{\"product_id\":\"p-1\",\"category\":\"c-1\"}", NOW - 2 * HOUR));
        events.add(track("anon-9", "Product Added", "{\"product_id\":\"p-2\",\"category\":\"c-0\"}", NOW - HOUR));
        live.submit(events).join();
        live.submit(List.of(new Event(TENANT, 0, EventKind.IDENTIFY, "", NOW, NOW, "m-merge",
                List.of(new Identifier(IdentifierType.USER_ID, "u-9"), new Identifier(IdentifierType.ANONYMOUS_ID, "anon-9")),
                new Traits(), -1, null, List.of(), "web", null, List.of(), new byte[0], new byte[0]))).join();
        String before = describe(live);
        assertThat(before).doesNotContain("old-hit")
                .contains("popular=[p-4, ").contains("u-2=[p-3:in-cart:三号:c-1").contains("u-9=[p-2:in-cart:null:c-0, p-1:viewed");

        live.awaitSnapshots(); // periodic snapshots are written off the partition thread
        Engine fromSnapshot = engine(log, snapshots, 40, clock);
        fromSnapshot.start();
        Engine fromLog = engine(log, empty, 1_000_000, clock);
        fromLog.start();
        try {
            assertThat(fromSnapshot.replayedEvents()).isLessThan(events.size() + 1);
            assertThat(describe(fromSnapshot)).isEqualTo(before);
            assertThat(describe(fromLog)).isEqualTo(before);
        } finally {
            live.close();
            fromSnapshot.close();
            fromLog.close();
        }

        // eight days on, nothing is popular any more, but what u-2 left in the cart is still their interest
        Engine later = engine(log, snapshots, 40, Clock.fixed(Instant.ofEpochMilli(NOW + 8 * DAY), ZoneOffset.UTC));
        later.start();
        try {
            String after = describe(later);
            assertThat(after).contains("popular=[]").contains("u-2=[p-3:in-cart");
        } finally {
            later.close();
        }
    }

    private static Engine engine(PostgresEventLog log, Path snapshots, int snapshotEvery, Clock clock) {
        return new Engine(log, log, new SnapshotStore(snapshots), clock, new Engine.Settings(1, 500, snapshotEvery, 1024),
                EngineListener.NONE, List.of(new ProductExtension()));
    }

    private static String describe(Engine engine) {
        long now = engine.clock().millis();
        return engine.ask(TENANT, state -> {
            ProductBook book = state.part(ProductExtension.ID, ProductBook.class);
            StringBuilder out = new StringBuilder("popular=").append(book.popular(state, 10, now).stream()
                    .map(Recommendation.Item::productId).toList());
            for (String user : List.of("u-1", "u-2", "u-9")) {
                int person = state.graph().canonical(state.graph().lookup(new Identifier(IdentifierType.USER_ID, user)));
                out.append(' ').append(user).append('=').append(book.personal(state, person, 10, now).stream()
                        .map(item -> item.productId() + ":" + item.reason() + ":" + item.name() + ":" + item.category()).toList());
            }
            return out.toString();
        });
    }

    private static String order(String product) {
        return "{\"order_id\":\"o\",\"products\":[{\"product_id\":\"" + product + "\"}]}";
    }

    /** As ingestion makes it: the category interned from the properties too. */
    private static Event track(String id, String name, String properties, long at) {
        IdentifierType type = id.startsWith("anon") ? IdentifierType.ANONYMOUS_ID : IdentifierType.USER_ID;
        Matcher category = CATEGORY.matcher(properties);
        return new Event(TENANT, 0, EventKind.TRACK, name, at, at, "m-" + id + "-" + at + "-" + name.hashCode(),
                List.of(new Identifier(type, id)), new Traits(), -1, null, category.find() ? List.of(category.group(1)) : List.of(),
                "web", null, List.of(),
                properties.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
