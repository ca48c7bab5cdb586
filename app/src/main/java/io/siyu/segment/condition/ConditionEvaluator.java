package io.siyu.segment.condition;

import io.siyu.segment.condition.Condition.And;
import io.siyu.segment.condition.Condition.Between;
import io.siyu.segment.condition.Condition.Comparison;
import io.siyu.segment.condition.Condition.HasTag;
import io.siyu.segment.condition.Condition.In;
import io.siyu.segment.condition.Condition.InSegment;
import io.siyu.segment.condition.Condition.IsMissing;
import io.siyu.segment.condition.Condition.IsPresent;
import io.siyu.segment.condition.Condition.Not;
import io.siyu.segment.condition.Condition.Or;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a person satisfies a condition.
 *
 * <h2>Missing values</h2>
 * A trait is missing when it is not set, null or a blank string; a time stat when it never happened;
 * {@code days_since(x)} when {@code x} is missing or not a time (a time is a time stat, or a trait holding an
 * ISO date or date-time string or whole epoch milliseconds). Counts, sums and numeric stats are
 * never missing. A comparison, {@code between} or {@code in} on a missing value is false, so
 * {@code not (age > 30)} holds for a person without an age; only {@code is missing} / {@code is present}
 * look at absence. (The unknown of three-valued logic collapses to false at each predicate, before
 * {@code not}, {@code and} and {@code or} apply, so those follow plain boolean logic.)
 *
 * <h2>Comparing values</h2>
 * <ol>
 *   <li>Numbers compare exactly as decimals: {@code Long}, {@code Double}, counts, stats, and a string
 *       trait that is a plain decimal ({@code "42"}, {@code "-3.5"}) against a number literal; likewise
 *       a numeric trait against a string literal that is a plain decimal. {@code 1 = 1.0} holds.</li>
 *   <li>Dates: a time stat against an ISO string, or a string trait against an ISO string when both are
 *       ISO dates or date-times. If either side is a date without time both are compared as UTC dates
 *       ({@code last_order = "2024-05-01"} means ordered that day), otherwise as instants.</li>
 *   <li>Booleans equal {@code true}/{@code false} literals, as do the strings {@code "true"}/{@code "false"}
 *       in any case. Booleans have no order.</li>
 *   <li>Other strings compare exactly and case-sensitively, ordered lexicographically by UTF-16 unit.
 *       {@code contains} and {@code starts_with} apply to string values only.</li>
 *   <li>Anything else (e.g. the string {@code "abc"} against {@code 5}) is incomparable: {@code =} and
 *       ordering are false. For a present value {@code !=} is always the negation of {@code =}.</li>
 * </ol>
 * {@code between} includes both ends; {@code in} is {@code =} to any value. Money ({@code sum},
 * {@code total_spend}, {@code avg_order_value}) is in yuan. Evaluation never throws for any data.
 */
