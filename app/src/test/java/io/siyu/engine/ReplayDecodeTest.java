package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The replay decoder (shared strings from a {@link StringTable}, immutable lists built in place) and
 * the allocation-free message-id hash must give exactly what the plain decoder and the UTF-8 hash give:
 * the same events, and the same state once applied.
 */
class ReplayDecodeTest {

    private static final String[] NAMES = {"Product Viewed", "Product Added", "Order Completed", "Order Refunded",
        "Product Clicked", "Product Added to Wishlist", "Page Viewed", "订单完成", "Signed Up"};
    private static final String[] CATEGORIES = {"美妆", "母婴", "shoes", "bags", "food"};

    /** Events with repeating and unique names, non-ASCII, NUL, long values, 0 to 3 identifiers and categories. */
    static List<Event> events(int n, long seed) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            int person = random.nextInt(n / 4 + 1);
            List<Identifier> ids = new ArrayList<>();
            int idCount = 1 + random.nextInt(3);
            ids.add(new Identifier(IdentifierType.ANONYMOUS_ID, "a-" + person));
            if (idCount > 1) {
                ids.add(new Identifier(IdentifierType.USER_ID, (person % 7 == 0 ? "用户-" : "u-") + person / 2));
            }
            if (idCount > 2) {
                ids.add(new Identifier(IdentifierType.EMAIL, "p" + person + "@example.com"));
            }
            String name = switch (random.nextInt(6)) {
                case 0 -> "Custom " + i; // unique: more than the table keeps
                case 1 -> "Long ".repeat(20) + (i % 3); // longer than the table keeps
                case 2 -> "nul\u0000" + (i % 5); // ASCII except the two-byte NUL
                default -> NAMES[random.nextInt(NAMES.length)];
            };
            List<String> categories = new ArrayList<>();
            for (int c = random.nextInt(4); c > 0; c--) {
                categories.add(random.nextBoolean() ? CATEGORIES[random.nextInt(CATEGORIES.length)] : "cat-" + random.nextInt(6_000));
            }
            Traits traits = new Traits();
            if (random.nextInt(4) == 0) {
                traits.set("city", random.nextBoolean() ? "上海" : "Hangzhou");
                traits.set("age", (long) random.nextInt(80));
            }
            long revenue = name.startsWith("Order") ? random.nextInt(100_000) : -1;
            String channel = random.nextInt(5) == 0 ? null : random.nextBoolean() ? "app" : "channel-" + random.nextInt(5_000);
            String source = random.nextInt(3) == 0 ? "wecom-state-" + random.nextInt(10) : null;
            List<Event.Sealed> sealed = random.nextInt(5) == 0 ? List.of(new Event.Sealed("phone", new byte[] {(byte) i, 2, 3}))
                    : List.of();
            String messageId = random.nextInt(50) == 0 ? "dup-" + random.nextInt(20) : (i % 11 == 0 ? "消息-" : "m-") + i;
            byte[] properties = ("{\"product_id\":\"p" + random.nextInt(300) + "\",\"category\":\"" + CATEGORIES[random.nextInt(5)]
                    + "\",\"name\":\"商品\"}").getBytes(StandardCharsets.UTF_8);
            events.add(new Event(1, i, i % 97 == 0 ? EventKind.IDENTIFY : EventKind.TRACK, name,
                    1_790_000_000_000L + i * 60_000L, 1_790_000_000_000L + i * 60_000L, messageId, ids, traits, revenue,
                    revenue > 0 ? "SO-" + i : null, categories, channel, source, sealed, properties, new byte[0]));
        }
        return events;
    }

    private static byte[] snapshot(TenantState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Test
    void theReplayDecoderGivesTheSameEventsAndTheSameStateAsThePlainOne() throws IOException {
        List<Event> events = events(20_000, 7);
        StringTable table = new StringTable();
        TenantState live = new TenantState(1);
        TenantState plain = new TenantState(1);
        TenantState replayed = new TenantState(1);
        for (Event event : events) {
            byte[] body = EventCodec.encode(event);
            byte[] row = new byte[body.length + 10]; // inside a larger buffer, as a COPY row holds it
            System.arraycopy(body, 0, row, 5, body.length);
            Event viaTable = EventCodec.decode(1, event.seq(), row, 5, body.length, table);
            Event viaPlain = EventCodec.decode(1, event.seq(), body);
            assertThat(EventCodec.encode(viaTable)).isEqualTo(body);
            assertThat(viaTable.identifiers()).isEqualTo(event.identifiers());
            assertThat(viaTable.categories()).isEqualTo(event.categories());
            assertThat(viaTable.name()).isEqualTo(event.name());
            assertThat(viaTable.channel()).isEqualTo(event.channel());
            assertThat(viaTable.source()).isEqualTo(event.source());
            live.apply(event);
            plain.apply(viaPlain);
            replayed.apply(viaTable);
        }
        assertThat(table.size()).as("the table filled up, so the path past it ran too").isEqualTo(StringTable.CAPACITY);
        assertThat(live.duplicates()).as("the data has repeated message ids").isPositive();
        assertThat(snapshot(replayed)).isEqualTo(snapshot(live)).isEqualTo(snapshot(plain));
    }

    @Test
    void theTableGivesOneInstancePerValueAndKeepsNoMoreThanItsCapacity() {
        StringTable table = new StringTable();
        byte[] a = "xxProduct Viewedyy".getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = "Product Viewed".getBytes(StandardCharsets.ISO_8859_1);
        String first = table.ascii(a, 2, 14);
        assertThat(first).isEqualTo("Product Viewed");
        assertThat(table.ascii(b, 0, 14)).isSameAs(first);
        assertThat(table.ascii(b, 0, 7)).isEqualTo("Product").isNotSameAs(first);
        for (int i = 0; i < StringTable.CAPACITY * 2; i++) {
            byte[] value = ("v" + i).getBytes(StandardCharsets.ISO_8859_1);
            assertThat(table.ascii(value, 0, value.length)).isEqualTo("v" + i);
        }
        assertThat(table.size()).isEqualTo(StringTable.CAPACITY);
        assertThat(table.ascii(b, 0, 14)).isSameAs(first);
        byte[] full = "not kept".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(table.ascii(full, 0, full.length)).isEqualTo("not kept").isNotSameAs(table.ascii(full, 0, full.length));
        byte[] empty = new byte[0];
        assertThat(table.ascii(empty, 0, 0)).isEmpty();
    }

    @Test
    void aNegativeCountIsACorruptEventNotAnotherError() {
        byte[] body = EventCodec.encode(EventCodecTest.sample(3, "x"));
        // version, kind, name ("x": 2 + 1 bytes), timestamp, receivedAt, message id ("msg-3": 2 + 5), then the id count
        int idCountAt = 1 + 1 + 3 + 8 + 8 + 7;
        assertThat(body[idCountAt]).isEqualTo((byte) 2);
        body[idCountAt] = (byte) -1;
        assertThatThrownBy(() -> EventCodec.decode(7, 3, body, 0, body.length, new StringTable()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt");
    }

    /** The hash as it was defined: FNV-1a over the UTF-8 bytes, then a 64-bit mix. Snapshots hold its values. */
    private static long utf8Hash(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf2_9ce4_8422_2325L ^ bytes.length;
        for (byte b : bytes) {
            h ^= b;
            h *= 0x0100_0000_01b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51_afd7_ed55_8ccdL;
        h ^= h >>> 33;
        h *= 0xc4ce_b9fe_1a85_ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Test
    void theMessageIdHashIsTheUtf8HashForAsciiAndEverythingElse() {
        List<String> ids = new ArrayList<>(List.of("", "a", "\u0000", "\u007f", "\u0080", "é", "消息-1", "😀", "\ud800",
                "x\udc00y", "0f8fad5b-d9cb-469f-a165-70867728950e"));
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80));
            }
            ids.add(new String(chars));
        }
        for (String id : ids) {
            assertThat(MessageIdWindow.hash(id)).as(id).isEqualTo(utf8Hash(id));
        }
    }
}
