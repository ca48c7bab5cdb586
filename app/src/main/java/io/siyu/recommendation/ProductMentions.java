package io.siyu.recommendation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The products an event's properties name, as the Segment e-commerce spec writes them: a top-level
 * {@code product_id} (Product Viewed, Added, ...) or {@code products[].product_id} (Order
 * Completed). It runs in the engine's apply for the most frequent events there are, on ingestion
 * and on every replay, so it is a small scanner over the UTF-8 bytes that decodes only the three
 * values it wants and skips everything else unread. (A Jackson streaming parser did the same at
 * about twice the cost of the rest of the apply; the tests keep it as the reference this must agree with.)
 */
final class ProductMentions {

    /** A product named by an event, with the category and name the event gave it, if any. */
    record Mention(String productId, @Nullable String category, @Nullable String name) {}

    /** Longer ids are not product ids anyone types; they are skipped rather than interned. */
    static final int MAX_ID = 64;
    static final int MAX_NAME = 100;
    /** An order naming more products than this is a bulk import, not a basket; the rest are ignored. */
    static final int MAX_PER_EVENT = 50;
    /** Deeper nesting than any event needs is not read (Jackson's default limit is 1,000). */
    private static final int MAX_DEPTH = 1_000;

    private static final byte[] PRODUCT_ID = "product_id".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CATEGORY = "category".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAME = "name".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PRODUCTS = "products".getBytes(StandardCharsets.US_ASCII);

    /** The body is not JSON this scanner can read: it names no product. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    private ProductMentions() {}

    /** The products named by {@code properties}; empty when none or when the body is unreadable. */
    static List<Mention> of(byte[] properties) {
        if (properties.length == 0) {
            return List.of();
        }
        try {
            return new Scanner(properties).properties();
        } catch (Malformed | RuntimeException e) { // an index past the end is a truncated body
            return List.of();
        }
    }

    private static final class Scanner {
        private final byte[] b;
        private int i;
        private int keyStart;

        Scanner(byte[] bytes) {
            this.b = bytes;
        }

        List<Mention> properties() throws Malformed {
            if (next() != '{') {
                throw new Malformed();
            }
            List<Mention> mentions = new ArrayList<>(1);
            Fields top = new Fields();
            if (peek() == '}') {
                i++;
                return mentions;
            }
            do {
                int keyEnd = key();
                int keyStart = this.keyStart;
                expect(':');
                byte first = peek();
                if (is(PRODUCTS, keyStart, keyEnd) && first == '[') {
                    i++;
                    products(mentions);
                } else {
                    top.take(this, keyStart, keyEnd, first);
                }
            } while (separator('}'));
            top.addTo(mentions);
            return mentions;
        }

        /** The elements of {@code products}: each object's fields, anything else skipped. */
        private void products(List<Mention> mentions) throws Malformed {
            if (peek() == ']') {
                i++;
                return;
            }
            do {
                if (peek() == '{') {
                    i++;
                    Fields item = new Fields();
                    if (peek() == '}') {
                        i++;
                    } else {
                        do {
                            int keyEnd = key();
                            int keyStart = this.keyStart;
                            expect(':');
                            item.take(this, keyStart, keyEnd, peek());
                        } while (separator('}'));
                    }
                    if (mentions.size() < MAX_PER_EVENT) {
                        item.addTo(mentions);
                    }
                } else {
                    skipValue(0);
                }
            } while (separator(']'));
        }

        /** After a member: true for a comma (another follows), false for {@code close}. */
        private boolean separator(char close) throws Malformed {
            byte c = next();
            if (c == ',') {
                return true;
            }
            if (c == close) {
                return false;
            }
            throw new Malformed();
        }

        /**
         * Reads a key: {@link #keyStart} is its first byte, the answer the index of its closing quote.
         * An escaped key is compared as written, so it never matches a wanted name.
         */
        private int key() throws Malformed {
            if (next() != '"') {
                throw new Malformed();
            }
            keyStart = i;
            skipStringBody();
            return i - 1;
        }

        private static boolean isKey(byte[] b, byte[] name, int start, int end) {
            if (end - start != name.length) {
                return false;
            }
            for (int k = 0; k < name.length; k++) {
                if (b[start + k] != name[k]) {
                    return false;
                }
            }
            return true;
        }

        boolean is(byte[] name, int start, int end) {
            return isKey(b, name, start, end);
        }

        /** Decodes the string value at the cursor (the opening quote). */
        String string() throws Malformed {
            i++; // the opening quote
            int start = i;
            boolean escaped = false;
            while (true) {
                byte c = b[i++];
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    escaped = true;
                    i++;
                } else if ((c & 0xFF) < 0x20) {
                    throw new Malformed();
                }
            }
            return escaped ? unescape(start, i - 1) : new String(b, start, i - 1 - start, StandardCharsets.UTF_8);
        }

