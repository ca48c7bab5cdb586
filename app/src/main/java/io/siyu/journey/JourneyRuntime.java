package io.siyu.journey;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.engine.Engine;
import io.siyu.engine.EngineListener;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.PostgresEventLog;
import io.siyu.engine.TenantState;
import io.siyu.identity.Identifier;
import io.siyu.journey.model.DefinitionParser;
import io.siyu.journey.model.JourneyDefinition;
import io.siyu.journey.runtime.Batch;
import io.siyu.journey.runtime.JournalSink;
import io.siyu.journey.runtime.JourneyBook;
import io.siyu.segment.MembershipListener;
import io.siyu.platform.ErasureListener;
import io.siyu.platform.TenantId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the journeys beside the engine (ADR 0005): each tenant's {@link JourneyBook} lives on the
 * tenant's engine partition thread and is fed by the engine's events ({@link EngineListener}) and
 * segment changes ({@link MembershipListener}) as they are applied, and by time (a one-second
 * ticker, or the simulated clock). What the books do goes to the {@link JournalWriter}; the
 * {@link OutboxDispatcher} performs actions once they are durable.
 *
 * <p>At start-up the books are rebuilt from their latest snapshots and the journal after them
 * ({@link JournalReader}; a snapshot is taken every {@code siyu.journey.snapshot-rows} journal
 * rows), then the events logged after the last
 * durable journey step are fed again (the journal cursor), before the web server takes traffic.
 * Steps are deterministic given the event and the state, and action ids name the step, so what was
 * lost in a crash is redone and what was durable is recognised.
 */
