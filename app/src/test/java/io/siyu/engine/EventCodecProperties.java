package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EventCodecProperties {

    @Property(tries = 500)
    void everyEventSurvivesTheLogCodecUnchanged(@ForAll("events") Event event) {
        Event decoded = EventCodec.decode(event.tenant(), 77, EventCodec.encode(event));
        assertThat(decoded.seq()).isEqualTo(77);
        assertThat(decoded.kind()).isEqualTo(event.kind());
        assertThat(decoded.name()).isEqualTo(event.name());
        assertThat(decoded.timestamp()).isEqualTo(event.timestamp());
        assertThat(decoded.receivedAt()).isEqualTo(event.receivedAt());
        assertThat(decoded.messageId()).isEqualTo(event.messageId());
        assertThat(decoded.identifiers()).isEqualTo(event.identifiers());
        assertThat(decoded.traits().asMap()).isEqualTo(event.traits().asMap());
        assertThat(decoded.revenueFen()).isEqualTo(event.revenueFen());
        assertThat(decoded.orderId()).isEqualTo(event.orderId());
        assertThat(decoded.categories()).isEqualTo(event.categories());
        assertThat(decoded.channel()).isEqualTo(event.channel());
        assertThat(decoded.source()).isEqualTo(event.source());
        assertThat(decoded.properties()).isEqualTo(event.properties());
        assertThat(decoded.context()).isEqualTo(event.context());
    }

    @Property(tries = 300)
    void corruptBytesFailLoudlyNeverSilently(@ForAll("events") Event event, @ForAll byte noise, @ForAll int position) {
        byte[] bytes = EventCodec.encode(event);
        bytes[Math.floorMod(position, bytes.length)] ^= (byte) (noise | 1);
        try {
            EventCodec.decode(event.tenant(), 1, bytes);
        } catch (IllegalStateException | IllegalArgumentException | NullPointerException
                | ArrayIndexOutOfBoundsException | NegativeArraySizeException | OutOfMemoryError expected) {
            // detected: a corrupt log entry is reported, the caller decides
        }
    }

    @Provide
    Arbitrary<Event> events() {
        // whole code points only: the normaliser never hands the engine half a surrogate pair
        Arbitrary<String> text = Arbitraries.strings().withChars("abc中文 \"\\\n").ofMaxLength(30)
                .flatMap(s -> Arbitraries.of("", "😀", "𠀀").map(emoji -> s + emoji));
        Arbitrary<Identifier> ids = Arbitraries.of(IdentifierType.values()).flatMap(type ->
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map(v -> new Identifier(type, v)));
        Arbitrary<Traits> traits = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.oneOf(text.map(s -> (Object) s), Arbitraries.longs().map(l -> (Object) l),
                        Arbitraries.doubles().map(d -> (Object) d), Arbitraries.of(true, false).map(b -> (Object) b)))
                .ofMaxSize(5).map(map -> {
                    Traits t = new Traits();
                    map.forEach(t::set);
                    return t;
                });
        return Builders.withBuilder(() -> new Object[17])
                .use(Arbitraries.integers().between(1, 1000)).in((a, v) -> { a[0] = v; return a; })
                .use(Arbitraries.of(EventKind.values())).in((a, v) -> { a[2] = v; return a; })
                .use(text).in((a, v) -> { a[3] = v; return a; })
                .use(Arbitraries.longs()).in((a, v) -> { a[4] = v; return a; })
                .use(text.filter(s -> !s.isEmpty())).in((a, v) -> { a[6] = v; return a; })
                .use(ids.list().ofMaxSize(4)).in((a, v) -> { a[7] = v; return a; })
                .use(traits).in((a, v) -> { a[8] = v; return a; })
                .use(Arbitraries.longs().between(-1, 10_000_000)).in((a, v) -> { a[9] = v; return a; })
                .use(text.injectNull(0.3)).in((a, v) -> { a[10] = v; return a; })
                .use(text.list().ofMaxSize(3)).in((a, v) -> { a[11] = v; return a; })
                .use(text.injectNull(0.3)).in((a, v) -> { a[12] = v; return a; })
                .use(Arbitraries.bytes().array(byte[].class).ofMaxSize(50)).in((a, v) -> { a[15] = v; return a; })
                .build(a -> new Event((Integer) a[0], 0, (EventKind) a[2], (String) a[3], (Long) a[4], 1_700_000_000_000L,
                        (String) a[6], castIds(a[7]), (Traits) a[8], (Long) a[9], (String) a[10], castStrings(a[11]),
                        (String) a[12], null, List.of(new Event.Sealed("phone", new byte[] {1, 2, 3})), (byte[]) a[15],
                        new byte[0]));
    }

    @SuppressWarnings("unchecked")
    private static List<Identifier> castIds(Object o) {
        return (List<Identifier>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castStrings(Object o) {
        return (List<String>) o;
    }
}
