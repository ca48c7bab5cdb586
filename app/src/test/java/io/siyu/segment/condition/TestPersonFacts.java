package io.siyu.segment.condition;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Answers {@link PersonFacts} from a {@link TestPerson} the way the profile engine does: stats as running totals. */
record TestPersonFacts(TestPerson person) implements PersonFacts {

    @Override
    public @Nullable Object trait(String name) {
        return person.traits().get(name);
    }

    @Override
    public double stat(Stat stat) {
        long orders = orders().count();
        long spendFen = orders().mapToLong(TestPerson.Event::amountFen).sum();
        return switch (stat) {
            case ORDER_COUNT -> orders;
            case TOTAL_SPEND -> spendFen / 100.0;
            // Like Profile.averageOrderFen: rounded to the fen before turning into yuan.
            case AVG_ORDER_VALUE -> orders == 0 ? 0 : Math.round((double) spendFen / orders) / 100.0;
            case EVENT_COUNT -> person.events().size();
            case REFUND_COUNT -> person.events().stream().filter(e -> e.name().equals(TestPerson.REFUND)).count();
            default -> throw new IllegalArgumentException("not a numeric stat: " + stat);
        };
    }

    @Override
    public @Nullable Long timeStat(Stat stat) {
        return switch (stat) {
            case FIRST_SEEN -> person.events().stream().map(TestPerson.Event::at).min(Long::compare).orElse(null);
            case LAST_SEEN -> person.events().stream().map(TestPerson.Event::at).max(Long::compare).orElse(null);
            case LAST_ORDER -> orders().map(TestPerson.Event::at).max(Long::compare).orElse(null);
            default -> throw new IllegalArgumentException("not asked for " + stat);
        };
    }

    @Override
    public long now() {
        return person.now();
    }

    @Override
    public int count(String event, List<PropertyFilter> where, Duration window) {
        return (int) matching(event, where, window).count();
    }

    @Override
    public long sumFen(String event, List<PropertyFilter> where, Duration window) {
        return matching(event, where, window).mapToLong(TestPerson.Event::amountFen).sum();
    }

    @Override
    public boolean hasTag(String tag) {
        return person.tags().contains(tag);
    }

    @Override
    public boolean inSegment(String segment) {
        return person.segments().contains(segment);
    }

    private Stream<TestPerson.Event> orders() {
        return person.events().stream().filter(e -> e.name().equals(TestPerson.ORDER));
    }

    private Stream<TestPerson.Event> matching(String event, List<PropertyFilter> where, Duration window) {
        long from = person.now() - window.toMillis();
        return person.events().stream()
                .filter(e -> e.name().equals(event) && e.at() > from && e.at() <= person.now())
                .filter(e -> where.stream().allMatch(f -> ConditionEvaluator.matches(f, e.properties().get(f.property()))));
    }
}