        private String unescape(int start, int end) throws Malformed {
            StringBuilder out = new StringBuilder(end - start);
            int run = start;
            int k = start;
            while (k < end) {
                if (b[k] != '\\') {
                    k++;
                    continue;
                }
                out.append(new String(b, run, k - run, StandardCharsets.UTF_8));
                byte e = b[k + 1];
                switch (e) {
                    case '"', '\\', '/' -> out.append((char) e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (k + 6 > end) {
                            throw new Malformed();
                        }
                        int code = 0;
                        for (int h = k + 2; h < k + 6; h++) {
                            int digit = Character.digit(b[h], 16);
                            if (digit < 0) {
                                throw new Malformed();
                            }
                            code = code << 4 | digit;
                        }
                        out.append((char) code);
                        k += 4;
                    }
                    default -> throw new Malformed();
                }
                k += 2;
                run = k;
            }
            return out.append(new String(b, run, end - run, StandardCharsets.UTF_8)).toString();
        }

        /** The text of an integer at the cursor, or null (and skipped) when it is a fraction or exponent. */
        @Nullable String integer() throws Malformed {
            int start = i;
            if (b[i] == '-') {
                i++;
            }
            int digits = i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == digits) {
                throw new Malformed();
            }
            if (i < b.length && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
                i = start;
                skipValue(0);
                return null;
            }
            return new String(b, start, i - start, StandardCharsets.US_ASCII);
        }

        /** Skips one value of any kind, nested ones included. */
        void skipValue(int depth) throws Malformed {
            if (depth > MAX_DEPTH) {
                throw new Malformed();
            }
            byte c = next();
            switch (c) {
                case '"' -> skipStringBody();
                case '{' -> {
                    if (peek() == '}') {
                        i++;
                        return;
                    }
                    do {
                        key();
                        expect(':');
                        skipValue(depth + 1);
                    } while (separator('}'));
                }
                case '[' -> {
                    if (peek() == ']') {
                        i++;
                        return;
                    }
                    do {
                        skipValue(depth + 1);
                    } while (separator(']'));
                }
                case 't' -> literal("rue");
                case 'f' -> literal("alse");
                case 'n' -> literal("ull");
                default -> {
                    if (c != '-' && (c < '0' || c > '9')) {
                        throw new Malformed();
                    }
                    while (i < b.length && isNumberByte(b[i])) {
                        i++;
                    }
                }
            }
        }

        private static boolean isNumberByte(byte c) {
            return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
        }

        private void literal(String rest) throws Malformed {
            for (int k = 0; k < rest.length(); k++) {
                if (b[i++] != rest.charAt(k)) {
                    throw new Malformed();
                }
            }
        }

        /** From just after an opening quote to just after the closing one. */
        private void skipStringBody() throws Malformed {
            while (true) {
                byte c = b[i++];
                if (c == '"') {
                    return;
                }
                if (c == '\\') {
                    i++;
                } else if ((c & 0xFF) < 0x20) {
                    throw new Malformed();
                }
            }
        }

        private void expect(char c) throws Malformed {
            if (next() != c) {
                throw new Malformed();
            }
        }

        /** The next byte that is not white space, consumed. */
        private byte next() {
            skipWhitespace();
            return b[i++];
        }

        /** The next byte that is not white space, left in place. */
        byte peek() {
            skipWhitespace();
            return b[i];
        }

        private void skipWhitespace() {
            while (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
                i++;
            }
        }
    }

    /** The three fields of one product object; everything else is skipped unread. */
    private static final class Fields {
        @Nullable String id;
        @Nullable String category;
        @Nullable String name;

        /** The value of one member, the cursor on its first byte; wanted ones are read, others skipped. */
        void take(Scanner s, int keyStart, int keyEnd, byte first) throws Malformed {
            boolean productId = s.is(PRODUCT_ID, keyStart, keyEnd);
            if (first == '"' && (productId || s.is(CATEGORY, keyStart, keyEnd) || s.is(NAME, keyStart, keyEnd))) {
                String value = s.string();
                if (productId) {
                    id = value;
                } else if (s.is(CATEGORY, keyStart, keyEnd)) {
                    category = value;
                } else {
                    name = value;
                }
            } else if (productId && (first == '-' || first >= '0' && first <= '9')) {
                String value = s.integer(); // ids arrive as strings, and from some SDKs as integers
                if (value != null) {
                    id = value;
                }
            } else {
                s.skipValue(0);
            }
        }

        void addTo(List<Mention> mentions) {
            String trimmed = id == null ? null : id.strip();
            if (trimmed == null || trimmed.isEmpty() || trimmed.length() > MAX_ID) {
                return;
            }
            String c = category == null || category.isBlank() ? null : category.trim(); // as ingestion interns categories
            String n = name == null || name.isBlank() ? null : abbreviate(name.strip());
            mentions.add(new Mention(trimmed, c, n));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
    }
}
