package io.siyu.segment.condition;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A second, deliberately naive reading of the rules in {@link ConditionEvaluator}'s Javadoc, written
 * from that text without its code: brute force over the person's raw events, no shared helpers.
 * Slow and plain on purpose, so that a disagreement points at a bug in one of the two.
 */
final class ReferenceEvaluator {

    private static final long DAY = 24L * 60 * 60 * 1000;

    private ReferenceEvaluator() {}

    static boolean evaluate(Condition condition, TestPerson person) {
        if (condition instanceof Condition.And and) {
            boolean all = true;
            for (Condition c : and.children()) {
                all &= evaluate(c, person);
            }
            return all;
        }
        if (condition instanceof Condition.Or or) {
            boolean any = false;
            for (Condition c : or.children()) {
                any |= evaluate(c, person);
            }
            return any;
        }
        if (condition instanceof Condition.Not not) {
            return !evaluate(not.child(), person);
        }
        if (condition instanceof Condition.HasTag t) {
            return person.tags().contains(t.tag());
        }
        if (condition instanceof Condition.InSegment s) {
            return person.segments().contains(s.segment());
        }
        if (condition instanceof Condition.IsMissing m) {
            return valueOf(m.operand(), person) == null;
        }
        if (condition instanceof Condition.IsPresent p) {
            return valueOf(p.operand(), person) != null;
        }
        if (condition instanceof Condition.Comparison c) {
            return test(valueOf(c.left(), person), c.op(), c.right());
        }
        if (condition instanceof Condition.Between b) {
            Object v = valueOf(b.operand(), person);
            return test(v, Op.GE, b.low()) && test(v, Op.LE, b.high());
        }
        if (condition instanceof Condition.In in) {
            Object v = valueOf(in.operand(), person);
            for (Value value : in.values()) {
                if (test(v, Op.EQ, value)) {
                    return true;
                }
            }
            return false;
        }
        throw new AssertionError(condition);
    }

    /** A time stat value, so that it is not mistaken for a number. */
    private record When(long millis) {}

    private static @Nullable Object valueOf(Operand operand, TestPerson person) {
        if (operand instanceof Operand.Trait t) {
            Object v = person.traits().get(t.name());
            if (v == null || v instanceof String s && s.isBlank()) {
                return null;
            }
            return v;
        }
        if (operand instanceof Operand.StatRef s) {
            return stat(s.stat(), person);
        }
        if (operand instanceof Operand.Count c) {
            return BigDecimal.valueOf(inWindow(person, c.event(), c.where(), c.window()).size());
        }
        if (operand instanceof Operand.Sum s) {
            long fen = 0;
            for (TestPerson.Event e : inWindow(person, s.event(), s.where(), s.window())) {
                fen += e.amountFen();
            }
            return new BigDecimal(fen).divide(BigDecimal.valueOf(100));
        }
        if (operand instanceof Operand.DaysSince d) {
            Object of = valueOf(d.of(), person);
            LocalDate today = Instant.ofEpochMilli(person.now()).atZone(ZoneOffset.UTC).toLocalDate();
            if (of instanceof When w) {
                return BigDecimal.valueOf(Math.floorDiv(person.now() - w.millis(), DAY));
            }
            if (of instanceof Long l) {
                return BigDecimal.valueOf(Math.floorDiv(person.now() - l, DAY));
            }
            if (of instanceof Double x && x == Math.rint(x) && Math.abs(x) < 1e18) {
                return BigDecimal.valueOf(Math.floorDiv(person.now() - (long) (double) x, DAY));
            }
            if (of instanceof String s) {
                Object time = time(s);
                if (time instanceof LocalDate date) {
                    return BigDecimal.valueOf(ChronoUnit.DAYS.between(date, today));
                }
                if (time instanceof Instant instant) {
                    return BigDecimal.valueOf(Math.floorDiv(person.now() - instant.toEpochMilli(), DAY));
                }
            }
            return null;
        }
        throw new AssertionError(operand);
    }

    private static @Nullable Object stat(Stat stat, TestPerson person) {
        List<TestPerson.Event> orders = new ArrayList<>();
        int refunds = 0;
        Long first = null, last = null, lastOrder = null;
        for (TestPerson.Event e : person.events()) {
            first = first == null || e.at() < first ? e.at() : first;
            last = last == null || e.at() > last ? e.at() : last;
            if (e.name().equals(TestPerson.ORDER)) {
                orders.add(e);
                lastOrder = lastOrder == null || e.at() > lastOrder ? e.at() : lastOrder;
            }
            if (e.name().equals(TestPerson.REFUND)) {
                refunds++;
            }
        }
        BigDecimal spend = BigDecimal.ZERO;
        for (TestPerson.Event o : orders) {
            spend = spend.add(BigDecimal.valueOf(o.amountFen()));
        }
        return switch (stat) {
            case ORDER_COUNT -> BigDecimal.valueOf(orders.size());
            case TOTAL_SPEND -> spend.movePointLeft(2);
            case AVG_ORDER_VALUE -> orders.isEmpty() ? BigDecimal.ZERO
                    : spend.divide(BigDecimal.valueOf(orders.size()), 0, RoundingMode.HALF_UP).movePointLeft(2);
            case EVENT_COUNT -> BigDecimal.valueOf(person.events().size());
            case REFUND_COUNT -> BigDecimal.valueOf(refunds);
            case FIRST_SEEN -> first == null ? null : new When(first);
            case LAST_SEEN, LAST_INTERACTION -> last == null ? null : new When(last);
            case LAST_ORDER -> lastOrder == null ? null : new When(lastOrder);
        };
    }

