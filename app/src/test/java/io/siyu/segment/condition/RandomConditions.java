package io.siyu.segment.condition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random conditions and people drawn from small shared pools, so that random conditions often
 * hit the traits, events and boundaries random people have.
 */
final class RandomConditions {

    static final long NOW = Instant.parse("2026-11-25T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    private static final List<String> TRAITS = List.of("age", "city", "gender", "name", "phone", "source", "会员等级",
            "birthday", "score", "vip", "first name", "count", "order_count", "a.b");
    private static final List<String> EVENTS = List.of(TestPerson.ORDER, "Product Viewed", TestPerson.REFUND);
    private static final List<String> PROPERTIES = List.of("category", "price", "sku", "page type");
    private static final List<String> TAGS = List.of("high_spender", "vip", "新客");
    private static final List<String> SEGMENTS = List.of("dormant", "new");
    private static final List<String> NUMBERS = List.of("-1", "0", "1", "2.5", "3", "25", "30", "100", "1000", "0.1", "12.34");
    private static final List<String> DATES = List.of("2026-11-24", "2026-11-25", "2026-10-01", "2025-12-01", "1990-05-01",
            "2026-11-24T12:00:00Z", "2026-11-24T12:00:00+08:00", "2026-11-24T23:00:00");
    private static final List<String> TEXTS = List.of("上海", "杭州", "female", "male", "douyin-ad", "25", "2.5", "-1",
            "true", "FALSE", "金卡", "a\"b\\c\n", "\u0001x", "母婴", "美妆", "Ma", "");
    private static final List<Window> WINDOWS = List.of(Window.days(1), Window.days(7), Window.days(30),
            new Window(12, Window.Unit.HOURS), new Window(2, Window.Unit.WEEKS), Window.days(365));

    private final Random random;

    RandomConditions(Random random) {
        this.random = random;
    }

    Condition condition(int depth) {
        int kind = random.nextInt(depth <= 0 ? 6 : 9);
        return switch (kind) {
            case 0, 1 -> comparison();
            case 2 -> {
                Operand operand = operand();
                yield new Condition.Between(operand, value(operand, Op.GE), value(operand, Op.LE));
            }
            case 3 -> {
                Operand operand = operand();
                List<Value> values = new ArrayList<>();
                for (int i = random.nextInt(3); i >= 0; i--) {
                    values.add(value(operand, Op.EQ));
                }
                yield new Condition.In(operand, values);
            }
            case 4 -> random.nextBoolean() ? new Condition.IsMissing(operand()) : new Condition.IsPresent(operand());
            case 5 -> random.nextBoolean() ? new Condition.HasTag(pick(TAGS)) : new Condition.InSegment(pick(SEGMENTS));
            case 6 -> new Condition.Not(condition(depth - 1));
            default -> {
                List<Condition> children = new ArrayList<>();
                for (int i = 1 + random.nextInt(3); i >= 0; i--) {
                    children.add(condition(depth - 1));
                }
                yield kind == 7 ? new Condition.And(children) : new Condition.Or(children);
            }
        };
    }

    private Condition comparison() {
        Operand operand = operand();
        Op op = switch (operand.kind()) {
            case ANY -> pick(List.of(Op.values()));
            default -> pick(List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE));
        };
        return new Condition.Comparison(operand, op, value(operand, op));
    }

    Operand operand() {
        return switch (random.nextInt(8)) {
            case 0, 1, 2 -> new Operand.Trait(pick(TRAITS));
            case 3 -> new Operand.StatRef(pick(List.of(Stat.values())));
            case 4 -> new Operand.Count(pick(EVENTS), filters(), pick(WINDOWS));
            case 5 -> new Operand.Sum(pick(EVENTS), filters(), pick(WINDOWS));
            default -> new Operand.DaysSince(random.nextBoolean() ? new Operand.Trait(pick(List.of("birthday", "score", "name")))
                    : new Operand.StatRef(pick(List.of(Stat.FIRST_SEEN, Stat.LAST_SEEN, Stat.LAST_ORDER, Stat.LAST_INTERACTION))));
        };
    }

    private List<PropertyFilter> filters() {
        List<PropertyFilter> filters = new ArrayList<>();
        for (int i = random.nextInt(4) - 1; i > 0; i--) {
            Op op = pick(List.of(Op.values()));
            filters.add(new PropertyFilter(pick(PROPERTIES), op, anyValue(op)));
        }
        return filters;
    }

    private Value value(Operand operand, Op op) {
        return switch (operand.kind()) {
            case NUMBER -> Value.Decimal.of(pick(NUMBERS));
            case TIME -> new Value.Text(pick(DATES));
            case ANY -> anyValue(op);
        };
    }

    private Value anyValue(Op op) {
        int kind = op.isTextual() ? 1 : random.nextInt(op.isOrdering() ? 3 : 4);
        return switch (kind) {
            case 0 -> Value.Decimal.of(pick(NUMBERS));
            case 1 -> new Value.Text(pick(TEXTS));
            case 2 -> new Value.Text(pick(DATES));
            default -> new Value.Bool(random.nextBoolean());
        };
    }

    TestPerson person() {
        Map<String, Object> traits = new HashMap<>();
        for (String name : TRAITS) {
            if (random.nextInt(3) > 0) {
                traits.put(name, traitValue());
            }
        }
        List<TestPerson.Event> events = new ArrayList<>();
        for (int i = random.nextInt(8); i > 0; i--) {
            Map<String, Object> properties = new HashMap<>();
            for (String property : PROPERTIES) {
                if (random.nextBoolean()) {
                    properties.put(property, traitValue());
                }
            }
            // Whole hours back, so that events fall exactly on window edges now and then.
            long at = NOW - HOUR * random.nextInt(24 * (random.nextBoolean() ? 3 : 400));
            String name = pick(EVENTS);
            long amount = name.equals(TestPerson.ORDER) ? random.nextInt(5) * 2_550L + random.nextInt(2) : 0;
            events.add(new TestPerson.Event(name, at, properties, amount));
        }
        Set<String> tags = new HashSet<>();
        TAGS.forEach(t -> {
            if (random.nextBoolean()) {
                tags.add(t);
            }
        });
        Set<String> segments = new HashSet<>();
        SEGMENTS.forEach(s -> {
            if (random.nextBoolean()) {
                segments.add(s);
            }
        });
        return new TestPerson(traits, tags, segments, events, NOW);
    }

    private Object traitValue() {
        return switch (random.nextInt(8)) {
            case 0 -> Long.parseLong(pick(List.of("0", "1", "3", "25", "30", "1000", "-1")));
            case 1 -> pick(List.of(2.5, 25.0, 0.1, 12.34, Double.NaN, 1.0E21));
            case 2 -> pick(NUMBERS);
            case 3, 4 -> pick(TEXTS);
            case 5 -> pick(DATES);
            case 6 -> random.nextBoolean();
            default -> NOW - HOUR * random.nextInt(24 * 60);
        };
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
