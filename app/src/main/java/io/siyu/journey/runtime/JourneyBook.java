package io.siyu.journey.runtime;

import io.siyu.journey.model.JourneyDefinition;
import io.siyu.journey.model.JourneyDefinition.Node;
import io.siyu.journey.model.JourneyDefinition.Trigger;
import io.siyu.journey.runtime.JournalSink.Kind;
import io.siyu.segment.condition.ConditionEvaluator;
import io.siyu.segment.condition.PropertyFilter;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * The journeys of one tenant and everybody's place in them, in memory, with the timing wheel of
 * their waits. Every change is a method named for what happened (an event, a membership change, an
 * API entry, time passing) and is told to the {@link JournalSink} as it happens, so the journal can
 * rebuild this book after a crash ({@link #restore}).
 *
 * <p>Single-threaded: the owner (the engine partition of the tenant) calls everything. Transitions
 * never block: actions go to the outbox, which performs them after the journal is durable.
 */
public final class JourneyBook {

    /** Where a journey is in its life; only PUBLISHED ones take people in. */
    public enum Status { PUBLISHED, PAUSED, ARCHIVED }

    /** Why {@link #enter} did or did not enter the person. */
    public enum Entered { ENTERED, NOT_PUBLISHED, ALREADY_IN, ENTRY_RULE, UNKNOWN_JOURNEY }

    static final ZoneId TENANT_ZONE = ZoneId.of("Asia/Shanghai");
    /** A paused journey's due waits look again after this long. */
    static final long PAUSED_RECHECK_MS = 60_000;
    private static final long ENTRY_TIMER = 1L << 62;
    private static final long DAY_MS = 86_400_000L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]{1,80})\\s*}}");

    private static final class Journey {
        final int id;
        String name;
        Status status;
        int current;
        final Map<Integer, JourneyDefinition> versions = new HashMap<>();
        long lastScheduled;
        long lastScanDay = Long.MIN_VALUE;

        Journey(int id, String name, Status status, int current) {
            this.id = id;
            this.name = name;
            this.status = status;
            this.current = current;
        }

        JourneyDefinition definition() {
            return versions.get(current);
        }
    }

    private final int tenant;
    private final Map<Integer, Journey> journeys = new LinkedHashMap<>();
    private final Map<String, Journey> byName = new HashMap<>();
    private final HashMap<Long, Enrollment> active = new HashMap<>();
    /**
     * Per (journey, person) who left: {entries so far, last entry time}. People still in a journey
     * carry this in their enrollment, so the 10 M waiting cost no second map entry.
     */
    private final HashMap<Long, long[]> history = new HashMap<>();
    private final TimingWheel wheel;
    private Map<String, List<Journey>> interestedIn = Map.of();
    private Map<String, List<Journey>> bySegment = Map.of();
    private long transitions;

    public JourneyBook(int tenant, long now) {
        this.tenant = tenant;
        this.wheel = new TimingWheel(10, now);
    }

    // ---- definitions -------------------------------------------------------------------------

    /**
     * Installs or updates a journey with every version people may still be on; {@code current} is
     * the version new entries get.
     */
    public void install(int id, String name, Status status, int current, Map<Integer, JourneyDefinition> versions, long now) {
        Journey journey = journeys.get(id);
        if (journey == null) {
            journey = new Journey(id, name, status, current);
            journey.lastScheduled = now;
            journeys.put(id, journey);
        }
        byName.values().remove(journey);
        journey.name = name;
        journey.status = status;
        journey.current = current;
        journey.versions.putAll(versions);
        if (status != Status.ARCHIVED) {
            byName.put(name, journey);
        }
        reindex();
    }

    /** Ends everybody's enrollment in an archived journey. */
    public void archive(int id, long now, JournalSink sink) {
        Journey journey = journeys.get(id);
        if (journey == null) {
            return;
        }
        journey.status = Status.ARCHIVED;
        byName.values().remove(journey);
        List<Enrollment> in = active.values().stream().filter(e -> e.journey == id).toList();
        for (Enrollment e : in) {
            end(e, Kind.EXITED, "archived", now, sink);
        }
        reindex();
    }

    private void reindex() {
        Map<String, List<Journey>> events = new HashMap<>();
        Map<String, List<Journey>> segments = new HashMap<>();
        for (Journey journey : journeys.values()) {
            if (journey.status == Status.ARCHIVED) {
                continue;
            }
            for (JourneyDefinition d : journey.versions.values()) {
                if (d.trigger() instanceof Trigger.OnEvent on) {
                    addOnce(events, on.event(), journey);
                }
                if (d.goal() != null) {
                    addOnce(events, d.goal().event(), journey);
                }
                for (Node node : d.nodes()) {
                    if (node instanceof JourneyDefinition.WaitForEvent w) {
                        addOnce(events, w.event(), journey);
                    }
                }
                if (d.trigger() instanceof Trigger.SegmentEntered s) {
                    addOnce(segments, s.segment(), journey);
                }
                if (d.exitWhenLeaving() != null) {
                    addOnce(segments, d.exitWhenLeaving(), journey);
                }
            }
        }
        interestedIn = events;
        bySegment = segments;
    }

    private static void addOnce(Map<String, List<Journey>> index, String key, Journey journey) {
        List<Journey> list = index.computeIfAbsent(key, k -> new ArrayList<>());
        if (!list.contains(journey)) {
            list.add(journey);
        }
    }

    /** True when some journey reacts to this event name (so its properties are worth parsing). */
    public boolean interestedIn(String event) {
        return interestedIn.containsKey(event);
    }

    // ---- what happens ------------------------------------------------------------------------

    /**
     * The person did {@code event}: goals convert, waits for it move on, triggers enter.
     *
     * @param properties the event's properties, parsed only when asked
     */
    public void onEvent(String event, Function<String, @Nullable Object> properties, Map<String, String> vars,
            int person, long now, PersonLens lens, JournalSink sink) {
        List<Journey> interested = interestedIn.get(event);
        if (interested == null) {
            return;
        }
        for (Journey journey : List.copyOf(interested)) {
            Enrollment e = active.get(Enrollment.key(journey.id, person));
            if (e != null) {
                JourneyDefinition d = journey.versions.get(e.version);
                if (d.goal() != null && d.goal().event().equals(event) && now - e.enteredAt <= d.goal().within().toMillis()
                        && passes(d.goal().where(), properties)) {
                    end(e, Kind.CONVERTED, "goal", now, sink);
                    e = null;
                } else if (d.node(e.node) instanceof JourneyDefinition.WaitForEvent w && w.event().equals(event)
                        && passes(w.where(), properties)) {
                    run(e, d, w.next(), now, lens, sink);
                    continue;
                }
            }
            if (journey.definition().trigger() instanceof Trigger.OnEvent on && on.event().equals(event)
                    && passes(on.where(), properties) && e == null) {
                enter(journey, person, now, vars, lens, sink);
            }
        }
    }

    /** The person entered or left a segment (or got or lost a rule tag). */
    public void onMembership(String segment, int person, boolean entered, long now, PersonLens lens, JournalSink sink) {
        List<Journey> interested = bySegment.get(segment);
        if (interested == null) {
            return;
        }
        for (Journey journey : List.copyOf(interested)) {
            Enrollment e = active.get(Enrollment.key(journey.id, person));
            if (!entered && e != null && segment.equals(journey.versions.get(e.version).exitWhenLeaving())) {
                end(e, Kind.EXITED, "left-segment", now, sink);
            } else if (entered && journey.definition().trigger() instanceof Trigger.SegmentEntered s
                    && s.segment().equals(segment)) {
                enter(journey, person, now, Map.of("segment", segment), lens, sink);
            }
        }
    }

    /**
     * Forgets a person erased on request: their enrollments (a due wait of theirs then finds
     * nothing and does nothing) and their entry history. Nothing is journaled: their journal rows
     * are erased with the rest of their records.
     *
     * @return the journeys the person was in
     */
    public int forget(int person) {
        int forgotten = 0;
        for (Journey journey : journeys.values()) {
            long key = Enrollment.key(journey.id, person);
            Enrollment e = active.remove(key);
            if (e != null) {
                e.deadline = -1;
                forgotten++;
            }
            history.remove(key);
        }
        return forgotten;
    }

    /** Enters a person through the API (or another journey). */
    public Entered enter(int journeyId, int person, long now, Map<String, String> vars, PersonLens lens, JournalSink sink) {
        Journey journey = journeys.get(journeyId);
        return journey == null ? Entered.UNKNOWN_JOURNEY : enter(journey, person, now, vars, lens, sink);
    }

    /**
     * Lets time pass to {@code now}: due waits move on in deadline order, scheduled broadcasts and
     * date triggers run. Returns how many timers fired.
     */
    public long advance(long now, PersonLens lens, JournalSink sink) {
        // each timer's consequences are one person's: a long drain may be committed in parts between them
        TimingWheel.Expiry expiry = (deadline, payload) -> {
            expired(deadline, payload, lens, sink);
            sink.boundary();
        };
        long fired = wheel.advance(now, expiry);
        for (Journey journey : List.copyOf(journeys.values())) {
            if (journey.status != Status.PUBLISHED) {
                continue;
            }
            switch (journey.definition().trigger()) {
                case Trigger.Schedule s -> broadcast(journey, s, now, lens, sink);
                case Trigger.DateAttribute d -> scanDates(journey, d, now, lens);
                default -> { }
            }
        }
        return fired + wheel.advance(now, expiry);
    }

    private Entered enter(Journey journey, int person, long now, @Nullable Map<String, String> vars, PersonLens lens,
            JournalSink sink) {
        if (journey.status != Status.PUBLISHED) {
            return Entered.NOT_PUBLISHED;
        }
        long key = Enrollment.key(journey.id, person);
        if (active.containsKey(key)) {
            return Entered.ALREADY_IN;
        }
        JourneyDefinition d = journey.definition();
        long[] before = history.get(key);
        if (before != null) {
            boolean again = switch (d.entry().rule()) {
                case ONCE -> false;
                case ALWAYS -> true;
                case AGAIN_AFTER -> now - before[1] >= d.entry().after().toMillis();
            };
            if (!again) {
                return Entered.ENTRY_RULE;
            }
        }
        int entry = before == null ? 1 : (int) before[0] + 1;
        Map<String, String> kept = vars == null || vars.isEmpty() ? null : Map.copyOf(vars);
        Enrollment e = new Enrollment(journey.id, journey.current, person, entry, now, kept);
        active.put(key, e);
        sink.step(tenant, Kind.ENTERED, journey.id, e.version, person, entry, 0, d.node(d.start()).id(), now, -1, null, kept);
        run(e, d, d.start(), now, lens, sink);
        return Entered.ENTERED;
    }

    private void expired(long deadline, long payload, PersonLens lens, JournalSink sink) {
        if ((payload & ENTRY_TIMER) != 0) {
            int journeyId = (int) ((payload & ~ENTRY_TIMER) >>> 32);
            Journey journey = journeys.get(journeyId);
            if (journey != null && journey.definition().trigger() instanceof Trigger.DateAttribute d) {
                int person = (int) payload;
                Object value = lens.trait(person, d.trait());
                enter(journey, person, deadline, value == null ? Map.of() : Map.of(d.trait(), String.valueOf(value)), lens, sink);
            }
            return;
        }
        Enrollment e = active.get(payload);
        if (e == null || e.deadline != deadline) {
            return; // the person moved on (event, goal, exit) before the wait ended
        }
        Journey journey = journeys.get(e.journey);
        if (journey.status == Status.PAUSED) {
            e.deadline = deadline + PAUSED_RECHECK_MS;
            wheel.schedule(e.deadline, payload);
            return;
        }
        JourneyDefinition d = journey.versions.get(e.version);
        int next = switch (d.node(e.node)) {
            case JourneyDefinition.Wait w -> w.next();
            case JourneyDefinition.WaitUntil w -> w.next();
            case JourneyDefinition.WaitForEvent w -> w.timeoutNext();
            default -> throw new IllegalStateException("timer for node " + d.node(e.node).id() + ", which does not wait");
        };
        run(e, d, next, deadline, lens, sink);
    }

    /** Moves a person from {@code node} on until they wait or leave. */
    private void run(Enrollment e, JourneyDefinition d, int node, long at, PersonLens lens, JournalSink sink) {
        for (int hops = 0; ; hops++) {
            if (hops > d.nodes().size()) {
                throw new IllegalStateException("journey " + d.name() + " looped without a wait at " + d.node(node).id());
            }
            transitions++;
            e.node = node;
            e.step++;
            e.deadline = -1;
            Node n = d.node(node);
            switch (n) {
                case JourneyDefinition.Wait w -> {
                    waitUntil(e, n, at + w.duration().toMillis(), at, sink);
                    return;
                }
                case JourneyDefinition.WaitUntil w -> {
                    waitUntil(e, n, nextLocal(at, w.time(), w.days(), lens.zone(e.person)), at, sink);
                    return;
                }
                case JourneyDefinition.WaitForEvent w -> {
                    waitUntil(e, n, at + w.timeout().toMillis(), at, sink);
                    return;
                }
                case JourneyDefinition.Branch b -> {
                    arrive(e, n, at, sink);
                    node = lens.test(b.condition(), e.person, at) ? b.then() : b.otherwise();
                }
                case JourneyDefinition.Split s -> {
                    arrive(e, n, at, sink);
                    int bucket = bucket(e, n.id());
                    int arm = -1;
                    for (int i = 0, upTo = 0; i < s.percents().length; i++) {
                        upTo += s.percents()[i];
                        if (bucket < upTo) {
                            arm = i;
                            break;
                        }
                    }
                    if (arm < 0) {
                        end(e, Kind.EXITED, "holdout", at, sink);
                        return;
                    }
                    node = s.arms()[arm];
                }
                case JourneyDefinition.Action a -> {
                    arrive(e, n, at, sink);
                    Map<String, Object> context = context(e, lens, at);
                    Map<String, String> parameters = new LinkedHashMap<>();
                    a.parameters().forEach((k, v) -> parameters.put(k, render(v, context)));
                    sink.action(tenant, actionId(e), e.journey, e.version, n.id(), e.person, a.type(), parameters, context, at);
                    node = a.next();
                }
                case JourneyDefinition.Tag t -> {
                    arrive(e, n, at, sink);
                    sink.action(tenant, actionId(e), e.journey, e.version, n.id(), e.person, t.add() ? "tag" : "untag",
                            Map.of("tag", t.tag()), Map.of(), at);
                    node = t.next();
                }
                case JourneyDefinition.SetTrait t -> {
                    arrive(e, n, at, sink);
                    sink.action(tenant, actionId(e), e.journey, e.version, n.id(), e.person, "trait",
                            Map.of("trait", t.trait(), "value", render(t.value(), context(e, lens, at))), Map.of(), at);
                    node = t.next();
                }
                case JourneyDefinition.StartJourney s -> {
                    arrive(e, n, at, sink);
                    Journey other = byName.get(s.journey());
                    if (other != null && other.id != e.journey) {
                        enter(other, e.person, at, e.vars, lens, sink);
                    }
                    node = s.next();
                }
                case JourneyDefinition.Exit x -> {
                    arrive(e, n, at, sink);
                    end(e, Kind.EXITED, "end", at, sink);
                    return;
                }
            }
        }
    }

    private void waitUntil(Enrollment e, Node node, long deadline, long at, JournalSink sink) {
        e.deadline = deadline;
        sink.step(tenant, Kind.AT, e.journey, e.version, e.person, e.entry, e.step, node.id(), at, deadline, null, null);
        wheel.schedule(deadline, e.key());
    }

    private void arrive(Enrollment e, Node node, long at, JournalSink sink) {
        sink.step(tenant, Kind.AT, e.journey, e.version, e.person, e.entry, e.step, node.id(), at, -1, null, null);
    }

    private void end(Enrollment e, Kind kind, String reason, long at, JournalSink sink) {
        active.remove(e.key());
        history.put(e.key(), new long[] {e.entry, e.enteredAt});
        e.deadline = -1;
        JourneyDefinition d = journeys.get(e.journey).versions.get(e.version);
        sink.step(tenant, kind, e.journey, e.version, e.person, e.entry, e.step, d.node(e.node).id(), at, -1, reason, null);
    }

    /** tenant:journey:person:entry:step — the same step after a crash has the same id. */
    private String actionId(Enrollment e) {
        return "j" + tenant + "-" + e.journey + "-" + e.person + "-" + e.entry + "-" + e.step;
    }

    /** A stable 0..99 per person, journey entry and node, so a replayed split takes the same arm. */
    private int bucket(Enrollment e, String node) {
        long h = e.journey * 0x9E37_79B9_7F4A_7C15L ^ e.person * 0xBF58_476D_1CE4_E5B9L ^ (long) e.entry << 40
                ^ node.hashCode() * 0x94D0_49BB_1331_11EBL;
        h ^= h >>> 31;
        h *= 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 29;
        return (int) Math.floorMod(h, 100L);
    }

    private Map<String, Object> context(Enrollment e, PersonLens lens, long at) {
        Map<String, Object> context = new LinkedHashMap<>(lens.context(e.person, at));
        if (e.vars != null) {
            e.vars.forEach((k, v) -> context.put("event." + k, v));
        }
        return context;
    }

    /** Replaces {@code {{trait.name}}}, {@code {{event.state}}}, {@code {{top_category}}} with the person's values. */
    static String render(String template, Map<String, Object> context) {
        if (template.indexOf("{{") < 0) {
            return template;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = context.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean passes(List<PropertyFilter> where, Function<String, @Nullable Object> properties) {
        for (PropertyFilter filter : where) {
            if (!ConditionEvaluator.matches(filter, properties.apply(filter.property()))) {
                return false;
            }
        }
        return true;
    }

    /** The next {@code time} on one of {@code days} in {@code zone} strictly after {@code at}. */
    static long nextLocal(long at, java.time.LocalTime time, java.util.Set<DayOfWeek> days, ZoneId zone) {
        ZonedDateTime now = Instant.ofEpochMilli(at).atZone(zone);
        ZonedDateTime candidate = now.toLocalDate().atTime(time).atZone(zone);
        for (int i = 0; i < 8; i++) {
            if (candidate.isAfter(now) && (days.isEmpty() || days.contains(candidate.getDayOfWeek()))) {
                return candidate.toInstant().toEpochMilli();
            }
            candidate = candidate.toLocalDate().plusDays(1).atTime(time).atZone(zone);
        }
        throw new IllegalStateException("no next " + time + " on " + days);
    }

    // ---- schedules and date triggers -----------------------------------------------------------

    private long nextSchedule(Journey journey, Trigger.Schedule s) {
        if (s.at() != null) {
            long at = s.at().toEpochMilli();
            return journey.lastScheduled < at ? at : Long.MAX_VALUE;
        }
        ZonedDateTime next = CronExpression.parse(s.cron()).next(Instant.ofEpochMilli(journey.lastScheduled).atZone(TENANT_ZONE));
        return next == null ? Long.MAX_VALUE : next.toInstant().toEpochMilli();
    }

    private void broadcast(Journey journey, Trigger.Schedule s, long now, PersonLens lens, JournalSink sink) {
        long due = nextSchedule(journey, s);
        if (due > now) {
            return;
        }
        journey.lastScheduled = due;
        sink.step(tenant, Kind.SCHEDULED, journey.id, journey.current, -1, 0, 0, "", due, -1, null, null);
        List<Integer> people = new ArrayList<>();
        lens.members(s.segment(), due, people::add);
        for (int person : people) {
            enter(journey, person, due, Map.of("segment", s.segment()), lens, sink); // no boundary: a broadcast is all or none
        }
    }

    private void scanDates(Journey journey, Trigger.DateAttribute d, long now, PersonLens lens) {
        long day = Math.floorDiv(now + TENANT_ZONE.getRules().getOffset(Instant.ofEpochMilli(now)).getTotalSeconds() * 1000L, DAY_MS);
        if (day <= journey.lastScanDay) {
            return;
        }
        journey.lastScanDay = day;
        lens.everybody(person -> {
            Object value = lens.trait(person, d.trait());
            if (value == null) {
                return;
            }
            ZoneId zone = lens.zone(person);
            LocalDate today = Instant.ofEpochMilli(now).atZone(zone).toLocalDate();
            LocalDate date = dateOf(String.valueOf(value));
            if (date == null) {
                return;
            }
            for (int years = -1; years <= (d.annual() ? 1 : -1); years++) {
                LocalDate candidate = d.annual() ? safeYear(date, today.getYear() + years) : date;
                if (candidate.plusDays(d.offsetDays()).equals(today)) {
                    long at = today.atTime(d.at()).atZone(zone).toInstant().toEpochMilli();
                    wheel.schedule(Math.max(at, now), ENTRY_TIMER | (long) journey.id << 32 | (person & 0xFFFF_FFFFL));
                    return;
                }
                if (!d.annual()) {
                    return;
                }
            }
        });
    }

    /** {@code YYYY-MM-DD} (an ISO date-time is cut to its date) or {@code MM-DD}, as in a leap year. */
    private static @Nullable LocalDate dateOf(String text) {
        try {
            if (text.length() == 5 && text.charAt(2) == '-') {
                return LocalDate.of(2000, Integer.parseInt(text.substring(0, 2)), Integer.parseInt(text.substring(3)));
            }
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static LocalDate safeYear(LocalDate date, int year) {
        return LocalDate.of(year, date.getMonth(), 1).withDayOfMonth(Math.min(date.getDayOfMonth(),
                LocalDate.of(year, date.getMonth(), 1).lengthOfMonth()));
    }

    // ---- recovery ------------------------------------------------------------------------------

    /**
     * Replays one journal row into the book; call {@link #rearm} once all rows are in. An ENTERED
     * row with a deadline is an entry folded with the wait it led to (one row instead of two). A
     * row the book is already past (an entry or step it holds from a snapshot) changes nothing, so
     * replaying a journal tail over a snapshot that already covers some of it is harmless.
     */
    public void restore(Kind kind, int journey, int version, int person, int entry, int step, String node, long at,
            long deadline, @Nullable Map<String, String> vars) {
        long key = Enrollment.key(journey, person);
        Journey j = journeys.get(journey);
        switch (kind) {
            case ENTERED -> {
                Enrollment existing = active.get(key);
                long[] before = history.get(key);
                if (existing != null && existing.entry >= entry || before != null && before[0] >= entry) {
                    return;
                }
                Enrollment e = new Enrollment(journey, version, person, entry, at, vars);
                JourneyDefinition d = j == null ? null : j.versions.get(version);
                if (deadline >= 0 && d != null) {
                    e.node = d.indexOf(node);
                    e.step = step;
                    e.deadline = deadline;
                }
                active.put(key, e);
            }
            case AT -> {
                Enrollment e = active.get(key);
                JourneyDefinition d = j == null ? null : j.versions.get(version);
                if (e != null && d != null && e.entry == entry && step >= e.step) {
                    e.node = d.indexOf(node);
                    e.step = step;
                    e.deadline = deadline;
                }
            }
            case CONVERTED, EXITED -> {
                Enrollment e = active.get(key);
                if (e != null && e.entry == entry) {
                    active.remove(key);
                    history.put(key, new long[] {e.entry, e.enteredAt});
                }
            }
            case SCHEDULED -> {
                if (j != null) {
                    j.lastScheduled = Math.max(j.lastScheduled, at);
                }
            }
        }
    }

    /** Where a snapshot of the book goes: everything {@link #restore} would rebuild from the whole journal. */
    public interface SnapshotSink {
        /** A person in a journey: entered at {@code enteredAt}, now at {@code node} (step {@code step}) until {@code deadline}. */
        void enrollment(int journey, int version, int person, int entry, long enteredAt, String node, int step, long deadline,
                @Nullable Map<String, String> vars);

        /** A person who left a journey after {@code entries} entries, the last at {@code lastEntered}. */
        void history(int journey, int person, int entries, long lastEntered);

        /** A scheduled journey's last broadcast. */
        void scheduled(int journey, long at);
    }

    /** Tells everything the journal has rebuilt (or would rebuild) of this book, for a snapshot. */
    public void snapshot(SnapshotSink sink) {
        for (Enrollment e : active.values()) {
            Journey j = journeys.get(e.journey);
            JourneyDefinition d = j == null ? null : j.versions.get(e.version);
            if (d != null) {
                sink.enrollment(e.journey, e.version, e.person, e.entry, e.enteredAt, d.node(e.node).id(), e.step, e.deadline, e.vars);
            }
        }
        history.forEach((key, h) -> sink.history((int) (key >>> 32), (int) (long) key, (int) h[0], h[1]));
        for (Journey j : journeys.values()) {
            if (j.versions.get(j.current) != null && j.definition().trigger() instanceof Trigger.Schedule) {
                sink.scheduled(j.id, j.lastScheduled);
            }
        }
    }

    /** Puts back one person of a snapshot (before the journal rows after it); call {@link #rearm} at the end. */
    public void restoreEnrollment(int journey, int version, int person, int entry, long enteredAt, String node, int step,
            long deadline, @Nullable Map<String, String> vars) {
        Enrollment e = new Enrollment(journey, version, person, entry, enteredAt, vars);
        Journey j = journeys.get(journey);
        JourneyDefinition d = j == null ? null : j.versions.get(version);
        if (d != null) {
            e.node = d.indexOf(node);
        }
        e.step = step;
        e.deadline = deadline;
        active.put(e.key(), e);
    }

    /** Puts back one snapshot row of a person who left a journey. */
    public void restoreHistory(int journey, int person, int entries, long lastEntered) {
        history.put(Enrollment.key(journey, person), new long[] {entries, lastEntered});
    }

    /** Puts back a snapshot's last broadcast of a scheduled journey. */
    public void restoreScheduled(int journey, long at) {
        Journey j = journeys.get(journey);
        if (j != null) {
            j.lastScheduled = Math.max(j.lastScheduled, at);
        }
    }

    /** Puts every restored wait back on the wheel. */
    public void rearm() {
        active.values().removeIf(e -> !journeys.containsKey(e.journey) || !journeys.get(e.journey).versions.containsKey(e.version));
        for (Enrollment e : active.values()) {
            if (e.deadline >= 0) {
                wheel.schedule(e.deadline, e.key());
            }
        }
    }

    // ---- reading -------------------------------------------------------------------------------

    /** People in a journey now, by node id. */
    public Map<String, Long> waiting(int journey) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Journey j = journeys.get(journey);
        if (j == null) {
            return counts;
        }
        for (Enrollment e : active.values()) {
            if (e.journey == journey) {
                counts.merge(j.versions.get(e.version).node(e.node).id(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Where a person is in a journey: node id and wait deadline, or null when not in it. */
    public @Nullable Position position(int journey, int person) {
        Enrollment e = active.get(Enrollment.key(journey, person));
        if (e == null) {
            return null;
        }
        return new Position(e.version, journeys.get(journey).versions.get(e.version).node(e.node).id(), e.deadline, e.entry);
    }

    /** A person's place: version, node, deadline (-1 when not waiting), entry number. */
    public record Position(int version, String node, long deadline, int entry) {}

    public long activeEnrollments() {
        return active.size();
    }

    public long pendingTimers() {
        return wheel.size();
    }

    public long transitions() {
        return transitions;
    }

    public int tenant() {
        return tenant;
    }
}
