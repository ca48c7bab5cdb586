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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Prints conditions as the canonical text the parser reads back to the same value. */
final class ConditionText {

    /** Words that cannot be a bare trait or property name, in any case. */
    static final Set<String> RESERVED = reserved();

    private static final int OR = 1, AND = 2, NOT = 3;

    private ConditionText() {}

    static String print(Condition condition) {
        StringBuilder out = new StringBuilder();
        condition(out, condition, OR);
        return out.toString();
    }

    static String operand(Operand operand) {
        StringBuilder out = new StringBuilder();
        operand(out, operand);
        return out.toString();
    }

    private static void condition(StringBuilder out, Condition condition, int context) {
        int precedence = switch (condition) {
            case Or or -> OR;
            case And and -> AND;
            default -> NOT;
        };
        boolean parens = precedence < context;
        if (parens) {
            out.append('(');
        }
        switch (condition) {
            case Or or -> join(out, or.children(), " or ", AND);
            case And and -> join(out, and.children(), " and ", NOT);
            case Not not -> {
                out.append("not ");
                condition(out, not.child(), NOT);
            }
            case Comparison c -> {
                operand(out, c.left());
                out.append(' ').append(c.op().symbol()).append(' ');
                value(out, c.right());
            }
            case Between b -> {
                operand(out, b.operand());
                out.append(" between ");
                value(out, b.low());
                out.append(" and ");
                value(out, b.high());
            }
            case In in -> {
                operand(out, in.operand());
                out.append(" in (");
                for (int i = 0; i < in.values().size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    value(out, in.values().get(i));
                }
                out.append(')');
            }
            case IsMissing m -> operand(out, m.operand()).append(" is missing");
            case IsPresent p -> operand(out, p.operand()).append(" is present");
            case HasTag t -> quote(out.append("has_tag("), t.tag()).append(')');
            case InSegment s -> quote(out.append("in_segment("), s.segment()).append(')');
        }
        if (parens) {
            out.append(')');
        }
    }

    private static void join(StringBuilder out, List<Condition> children, String separator, int context) {
        for (int i = 0; i < children.size(); i++) {
            out.append(i == 0 ? "" : separator);
            condition(out, children.get(i), context);
        }
    }

    private static StringBuilder operand(StringBuilder out, Operand operand) {
        switch (operand) {
            case Operand.Trait t -> {
                if (isBareName(t.name())) {
                    out.append(t.name());
                } else {
                    quote(out.append("trait("), t.name()).append(')');
                }
            }
            case Operand.StatRef s -> out.append(s.stat().key());
            case Operand.Count c -> window(out.append("count("), c.event(), c.where(), c.window());
            case Operand.Sum s -> window(out.append("sum("), s.event(), s.where(), s.window());
            case Operand.DaysSince d -> operand(out.append("days_since("), d.of()).append(')');
        }
        return out;
    }

    private static void window(StringBuilder out, String event, List<PropertyFilter> where, Window window) {
        quote(out, event);
        for (int i = 0; i < where.size(); i++) {
            PropertyFilter filter = where.get(i);
            out.append(i == 0 ? " where " : " and ");
            if (isBareName(filter.property())) {
                out.append(filter.property());
            } else {
                quote(out, filter.property());
            }
            out.append(' ').append(filter.op().symbol()).append(' ');
            value(out, filter.value());
        }
        out.append(", ").append(window).append(')');
    }

    private static void value(StringBuilder out, Value value) {
        switch (value) {
            case Value.Text t -> quote(out, t.value());
            case Value.Decimal d -> out.append(d.value().toPlainString());
            case Value.Bool b -> out.append(b.value());
        }
    }

    static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !wellFormedAt(text, i)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static boolean wellFormedAt(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** True when {@code name} reads back as itself without quotes. */
    static boolean isBareName(String name) {
        return isIdentifier(name) && !RESERVED.contains(name.toLowerCase(Locale.ROOT));
    }

    static boolean isIdentifier(String name) {
        if (name.isEmpty() || !isIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().allMatch(ConditionText::isIdentifierPart);
    }

    static boolean isIdentifierStart(int cp) {
        return Character.isLetter(cp) || cp == '_';
    }

    static boolean isIdentifierPart(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_' || cp == '.';
    }

    private static Set<String> reserved() {
        Set<String> words = new HashSet<>(List.of("and", "or", "not", "between", "in", "is",
                "missing", "present", "contains", "starts_with", "where", "true", "false", "has_tag", "in_segment",
                "count", "sum", "days_since", "trait"));
        for (Stat stat : Stat.values()) {
            words.add(stat.key());
        }
        return Set.copyOf(words);
    }
}
