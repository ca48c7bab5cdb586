package io.siyu.segment;

import io.siyu.engine.EngineExtension;
import io.siyu.engine.Event;
import io.siyu.engine.TenantState;
import io.siyu.segment.condition.ConditionEvaluator;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.roaringbitmap.RoaringBitmap;

/**
 * The saved segments and rule tags of one tenant and who is in them. An event re-evaluates, for
 * its person only, the definitions it can change; the passing of time re-evaluates the
 * time-dependent ones for everybody (hourly). Rule tags write their members into the
 * {@link TagBook}; segments keep their own bitmaps. Entries and exits are recorded as
 * {@link Change}s, newest last.
 *
 * <p>Definitions live in PostgreSQL and are installed at start-up; membership is recomputed from
 * the profiles then, so snapshots carry none of it.
 */
public final class SegmentBook implements EngineExtension.Part {

    static final long FULL_EVALUATION_EVERY_MS = 3_600_000L;
    static final int HISTORY = 10_000;

    /** Someone entered or left a segment, or got or lost a rule tag. */
    public record Change(long at, String name, Definition.Kind kind, int person, boolean entered) {}

    private final MembershipListener listener;
    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final Map<String, RoaringBitmap> segments = new LinkedHashMap<>();
    private final Deque<Change> history = new ArrayDeque<>();
    private long lastFullEvaluation = Long.MIN_VALUE / 2; // half: "now - it" must not overflow on the first tick
    /** Live people (known, not merged away); built on first use, then kept current by events. */
    private @Nullable RoaringBitmap people;
    /** Columnar copies of what segment scans read; derived from the profiles, never snapshotted. */
    private final Columns columns = new Columns();

    SegmentBook(MembershipListener listener) {
        this.listener = listener;
    }

    /** Everybody a segment can contain. Do not modify the result. */
    RoaringBitmap people(TenantState state) {
        if (people == null) {
            RoaringBitmap all = new RoaringBitmap();
            int n = state.graph().size();
            for (int p = 0; p < n; p++) {
                if (state.profile(p) != null && !state.graph().isMerged(p)) {
                    all.add(p);
                }
            }
            all.runOptimize();
            people = all;
        }
        return people;
    }

    /** Installs or replaces a definition and evaluates it over everybody; returns its size. */
    long define(TenantState state, Definition definition, long now) {
        // A segment's first evaluation here (a new segment, or every segment after a restart, since
        // snapshots keep no segment membership) is its baseline, not people entering. Rule tags
        // live in the snapshotted TagBook, so their first evaluation is compared with what it held.
        boolean baseline = !definitions.containsKey(definition.name()) && definition.kind() == Definition.Kind.SEGMENT;
        definitions.put(definition.name(), definition);
        RoaringBitmap members = new SegmentCounter(state, now).members(definition.condition());
        replace(state, definition, members, now, !baseline);
        return members.getLongCardinality();
    }

    void remove(TenantState state, String name) {
        Definition definition = definitions.remove(name);
        if (definition != null && definition.kind() == Definition.Kind.TAG) {
            state.part(TagExtension.ID, TagBook.class).replaceTag(name, new RoaringBitmap());
        }
        segments.remove(name);
    }

    Columns columns() {
        return columns;
    }

    Collection<Definition> definitions() {
        return definitions.values();
    }

    RoaringBitmap members(TenantState state, String name) {
        Definition definition = definitions.get(name);
        if (definition == null) {
            return new RoaringBitmap();
        }
        return definition.kind() == Definition.Kind.TAG ? state.part(TagExtension.ID, TagBook.class).members(name)
                : segments.getOrDefault(name, new RoaringBitmap());
    }

    boolean inSegment(String name, int person) {
        RoaringBitmap members = segments.get(name);
        return members != null && members.contains(person);
    }

    List<Change> history(String name, int limit) {
        List<Change> changes = new ArrayList<>();
        var it = history.descendingIterator();
        while (it.hasNext() && changes.size() < limit) {
            Change change = it.next();
            if (change.name().equals(name)) {
                changes.add(change);
            }
        }
        return changes;
    }

    @Override
    public void applied(TenantState state, Event event, int person) {
        columns.applied(state, event, person);
        if (people != null) {
            people.add(person);
        }
        if (definitions.isEmpty()) {
            return;
        }
        boolean carriesTraits = !event.traits().isEmpty();
        ProfileFacts facts = null;
        for (Definition definition : definitions.values()) {
            if (!definition.affectedBy(event.name(), carriesTraits)) {
                continue;
            }
            if (facts == null) {
                facts = new ProfileFacts(state, event.receivedAt()).of(person);
            }
            boolean now = ConditionEvaluator.evaluate(definition.condition(), facts);
            set(state, definition, person, now, event.receivedAt());
        }
    }

    @Override
    public void rebuiltFrom(EngineExtension.Part previous, TenantState state, long now) {
        for (Definition definition : ((SegmentBook) previous).definitions.values()) {
            define(state, definition, now);
        }
    }

    @Override
    public void merged(TenantState state, int from, int into) {
        columns.merged(into);
        if (people != null) {
            people.remove(from);
        }
        for (RoaringBitmap members : segments.values()) {
            members.remove(from);
        }
    }

    @Override
    public void tick(TenantState state, long now) {
        columns.roll(state, now);
        if (now - lastFullEvaluation < FULL_EVALUATION_EVERY_MS) {
            return;
        }
        lastFullEvaluation = now;
        for (Definition definition : definitions.values()) {
            if (definition.timeDependent()) {
                replace(state, definition, new SegmentCounter(state, now).members(definition.condition()), now, true);
            }
        }
    }

    private void set(TenantState state, Definition definition, int person, boolean member, long at) {
        boolean changed;
        if (definition.kind() == Definition.Kind.TAG) {
            TagBook tags = state.part(TagExtension.ID, TagBook.class);
            changed = member ? tags.assign(person, definition.name(), definition.group())
                    : tags.remove(person, definition.name());
        } else {
            RoaringBitmap members = segments.computeIfAbsent(definition.name(), n -> new RoaringBitmap());
            changed = member ? members.checkedAdd(person) : members.checkedRemove(person);
        }
        if (changed) {
            record(state, new Change(at, definition.name(), definition.kind(), person, member));
        }
    }

    private void replace(TenantState state, Definition definition, RoaringBitmap members, long at, boolean changes) {
        RoaringBitmap before = definition.kind() == Definition.Kind.TAG
                ? state.part(TagExtension.ID, TagBook.class).members(definition.name()).clone()
                : segments.getOrDefault(definition.name(), new RoaringBitmap());
        if (!changes) {
            before = members;
        }
        RoaringBitmap.andNot(members, before).forEach((int p) -> record(state, new Change(at, definition.name(), definition.kind(), p, true)));
        RoaringBitmap.andNot(before, members).forEach((int p) -> record(state, new Change(at, definition.name(), definition.kind(), p, false)));
        if (definition.kind() == Definition.Kind.TAG) {
            state.part(TagExtension.ID, TagBook.class).replaceTag(definition.name(), members);
        } else {
            segments.put(definition.name(), members);
        }
    }

    private void record(TenantState state, Change change) {
        listener.changed(state, change.name(), change.kind() == Definition.Kind.TAG, change.person(), change.entered(), change.at());
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(change);
    }

    @Override
    public void write(DataOutput out) {
        // definitions come from the database and membership from the profiles: nothing to keep
    }

    static SegmentBook read(DataInput in, MembershipListener listener) {
        return new SegmentBook(listener);
    }
}