@Component
@DependsOnDatabaseInitialization
class JourneyRuntime implements EngineListener, MembershipListener, ErasureListener, SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JourneyRuntime.class);
    private static final int CATCH_UP_BATCH = 1_000;

    private final Map<Integer, JourneyBook> books = new ConcurrentHashMap<>();
    private final Clock clock;
    private final JsonMapper json;
    private final JdbcClient jdbc;
    private final Journeys journeys;
    private final JournalWriter writer;
    private final ObjectProvider<Engine> engines;
    private final ObjectProvider<PostgresEventLog> eventLogs;
    private final MeterRegistry meters;
    private final OutboxDispatcher dispatcher;
    private volatile boolean live;
    private volatile long lastSeenSeq;
    private volatile long cursorWritten;
    private final DataSource dataSource;
    /** Journal rows written since the last snapshot after which the next is taken (0: never). */
    private final long snapshotRows;
    private volatile long journalRowsAtSnapshot;
    private volatile @Nullable CompletableFuture<?> snapshotting;
    private @Nullable ScheduledExecutorService ticker;

    JourneyRuntime(Clock clock, JsonMapper json, JdbcClient jdbc, DataSource dataSource, Journeys journeys,
            ObjectProvider<Engine> engines, ObjectProvider<PostgresEventLog> eventLogs, MeterRegistry meters,
            OutboxDispatcher dispatcher, @Value("${siyu.journey.snapshot-rows:2000000}") long snapshotRows) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.snapshotRows = snapshotRows;
        this.json = json;
        this.jdbc = jdbc;
        this.journeys = journeys;
        this.engines = engines;
        this.eventLogs = eventLogs;
        this.meters = meters;
        this.dispatcher = dispatcher;
        this.writer = new JournalWriter(dataSource, json, dispatcher::wake);
    }

    // ---- start-up ------------------------------------------------------------------------------

    @Override
    public void afterSingletonsInstantiated() {
        long started = System.nanoTime();
        Engine engine = engines.getObject();
        long now = clock.millis();
        for (Journeys.Stored stored : journeys.all()) {
            if (stored.status() != Journeys.Status.DRAFT) {
                install(engine, stored, now);
            }
        }
        JournalReader.Restored restored;
        try {
            restored = JournalReader.restore(dataSource, json, books, true);
        } catch (java.sql.SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot read the journey journal", e);
        }
        journalRowsAtSnapshot = -restored.journalRows(); // a long tail read now counts toward the next snapshot
        books.values().forEach(JourneyBook::rearm);
        long cursor = jdbc.sql("SELECT seq FROM journey_cursor WHERE id = 1").query(Long.class).single();
        long caughtUp = 0;
        if (cursor < 0) {
            jdbc.sql("UPDATE journey_cursor SET seq = ? WHERE id = 1").param(engine.lastSeq()).update();
        } else {
            caughtUp = catchUp(engine, cursor);
        }
        live = true;
        if (snapshotRows > 0 && restored.journalRows() >= snapshotRows) {
            snapshotting = snapshot(); // the next restart should not read this tail again; written in the background
        }
        log.info("Journeys restored in {} ms: {} snapshot rows, {} journal rows after {}, {} people in journeys, "
                + "{} events fed again after seq {}", (System.nanoTime() - started) / 1_000_000, restored.snapshotRows(),
                restored.journalRows(), restored.fromJournalId(),
                books.values().stream().mapToLong(JourneyBook::activeEnrollments).sum(), caughtUp, cursor);
        registerMetrics();
        dispatcher.start();
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("siyu-journey-ticker").daemon(true).factory());
        ticker.scheduleWithFixedDelay(this::tickSafely, 1, 1, TimeUnit.SECONDS);
    }

    /** Feeds the events after the cursor again, person by person as the engine attributes them now. */
    private long catchUp(Engine engine, long cursor) {
        List<Event> pending = new ArrayList<>();
        long[] count = {0};
        eventLogs.getObject().replay(cursor, 0, event -> {
            pending.add(event);
            if (pending.size() == CATCH_UP_BATCH) {
                count[0] += feedAgain(engine, pending);
                pending.clear();
            }
        });
        count[0] += feedAgain(engine, pending);
        return count[0];
    }

    private long feedAgain(Engine engine, List<Event> events) {
        Map<Integer, List<Event>> byTenant = new HashMap<>();
        for (Event event : events) {
            if (books.containsKey(event.tenant()) && event.kind() != EventKind.MERGE) {
                byTenant.computeIfAbsent(event.tenant(), t -> new ArrayList<>()).add(event);
            }
        }
        byTenant.forEach((tenant, list) -> engine.ask(tenant, state -> {
            for (Event event : list) {
                int person = personOf(state, event);
                if (person >= 0) {
                    handle(state, event, person);
                }
            }
            return null;
        }));
        return byTenant.values().stream().mapToLong(List::size).sum();
    }

    private static int personOf(TenantState state, Event event) {
        for (Identifier identifier : event.identifiers()) {
            int person = state.graph().lookup(identifier);
            if (person >= 0) {
                return state.graph().canonical(person);
            }
        }
        return -1;
    }

    // ---- what the engine tells -----------------------------------------------------------------

    @Override
    public void applied(TenantState state, Event event, int person) {
        if (live) {
            handle(state, event, person);
        }
        // only now: the ticker's cursor batch must queue behind this event's own batch
        lastSeenSeq = event.seq();
    }

    private void handle(TenantState state, Event event, int person) {
        JourneyBook book = books.get(state.tenant());
        if (book == null || event.kind() != EventKind.TRACK) {
            return;
        }
        Batch.Outcome receipt = RECEIPTS.get(event.name());
        boolean interested = book.interestedIn(event.name());
        if (receipt == null && !interested) {
            return;
        }
        JsonNode properties = event.properties().length == 0 ? json.createObjectNode() : json.readTree(event.properties());
        Batch batch = new Batch();
        if (receipt != null) {
            receipt(state.tenant(), event, properties, receipt, batch);
        }
        if (interested) {
            Function<String, @Nullable Object> lookup = name -> scalar(properties.get(name));
            batch.eventSeq = event.seq();
            book.onEvent(event.name(), lookup, stringMap(properties), person, event.receivedAt(), new TenantLens(state), batch);
        }
        writer.submit(batch);
    }

    /** The channel's receipts, by the report figure they feed. */
    private static final Map<String, Batch.Outcome> RECEIPTS = Map.of("Message Delivered", Batch.Outcome.DELIVERED,
            "Message Opened", Batch.Outcome.OPENED, "Message Clicked", Batch.Outcome.CLICKED);

    /**
     * A receipt for a message this tenant's journeys sent (its message id is the action id, which
     * starts with {@code j<tenant>-}) is marked on the outbox row for the report; others are not ours.
     */
    private void receipt(int tenant, Event event, JsonNode properties, Batch.Outcome kind, Batch batch) {
        JsonNode messageId = properties.get("message_id");
        if (messageId == null || !messageId.isString() || !messageId.stringValue().startsWith("j" + tenant + "-")
                || messageId.stringValue().length() > 100) {
            return;
        }
        batch.receipts.add(new Batch.Receipt(tenant, messageId.stringValue(), kind, event.timestamp()));
        meters.counter("siyu.journey.message.receipts", "kind", kind.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    @Override
    public void changed(TenantState state, String name, boolean tag, int person, boolean entered, long at) {
        if (!live) {
            return; // the engine replaying its log at start-up: these changes were handled when they first happened
        }
        JourneyBook book = books.get(state.tenant());
        if (book == null) {
            return;
        }
        Batch batch = new Batch();
        book.onMembership(name, person, entered, at, new TenantLens(state), batch);
        writer.submit(batch);
    }

    // ---- time ----------------------------------------------------------------------------------

    private void tickSafely() {
        try {
            advanceAll(clock.millis(), false);
        } catch (RuntimeException e) {
            log.error("Journey timers could not advance; retrying next second", e);
        }
        try {
            CompletableFuture<?> running = snapshotting;
            if (snapshotRows > 0 && (running == null || running.isDone())
                    && writer.journalRows() - journalRowsAtSnapshot >= snapshotRows) {
                snapshotting = snapshot();
            }
        } catch (RuntimeException e) {
            log.error("Journey snapshot could not start; trying again next second", e);
        }
    }

    /**
     * Snapshots every tenant's book (each on its partition thread, queued behind the steps it
     * covers); the future completes once all are durable. A restart then reads the snapshots and
     * only the journal after them.
     */
    CompletableFuture<Void> snapshot() {
        journalRowsAtSnapshot = writer.journalRows();
        Engine engine = engines.getObject();
        List<CompletableFuture<Long>> done = new ArrayList<>();
        for (JourneyBook book : books.values()) {
            done.add(engine.ask(book.tenant(), state -> {
                JournalWriter.Snapshot snapshot = JournalReader.encode(book.tenant(), book, json);
                writer.snapshot(snapshot);
                return snapshot.done();
            }));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * Lets every tenant's journeys reach {@code now}; with {@code durable}, returns only once their
     * steps are journaled and the actions due have been tried.
     */
    long advanceAll(long now, boolean durable) {
        Engine engine = engines.getObject();
        long fired = 0;
        for (JourneyBook book : books.values()) {
            fired += engine.ask(book.tenant(), state -> {
                JournalWriter.Streaming parts = writer.new Streaming(); // a million waits at once start writing early
                long n = book.advance(now, new TenantLens(state), parts);
                parts.finish();
                return n;
            });
        }
        long seen = lastSeenSeq;
        if (seen > cursorWritten) {
            Batch cursor = new Batch(); // events that concerned no journey still move the catch-up point
            cursor.eventSeq = seen;
            writer.submit(cursor);
            cursorWritten = seen;
        }
        if (durable) {
            writer.flush();
            dispatcher.drain();
        }
        return fired;
    }

    // ---- operators -----------------------------------------------------------------------------

    /** Puts a journey's published versions (and status) into its tenant's book. */
    void install(Engine engine, Journeys.Stored stored, long now) {
        Map<Integer, JourneyDefinition> versions = new LinkedHashMap<>();
        for (Journeys.Version v : journeys.versions(stored.id())) {
            versions.put(v.version(), DefinitionParser.parse(json.readTree(v.definition()), Map.of()));
        }
        if (versions.isEmpty() || stored.currentVersion() == null) {
            return;
        }
        JourneyBook.Status status = switch (stored.status()) {
            case PUBLISHED -> JourneyBook.Status.PUBLISHED;
            case PAUSED -> JourneyBook.Status.PAUSED;
            default -> JourneyBook.Status.ARCHIVED;
        };
        engine.ask(stored.tenant(), state -> {
            JourneyBook book = books.computeIfAbsent(stored.tenant(), t -> new JourneyBook(t, now));
            book.install(stored.id(), stored.name(), status, stored.currentVersion(), versions, now);
            return null;
        });
    }

    /** An erased person leaves every journey at once, on the partition thread, without a journal row. */
    @Override
    public void erased(TenantId tenant, List<Integer> people) {
        if (!books.containsKey(tenant.value())) {
            return;
        }
        engines.getObject().ask(tenant.value(), state -> {
            JourneyBook book = books.get(tenant.value());
            if (book != null) {
                people.forEach(book::forget);
            }
            return null;
        });
    }

    void archive(int tenant, int journey) {
        Engine engine = engines.getObject();
        Batch batch = new Batch();
        engine.ask(tenant, state -> {
            JourneyBook book = books.get(tenant);
            if (book != null) {
                book.archive(journey, clock.millis(), batch);
            }
            writer.submit(batch); // on the partition thread: the journal keeps the book's order
            return null;
        });
        batch.done.join();
    }

    /** Enters a person through the API; returns once the entry and its first steps are durable. */
    JourneyBook.Entered enter(int tenant, int journey, Identifier identifier, Map<String, String> vars) {
        Engine engine = engines.getObject();
        Batch batch = new Batch();
        JourneyBook.Entered entered = engine.ask(tenant, state -> {
            int person = state.graph().lookup(identifier);
            JourneyBook book = books.get(tenant);
            if (person < 0) {
                return null;
            }
            JourneyBook.Entered result = book == null ? JourneyBook.Entered.NOT_PUBLISHED
                    : book.enter(journey, state.graph().canonical(person), clock.millis(), vars, new TenantLens(state), batch);
            writer.submit(batch); // on the partition thread: the journal keeps the book's order
            return result;
        });
        if (entered == null) {
            throw new io.siyu.platform.NotFound("没有此人 / no person with identifier " + identifier);
        }
        batch.done.join();
        return entered;
    }

    /** People in a journey now by node, and a person's position when asked. */
    Map<String, Long> waiting(int tenant, int journey) {
        JourneyBook book = books.get(tenant);
        return book == null ? Map.of() : engines.getObject().ask(tenant, state -> book.waiting(journey));
    }

    JourneyBook.@Nullable Position position(int tenant, int journey, Identifier identifier) {
        JourneyBook book = books.get(tenant);
        if (book == null) {
            return null;
        }
        return engines.getObject().ask(tenant, state -> {
            int person = state.graph().lookup(identifier);
            return person < 0 ? null : book.position(journey, state.graph().canonical(person));
        });
    }

    void flush() {
        writer.flush();
    }

    private void registerMetrics() {
        Gauge.builder("siyu.journey.enrollments", books, b -> b.values().stream().mapToLong(JourneyBook::activeEnrollments).sum())
                .description("People in a journey now").register(meters);
        Gauge.builder("siyu.journey.timers", books, b -> b.values().stream().mapToLong(JourneyBook::pendingTimers).sum())
                .description("Pending journey waits on the timing wheels").register(meters);
        FunctionCounter.builder("siyu.journey.steps", writer, JournalWriter::steps)
                .description("Journey steps made durable in the journal").register(meters);
        FunctionCounter.builder("siyu.journey.actions.queued", writer, JournalWriter::actions)
                .description("Actions written to the outbox").register(meters);
    }

    private static @Nullable Object scalar(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isString() ? node.asString() : node.toString();
    }

    /** Top-level scalar properties as text (at most 20), what templates may use as {@code {{event.x}}}. */
    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> {
                if (map.size() < 20 && e.getValue().isValueNode() && !e.getValue().isNull()) {
                    map.put(e.getKey(), e.getValue().asString());
                }
            });
        }
        return map;
    }

    @Override
    public void destroy() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        dispatcher.close();
        writer.close();
    }
}