    private static List<TestPerson.Event> inWindow(TestPerson person, String event, List<PropertyFilter> where, Window window) {
        long start = person.now() - window.toDuration().toMillis();
        List<TestPerson.Event> found = new ArrayList<>();
        for (TestPerson.Event e : person.events()) {
            if (!e.name().equals(event) || e.at() <= start || e.at() > person.now()) {
                continue;
            }
            boolean ok = true;
            for (PropertyFilter f : where) {
                Object v = e.properties().get(f.property());
                if (v instanceof String s && s.isBlank()) {
                    v = null;
                }
                ok &= test(v, f.op(), f.value());
            }
            if (ok) {
                found.add(e);
            }
        }
        return found;
    }

    /** One predicate on a present-or-null value. */
    private static boolean test(@Nullable Object left, Op op, Value right) {
        if (left == null) {
            return false;
        }
        if (op == Op.CONTAINS) {
            return left instanceof String s && s.contains(((Value.Text) right).value());
        }
        if (op == Op.STARTS_WITH) {
            return left instanceof String s && s.startsWith(((Value.Text) right).value());
        }
        Integer c = compare(left, right);
        if (op == Op.NE) {
            return c == null || c != 0;
        }
        if (c == null) {
            return false;
        }
        return switch (op) {
            case EQ -> c == 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            default -> throw new AssertionError(op);
        };
    }

    private static @Nullable Integer compare(Object left, Value right) {
        BigDecimal leftNumber = realNumber(left);
        if (right instanceof Value.Decimal d) {
            if (leftNumber == null && left instanceof String s && isPlainDecimal(s)) {
                leftNumber = new BigDecimal(s);
            }
            return leftNumber == null ? null : Integer.signum(leftNumber.compareTo(d.value()));
        }
        if (right instanceof Value.Bool b) {
            Boolean l = truth(left);
            return l == null ? null : (l == b.value() ? 0 : 1);
        }
        String text = ((Value.Text) right).value();
        if (left instanceof When w) {
            return compareTimes(Instant.ofEpochMilli(w.millis()), time(text));
        }
        if (left instanceof Long || left instanceof Double) {
            if (leftNumber == null || !isPlainDecimal(text)) {
                return null;
            }
            return Integer.signum(leftNumber.compareTo(new BigDecimal(text)));
        }
        if (left instanceof Boolean) {
            Boolean r = truth(text);
            return r == null ? null : (left.equals(r) ? 0 : 1);
        }
        if (left instanceof String s) {
            Object lt = time(s);
            Object rt = time(text);
            if (lt != null && rt != null) {
                return compareTimes(lt, rt);
            }
            return Integer.signum(s.compareTo(text));
        }
        return null;
    }

    private static @Nullable BigDecimal realNumber(Object v) {
        if (v instanceof Long l) {
            return new BigDecimal(l);
        }
        if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            return new BigDecimal(Double.toString(d));
        }
        if (v instanceof BigDecimal b) {
            return b;
        }
        return null;
    }

    private static @Nullable Boolean truth(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && s.equalsIgnoreCase("true")) {
            return true;
        }
        if (v instanceof String s && s.equalsIgnoreCase("false")) {
            return false;
        }
        return null;
    }

    private static boolean isPlainDecimal(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        int digitsBefore = 0, digitsAfter = 0;
        boolean point = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.' && !point) {
                point = true;
            } else if (c >= '0' && c <= '9') {
                if (point) {
                    digitsAfter++;
                } else {
                    digitsBefore++;
                }
            } else {
                return false;
            }
        }
        return digitsBefore >= 1 && digitsBefore <= 40 && (!point || digitsAfter >= 1 && digitsAfter <= 40);
    }

    private static @Nullable Integer compareTimes(Object left, @Nullable Object right) {
        if (right == null) {
            return null;
        }
        if (left instanceof LocalDate || right instanceof LocalDate) {
            return Integer.signum(day(left).compareTo(day(right)));
        }
        return Integer.signum(((Instant) left).compareTo((Instant) right));
    }

    private static LocalDate day(Object time) {
        return time instanceof LocalDate d ? d : ((Instant) time).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** An ISO date, date-time with offset, or date-time read as UTC; null for anything else. */
    private static @Nullable Object time(String s) {
        if (s.isEmpty() || s.charAt(0) < '0' || s.charAt(0) > '9') {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException notDate) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    return null;
                }
            }
        }
    }
}