public final class ConditionEvaluator {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,40}(\\.[0-9]{1,40})?");
    private static final long DAY_MS = 86_400_000L;
    /** Far beyond any real time, near enough that {@code now - t} cannot overflow. */
    private static final BigDecimal MAX_EPOCH_MS = BigDecimal.valueOf(1L << 60);

    /** A time stat, kept apart from numbers so that it compares with dates only. */
    private record Moment(long epochMillis) {}

    private ConditionEvaluator() {}

    public static boolean evaluate(Condition condition, PersonFacts facts) {
        return switch (condition) {
            case And and -> {
                for (Condition child : and.children()) {
                    if (!evaluate(child, facts)) {
                        yield false;
                    }
                }
                yield true;
            }
            case Or or -> {
                for (Condition child : or.children()) {
                    if (evaluate(child, facts)) {
                        yield true;
                    }
                }
                yield false;
            }
            case Not not -> !evaluate(not.child(), facts);
            case Comparison c -> compare(value(c.left(), facts), c.op(), c.right());
            case Between b -> {
                Object value = value(b.operand(), facts);
                Integer low = order(value, b.low());
                Integer high = order(value, b.high());
                yield low != null && high != null && low >= 0 && high <= 0;
            }
            case In in -> {
                Object value = value(in.operand(), facts);
                for (Value candidate : in.values()) {
                    if (compare(value, Op.EQ, candidate)) {
                        yield true;
                    }
                }
                yield false;
            }
            case IsMissing m -> value(m.operand(), facts) == null;
            case IsPresent p -> value(p.operand(), facts) != null;
            case HasTag t -> facts.hasTag(t.tag());
            case InSegment s -> facts.inSegment(s.segment());
        };
    }

    /**
     * Whether an event property value passes a filter, by the rules above; for {@link PersonFacts}
     * implementations counting events.
     */
    public static boolean matches(PropertyFilter filter, @Nullable Object propertyValue) {
        return compare(normalise(propertyValue), filter.op(), filter.value());
    }

    /** The operand's value: null (missing), BigDecimal, String, Boolean, Moment or another present value. */
    private static @Nullable Object value(Operand operand, PersonFacts facts) {
        return switch (operand) {
            case Operand.Trait t -> normalise(facts.trait(t.name()));
            case Operand.StatRef s when s.stat().isTime() -> {
                Long time = facts.timeStat(s.stat().source());
                yield time == null ? null : new Moment(time);
            }
            case Operand.StatRef s -> decimal(facts.stat(s.stat()));
            case Operand.Count c -> BigDecimal.valueOf(facts.count(c.event(), c.where(), c.window().toDuration()));
            case Operand.Sum s -> BigDecimal.valueOf(facts.sumFen(s.event(), s.where(), s.window().toDuration()), 2);
            case Operand.DaysSince d -> {
                Long time = epochMillis(value(d.of(), facts));
                yield time == null ? null : BigDecimal.valueOf(Math.floorDiv(facts.now() - time, DAY_MS));
            }
        };
    }

    private static @Nullable Object normalise(@Nullable Object raw) {
        return switch (raw) {
            case null -> null;
            case String s when s.isBlank() -> null;
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Double d -> decimal(d);
            case BigDecimal d -> d;
            default -> raw;
        };
    }

    /** Finite doubles become decimals; NaN and infinities stay present but compare with nothing. */
    private static Object decimal(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : d;
    }

    private static @Nullable Long epochMillis(@Nullable Object value) {
        return switch (value) {
            case Moment m -> m.epochMillis();
            case BigDecimal d when d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(MAX_EPOCH_MS) < 0 ->
                    d.longValue();
            case String s -> switch (IsoTime.parse(s)) {
                case LocalDate date -> IsoTime.epochMillis(date);
                case Instant instant -> instant.toEpochMilli();
                case null, default -> null;
            };
            case null, default -> null;
        };
    }

    private static boolean compare(@Nullable Object value, Op op, Value literal) {
        if (value == null) {
            return false;
        }
        if (op.isTextual()) {
            String needle = ((Value.Text) literal).value();
            return value instanceof String s && (op == Op.CONTAINS ? s.contains(needle) : s.startsWith(needle));
        }
        Integer order = order(value, literal);
        return switch (op) {
            case EQ -> order != null && order == 0;
            case NE -> order == null || order != 0;
            case LT -> order != null && order < 0;
            case LE -> order != null && order <= 0;
            case GT -> order != null && order > 0;
            case GE -> order != null && order >= 0;
            case CONTAINS, STARTS_WITH -> throw new IllegalStateException("textual operator " + op);
        };
    }

    /** Sign of value minus literal, or null when they cannot be compared (booleans: 0 or 1). */
    private static @Nullable Integer order(@Nullable Object value, Value literal) {
        if (value == null) {
            return null;
        }
        return switch (literal) {
            case Value.Decimal d -> switch (value) {
                case BigDecimal n -> n.compareTo(d.value());
                case String s when DECIMAL.matcher(s).matches() -> new BigDecimal(s).compareTo(d.value());
                default -> null;
            };
            case Value.Bool b -> bool(value) instanceof Boolean v ? (v == b.value() ? 0 : 1) : null;
            case Value.Text t -> switch (value) {
                case Moment m -> temporal(m, IsoTime.parse(t.value()));
                case BigDecimal n -> DECIMAL.matcher(t.value()).matches() ? n.compareTo(new BigDecimal(t.value())) : null;
                case Boolean v -> bool(t.value()) instanceof Boolean w ? (v == w ? 0 : 1) : null;
                case String s -> {
                    Object left = IsoTime.parse(s);
                    Object right = left == null ? null : IsoTime.parse(t.value());
                    yield right != null ? temporal(left, right) : Integer.valueOf(Integer.signum(s.compareTo(t.value())));
                }
                default -> null;
            };
        };
    }

    private static @Nullable Boolean bool(Object value) {
        return switch (value) {
            case Boolean b -> b;
            case String s when s.toLowerCase(Locale.ROOT).equals("true") -> true;
            case String s when s.toLowerCase(Locale.ROOT).equals("false") -> false;
            default -> null;
        };
    }

    /** Compares two times; when either is a date, as UTC dates. */
    private static @Nullable Integer temporal(Object left, @Nullable Object right) {
        if (right == null) {
            return null;
        }
        if (left instanceof LocalDate || right instanceof LocalDate) {
            return Integer.signum(asDate(left).compareTo(asDate(right)));
        }
        return Long.compare(asMillis(left), asMillis(right));
    }

    private static LocalDate asDate(Object time) {
        return time instanceof LocalDate date ? date : IsoTime.utcDate(asMillis(time));
    }

    private static long asMillis(Object time) {
        return switch (time) {
            case Moment m -> m.epochMillis();
            case Instant i -> i.toEpochMilli();
            case LocalDate d -> IsoTime.epochMillis(d);
            default -> throw new IllegalStateException("not a time: " + time);
        };
    }
}
