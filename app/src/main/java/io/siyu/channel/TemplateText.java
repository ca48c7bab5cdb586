package io.siyu.channel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Template text with variables: {@code 亲爱的{{name|会员}}，您的{{coupon_code}}已到账}. A variable is
 * a name (letters, digits, {@code _}, dots for nested values such as {@code traits.city}) with an
 * optional default after {@code |}. Parsed once when the template is saved, so a broken template is
 * refused then, not at the first send.
 */
public final class TemplateText {

    private sealed interface Part {}

    private record Literal(String text) implements Part {}

    private record Variable(String name, @Nullable String fallback) implements Part {}

    /** Rendering stopped because variables without a default had no value. */
    public static final class MissingVariables extends RuntimeException {
        private final Set<String> names;

        MissingVariables(Set<String> names) {
            super("no value for " + names);
            this.names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
        }

        public Set<String> names() {
            return names;
        }
    }

    static final int MAX_LENGTH = 20_000;

    private final List<Part> parts;

    private TemplateText(List<Part> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming the position of an unclosed or malformed variable */
    public static TemplateText parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("template is longer than " + MAX_LENGTH + " characters");
        }
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Literal(text.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(new Literal(text.substring(at, open)));
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at " + open + " is never closed with '}}'");
            }
            String inside = text.substring(open + 2, close);
            int bar = inside.indexOf('|');
            String name = (bar < 0 ? inside : inside.substring(0, bar)).trim();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw new IllegalArgumentException("'" + inside + "' at " + open + " is not a variable name (letters, digits, _ and dots)");
            }
            parts.add(new Variable(name, bar < 0 ? null : inside.substring(bar + 1).trim()));
            at = close + 2;
        }
        return new TemplateText(List.copyOf(parts));
    }

    /** Names of all variables, in order of first use. */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (Part part : parts) {
            if (part instanceof Variable v) {
                names.add(v.name());
            }
        }
        return names;
    }

    /**
     * Renders with values looked up in {@code values} (dotted names walk nested maps), each passed
     * through {@code escape} (HTML escaping for e-mail, identity elsewhere); defaults are escaped too.
     *
     * @throws MissingVariables when a variable without a default has no value
     */
    public String render(Map<String, ?> values, UnaryOperator<String> escape) {
        StringBuilder out = new StringBuilder();
        Set<String> missing = new LinkedHashSet<>();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case Variable v -> {
                    String value = lookup(values, v.name());
                    if (value == null || value.isEmpty()) {
                        value = v.fallback();
                    }
                    if (value == null) {
                        missing.add(v.name());
                    } else {
                        out.append(escape.apply(value));
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingVariables(missing);
        }
        return out.toString();
    }

    /** The value of a variable as text, or null. Flat keys win over nested ones ({@code a.b} before a→b). */
    static @Nullable String lookup(Map<String, ?> values, String name) {
        Object value = values.get(name);
        if (value == null && name.indexOf('.') > 0) {
            Object current = values;
            for (String step : name.split("\\.")) {
                if (!(current instanceof Map<?, ?> map)) {
                    current = null;
                    break;
                }
                current = map.get(step);
            }
            value = current;
        }
        if (value == null || value instanceof Map<?, ?>) {
            return null;
        }
        if (value instanceof Iterable<?> items) {
            List<String> texts = new ArrayList<>();
            items.forEach(i -> texts.add(String.valueOf(i)));
            return String.join("、", texts);
        }
        return String.valueOf(value);
    }
}
