package io.siyu.segment.condition;

import io.siyu.segment.condition.Condition.Between;
import io.siyu.segment.condition.Condition.Comparison;
import io.siyu.segment.condition.Condition.HasTag;
import io.siyu.segment.condition.Condition.In;
import io.siyu.segment.condition.Condition.InSegment;
import io.siyu.segment.condition.Condition.IsMissing;
import io.siyu.segment.condition.Condition.IsPresent;
import io.siyu.segment.condition.Condition.Not;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads the condition language. Grammar (keywords in any case; {@code &&}, {@code ||}, {@code !}
 * are aliases of {@code and}, {@code or}, {@code not}):
 *
 * <pre>
 * condition  = or
 * or         = and { "or" and }
 * and        = unary { "and" unary }
 * unary      = "not" unary | "(" or ")" | "has_tag" "(" string ")" | "in_segment" "(" string ")" | predicate
 * predicate  = operand ( op value | "between" value "and" value | ["not"] "in" "(" value {"," value} ")"
 *                      | "is" ["not"] ("missing" | "present") )
 * operand    = identifier | "trait" "(" string ")" | ("count" | "sum") "(" string [where] "," window ")"
 *            | "days_since" "(" (identifier | "trait" "(" string ")") ")"
 * where      = "where" filter { "and" filter }
 * filter     = (identifier | string) op value
 * op         = "=" | "==" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "contains" | "starts_with"
 * value      = string | ["-"] digits ["." digits] | "true" | "false"
 * window     = digits ("d" | "h" | "w")
 * </pre>
 *
 * An identifier starts with a letter (any script, so {@code 会员等级} is one) or {@code _} and goes
 * on with letters, digits, {@code _} and {@code .}; one of the {@link Stat} names means that stat,
 * anything else a trait. Strings are double-quoted with escapes {@code \" \\ \n \r \t \/ \}{@code uXXXX}.
 *
 * <p>Hostile input is bounded: at most {@value #MAX_LENGTH} characters, nesting (parentheses and
 * {@code not}) at most {@value #MAX_DEPTH} deep and at most {@value #MAX_PREDICATES} predicates.
 */
public final class ConditionParser {

    public static final int MAX_LENGTH = 10_000;
    public static final int MAX_DEPTH = 50;
    public static final int MAX_PREDICATES = 200;

    private static final String CONDITION = "a condition";
    private static final List<String> OPERATORS = List.of("=", "!=", "<", "<=", ">", ">=", "contains", "starts_with",
            "between", "in", "is");

    private final String text;
    private final List<Token> tokens;
    private int pos;
    private int depth;
    private int predicates;

    private ConditionParser(String text) {
        this.text = text;
        this.tokens = new Lexer(text).tokens();
    }

    /**
     * Parses a condition.
     *
     * @throws ConditionSyntaxError with the position, what was expected and what was found; it is
     *     the only exception this method throws for any input
     */
    public static Condition parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new ConditionSyntaxError(1, 1, List.of(), "condition is " + text.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        ConditionParser parser = new ConditionParser(text);
        Condition condition = parser.or();
        if (parser.peek().type != Type.EOF) {
            throw parser.expected("'and', 'or' or the end", List.of("and", "or", "end of input"));
        }
        return condition;
    }

    private Condition or() {
        List<Condition> children = new ArrayList<>();
        children.add(and());
        while (acceptWord("or") || acceptSymbol("||")) {
            children.add(and());
        }
        return Condition.or(children);
    }

    private Condition and() {
        List<Condition> children = new ArrayList<>();
        children.add(unary());
        while (acceptWord("and") || acceptSymbol("&&")) {
            children.add(unary());
        }
        return Condition.and(children);
    }

    private Condition unary() {
        Token start = peek();
        if (acceptWord("not") || acceptSymbol("!")) {
            enter(start);
            Condition child = unary();
            depth--;
            return new Not(child);
        }
        if (acceptSymbol("(")) {
            enter(start);
            Condition inner = or();
            expectSymbol(")", "'and', 'or' or ')'");
            depth--;
            return inner;
        }
        if (isWord(start, "has_tag") || isWord(start, "in_segment")) {
            pos++;
            countPredicate(start);
            expectSymbol("(", "'('");
            Token name = expectString(isWord(start, "has_tag") ? "a tag name in double quotes" : "a segment name in double quotes");
            expectSymbol(")", "')'");
            return build(name, () -> isWord(start, "has_tag")
                    ? new HasTag(name.text()) : new InSegment(name.text()));
        }
        return predicate();
    }

    private Condition predicate() {
        Token start = peek();
        Operand operand = operand(CONDITION);
        countPredicate(start);
        Token at = peek();
        Op op = op(at);
        if (op != null) {
            pos++;
            return new Comparison(operand, op, value(operand, op));
        }
        if (acceptWord("between")) {
            Value low = value(operand, Op.GE);
            expectWord("and", "'and'");
            return new Between(operand, low, value(operand, Op.LE));
        }
        boolean negated = isWord(at, "not") && isWord(peekAt(1), "in");
        if (negated) {
            pos++;
        }
        if (acceptWord("in")) {
            expectSymbol("(", "'('");
            List<Value> values = new ArrayList<>();
            do {
                values.add(value(operand, Op.EQ));
            } while (acceptSymbol(","));
            expectSymbol(")", "',' or ')'");
            In in = new In(operand, values);
            return negated ? new Not(in) : in;
        }
        if (acceptWord("is")) {
            boolean not = acceptWord("not");
            if (acceptWord("missing")) {
                return not ? new IsPresent(operand) : new IsMissing(operand);
            }
            if (acceptWord("present")) {
                return not ? new IsMissing(operand) : new IsPresent(operand);
            }
            throw expected("'missing' or 'present'", not ? List.of("missing", "present") : List.of("not", "missing", "present"));
        }
        throw expected("an operator (=, !=, <, <=, >, >=, contains, starts_with, between, in, is)", OPERATORS);
    }

    private Operand operand(String what) {
        Token token = peek();
        if (token.type != Type.WORD) {
            throw expected(what, alternatives(what));
        }
        String word = lower(token);
        switch (word) {
            case "count", "sum" -> {
                pos++;
                expectSymbol("(", "'('");
                Token event = expectString("an event name in double quotes");
                List<PropertyFilter> where = new ArrayList<>();
                if (acceptWord("where")) {
                    do {
                        where.add(filter());
                    } while (acceptWord("and") || acceptSymbol("&&"));
                }
                expectSymbol(",", where.isEmpty() ? "'where' or ','" : "'and' or ','");
                Token windowToken = peek();
                if (windowToken.type != Type.WINDOW) {
                    throw expected("a window such as 30d, 12h or 2w", List.of("window"));
                }
                pos++;
                Window window = build(windowToken, () -> Window.parse(windowToken.text()));
                expectSymbol(")", "')'");
                return build(event, () -> word.equals("count")
                        ? new Operand.Count(event.text(), where, window)
                        : new Operand.Sum(event.text(), where, window));
            }
            case "days_since" -> {
                pos++;
                expectSymbol("(", "'('");
                Token inner = peek();
                if (isWord(inner, "count") || isWord(inner, "sum") || isWord(inner, "days_since")) {
                    throw expected("a time stat or date trait", List.of("first_seen", "last_seen", "last_order",
                            "last_interaction", "trait"));
                }
                Operand of = operand("a time stat or date trait");
                expectSymbol(")", "')'");
                return build(inner, () -> new Operand.DaysSince(of));
            }
            case "trait" -> {
                pos++;
                expectSymbol("(", "'('");
                Token name = expectString("a trait name in double quotes");
                expectSymbol(")", "')'");
                return build(name, () -> new Operand.Trait(name.text()));
            }
            default -> {
                Stat stat = Stat.fromKey(word);
                if (stat != null) {
                    pos++;
                    return new Operand.StatRef(stat);
                }
                if (ConditionText.RESERVED.contains(word)) {
                    throw expected(what, alternatives(what));
                }
                pos++;
                return new Operand.Trait(token.text());
            }
        }
    }

    private static List<String> alternatives(String what) {
        return what.equals(CONDITION)
                ? List.of("trait", "stat", "count(...)", "sum(...)", "days_since(...)", "has_tag(...)", "in_segment(...)",
                        "not", "(")
                : List.of("time stat", "trait");
    }

    private PropertyFilter filter() {
        Token property = peek();
        boolean name = property.type == Type.STRING
                || property.type == Type.WORD && !ConditionText.RESERVED.contains(lower(property));
        if (!name) {
            throw expected("an event property name", List.of("property"));
        }
        pos++;
        Token at = peek();
        Op op = op(at);
        if (op == null) {
            throw expected("an operator (=, !=, <, <=, >, >=, contains, starts_with)", OPERATORS.subList(0, 8));
        }
        pos++;
        Value value = value(null, op);
        return build(property, () -> new PropertyFilter(property.text(), op, value));
    }

    /** Reads a literal and checks it suits {@code op} on {@code left} (null: an event property). */
    private Value value(@Nullable Operand left, Op op) {
        Operand.Kind kind = left == null ? Operand.Kind.ANY : left.kind();
        String phrase = switch (kind) {
            case NUMBER -> "a number";
            case TIME -> "an ISO date string";
            case ANY -> op.isTextual() ? "a string" : op.isOrdering() ? "a number or string" : "a number, string or boolean";
        };
        List<String> expected = switch (kind) {
            case NUMBER -> List.of("number");
            case TIME -> List.of("date string");
            case ANY -> op.isTextual() ? List.of("string")
                    : op.isOrdering() ? List.of("number", "string") : List.of("number", "string", "boolean");
        };
        Token token = peek();
        Value value;
        if (token.type == Type.STRING) {
            value = new Value.Text(token.text());
        } else if (token.type == Type.NUMBER || isSymbol(token, "-") && peekAt(1).type == Type.NUMBER) {
            String digits = token.type == Type.NUMBER ? token.text() : "-" + peekAt(1).text();
            pos += token.type == Type.NUMBER ? 0 : 1;
            value = build(token, () -> new Value.Decimal(new BigDecimal(digits)));
        } else if (isWord(token, "true") || isWord(token, "false")) {
            value = new Value.Bool(isWord(token, "true"));
        } else {
            throw expected(phrase, expected);
        }
        try {
            if (left == null) {
                Checks.valueSuits(op, value);
            } else {
                Checks.valueSuits(left, op, value);
            }
        } catch (IllegalArgumentException e) {
            throw expected(phrase, expected);
        }
        pos++;
        return value;
    }

    private static @Nullable Op op(Token token) {
        return token.type == Type.SYMBOL || token.type == Type.WORD ? Op.fromSymbol(token.text()) : null;
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw error(at, List.of(), "nesting is deeper than " + MAX_DEPTH + " levels of parentheses and 'not'");
        }
    }

    private void countPredicate(Token at) {
        if (++predicates > MAX_PREDICATES) {
            throw error(at, List.of(), "a condition may test at most " + MAX_PREDICATES + " predicates");
        }
    }

    /** Runs a record constructor, turning its refusal into a syntax error at {@code at}. */
    private <T> T build(Token at, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw error(at, List.of(), e.getMessage());
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private boolean acceptWord(String word) {
        if (isWord(peek(), word)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String symbol) {
        if (isSymbol(peek(), symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectWord(String word, String phrase) {
        if (!acceptWord(word)) {
            throw expected(phrase, List.of(word));
        }
    }

    private void expectSymbol(String symbol, String phrase) {
        if (!acceptSymbol(symbol)) {
            throw expected(phrase, List.of(symbol));
        }
    }

    private Token expectString(String phrase) {
        Token token = peek();
        if (token.type != Type.STRING) {
            throw expected(phrase, List.of("string"));
        }
        pos++;
        return token;
    }

    private static boolean isWord(Token token, String word) {
        return token.type == Type.WORD && token.text().equalsIgnoreCase(word);
    }

    private static boolean isSymbol(Token token, String symbol) {
        return token.type == Type.SYMBOL && token.text().equals(symbol);
    }

    private static String lower(Token token) {
        return token.text().toLowerCase(Locale.ROOT);
    }

    private ConditionSyntaxError expected(String phrase, List<String> expected) {
        Token found = peek();
        String after = pos == 0 ? "" : " after '" + shorten(tokens.get(pos - 1).source(text)) + "'";
        String foundText = found.type == Type.EOF ? "the end" : "'" + shorten(found.source(text)) + "'";
        return error(found, expected, "expected " + phrase + after + " but found " + foundText);
    }

    private ConditionSyntaxError error(Token at, List<String> expected, String detail) {
        return Lexer.error(text, at.start, expected, detail);
    }

    private static String shorten(String source) {
        return source.length() <= 40 ? source : source.substring(0, 37) + "...";
    }

    enum Type { WORD, STRING, NUMBER, WINDOW, SYMBOL, EOF }

    /**
     * @param text the decoded value of a string, otherwise the source spelling
     * @param start offset in the source
     * @param end offset just past the token in the source
     */
    record Token(Type type, String text, int start, int end) {
        String source(String source) {
            return source.substring(start, end);
        }
    }

    /** Splits the text into tokens; string escapes are decoded here. */
    static final class Lexer {

        private static final List<String> SYMBOLS = List.of("==", "!=", "<>", "<=", ">=", "&&", "||", "(", ")", ",",
                "=", "<", ">", "!", "-");

        private final String text;
        private int at;

        Lexer(String text) {
            this.text = text;
        }

        List<Token> tokens() {
            List<Token> tokens = new ArrayList<>();
            while (true) {
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
                if (at >= text.length()) {
                    tokens.add(new Token(Type.EOF, "", at, at));
                    return tokens;
                }
                tokens.add(next());
            }
        }

        private Token next() {
            int start = at;
            int cp = text.codePointAt(at);
            if (ConditionText.isIdentifierStart(cp)) {
                while (at < text.length() && ConditionText.isIdentifierPart(text.codePointAt(at))) {
                    at += Character.charCount(text.codePointAt(at));
                }
                return new Token(Type.WORD, text.substring(start, at), start, at);
            }
            if (cp >= '0' && cp <= '9') {
                return number(start);
            }
            if (cp == '"') {
                return string(start);
            }
            for (String symbol : SYMBOLS) {
                if (text.startsWith(symbol, at)) {
                    at += symbol.length();
                    return new Token(Type.SYMBOL, symbol, start, at);
                }
            }
            throw error(text, start, List.of(), "unexpected character '" + Character.toString(cp) + "'");
        }

        private Token number(int start) {
            digits();
            if (at + 1 < text.length() && text.charAt(at) == '.' && isDigit(text.charAt(at + 1))) {
                at++;
                digits();
            }
            int end = at;
            if (at < text.length() && ConditionText.isIdentifierPart(text.codePointAt(at))) {
                while (at < text.length() && ConditionText.isIdentifierPart(text.codePointAt(at))) {
                    at += Character.charCount(text.codePointAt(at));
                }
                String word = text.substring(start, at);
                if (at - end == 1 && "dhwDHW".indexOf(text.charAt(end)) >= 0 && word.indexOf('.') < 0) {
                    return new Token(Type.WINDOW, word, start, at);
                }
                throw error(text, start, List.of("number", "window"),
                        "expected a number or a window such as 30d but found '" + word + "'");
            }
            return new Token(Type.NUMBER, text.substring(start, end), start, end);
        }

        private void digits() {
            while (at < text.length() && isDigit(text.charAt(at))) {
                at++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private Token string(int start) {
            StringBuilder value = new StringBuilder();
            at++;
            while (true) {
                if (at >= text.length()) {
                    throw error(text, start, List.of("\""), "string is not closed: expected '\"' before the end");
                }
                char c = text.charAt(at);
                if (c == '"') {
                    at++;
                    return new Token(Type.STRING, value.toString(), start, at);
                }
                if (c == '\n' || c == '\r') {
                    throw error(text, start, List.of("\""), "string is not closed: expected '\"' before the end of the line");
                }
                if (c != '\\') {
                    value.append(c);
                    at++;
                    continue;
                }
                int escape = at;
                char e = at + 1 < text.length() ? text.charAt(at + 1) : 0;
                at += 2;
                switch (e) {
                    case '"' -> value.append('"');
                    case '\\' -> value.append('\\');
                    case '/' -> value.append('/');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length() || !text.substring(at, at + 4).chars().allMatch(
                                h -> Character.digit(h, 16) >= 0 && h < 128)) {
                            throw error(text, escape, List.of("\\uXXXX"), "expected four hex digits after '\\u'");
                        }
                        value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error(text, escape, List.of("\\\"", "\\\\", "\\n", "\\r", "\\t", "\\/", "\\uXXXX"),
                            "unknown escape; expected one of \\\" \\\\ \\n \\r \\t \\/ \\uXXXX");
                }
            }
        }

        static ConditionSyntaxError error(String text, int offset, List<String> expected, String detail) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < offset && i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    line++;
                    column = 1;
                } else if (!Character.isLowSurrogate(c)) {
                    column++;
                }
            }
            return new ConditionSyntaxError(line, column, expected, detail);
        }
    }
}
