package io.siyu.segment;

import io.siyu.engine.TenantState;
import io.siyu.profile.Profile;
import io.siyu.profile.Traits;
import io.siyu.segment.condition.Op;
import io.siyu.segment.condition.PersonFacts;
import io.siyu.segment.condition.PropertyFilter;
import io.siyu.segment.condition.Stat;
import io.siyu.segment.condition.Value;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answers the condition evaluator from a live profile. One instance is reused across people
 * ({@link #of}) so that scanning millions allocates nothing per person.
 *
 * <p>Windows count whole days in the tenant's zone: {@code 30d} is today and the 29 days before.
 * Event-property filters are answered from per-category day counters, so {@code where} supports
 * {@code category = "…"} (and {@code in}); {@link #supports} says so before evaluation.
 */
final class ProfileFacts implements PersonFacts {

    private static final long DAY_MS = 86_400_000L;

    private final TenantState state;
    private final TagBook tags;
    private final SegmentBook segments;
    private final long now;
    private final int today;
    private @Nullable Profile profile;
    private int person;

    ProfileFacts(TenantState state, long now) {
        this.state = state;
        this.tags = state.part(TagExtension.ID, TagBook.class);
        this.segments = state.part(SegmentExtension.ID, SegmentBook.class);
        this.now = now;
        this.today = TenantState.epochDayOf(now);
    }

    ProfileFacts of(int person) {
        this.person = person;
        this.profile = state.profile(person);
        return this;
    }

    /** Whether this engine can answer the filters of a windowed count or sum. */
    static boolean supports(List<PropertyFilter> where) {
        return where.isEmpty() || where.size() == 1 && where.getFirst().property().equals("category")
                && where.getFirst().op() == Op.EQ && where.getFirst().value() instanceof Value.Text;
    }

    @Override
    public @Nullable Object trait(String name) {
        Object value = profile == null ? null : profile.traits().get(name);
        return value instanceof Traits.Json ? null : value;
    }

    @Override
    public double stat(Stat stat) {
        if (profile == null) {
            return 0;
        }
        return switch (stat.source()) {
            case ORDER_COUNT -> profile.orderCount();
            case TOTAL_SPEND -> profile.totalSpendFen() / 100.0;
            case AVG_ORDER_VALUE -> profile.averageOrderFen() / 100.0;
            case EVENT_COUNT -> profile.eventCount();
            case REFUND_COUNT -> profile.refundCount();
            default -> throw new IllegalArgumentException(stat + " is a time, not a number");
        };
    }

    @Override
    public @Nullable Long timeStat(Stat stat) {
        if (profile == null) {
            return null;
        }
        long t = switch (stat.source()) {
            case FIRST_SEEN -> profile.firstSeen();
            case LAST_SEEN -> profile.lastSeen();
            case LAST_ORDER -> profile.lastOrderAt();
            default -> throw new IllegalArgumentException(stat + " is a number, not a time");
        };
        return t == Long.MAX_VALUE || t == Long.MIN_VALUE ? null : t;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public int count(String event, List<PropertyFilter> where, Duration window) {
        if (profile == null) {
            return 0;
        }
        int eventId = state.eventNames().find(event);
        if (eventId < 0) {
            return 0;
        }
        int from = fromDay(window);
        if (where.isEmpty()) {
            return profile.daily().sum(eventId, from, today);
        }
        int categoryId = categoryOf(where);
        if (categoryId < 0) {
            return 0;
        }
        if (!io.siyu.profile.FacetCounters.fits(eventId, categoryId)) {
            throw new SegmentCounter.UnsupportedCondition("this tenant has more event names or categories than the "
                    + "per-category counters distinguish (127 events, 1023 categories)");
        }
        return (int) profile.countInCategory(eventId, categoryId, from, today);
    }

    @Override
    public long sumFen(String event, List<PropertyFilter> where, Duration window) {
        if (profile == null || !where.isEmpty()) {
            return 0; // money is kept per event and day, not per category
        }
        int eventId = state.eventNames().find(event);
        return eventId < 0 ? 0 : profile.amountFen(eventId, fromDay(window), today);
    }

    @Override
    public boolean hasTag(String tag) {
        return tags.has(person, tag);
    }

    @Override
    public boolean inSegment(String segment) {
        return segments.inSegment(segment, person);
    }

    private int fromDay(Duration window) {
        long days = Math.max(1, (window.toMillis() + DAY_MS - 1) / DAY_MS);
        return (int) (today - days + 1);
    }

    private int categoryOf(List<PropertyFilter> where) {
        return where.getFirst().value() instanceof Value.Text text ? state.categoryNames().find(text.value()) : -1;
    }
}
