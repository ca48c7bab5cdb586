package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    static Event sample(long seq, String name) {
        Traits traits = new Traits();
        traits.set("name", "王芳");
        traits.set("note", "nul\u0000inside and 😀 outside the BMP");
        traits.set("age", 31L);
        traits.set("vip", true);
        traits.setRaw("removed", null);
        return new Event(7, seq, EventKind.TRACK, name, 1_790_000_000_123L, 1_790_000_000_456L, "msg-" + seq,
                List.of(new Identifier(IdentifierType.USER_ID, "u-42"), new Identifier(IdentifierType.ANONYMOUS_ID, "匿名-1")),
                traits, 12_990, "SO-1", List.of("美妆", "母婴"), "miniprogram", "douyin-ad",
                List.of(new Event.Sealed("phone", new byte[] {1, 2, 3})),
                "{\"price\":129.9}".getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    @Test
    void decodesWhatItEncodedIncludingNonAsciiNulAndSupplementaryCharacters() {
        Event event = sample(3, "Order Completed 订单");
        byte[] bytes = EventCodec.encode(event);
        Event decoded = EventCodec.decode(7, 3, bytes);
        assertThat(EventCodec.encode(decoded)).isEqualTo(bytes);
        assertThat(decoded.name()).isEqualTo("Order Completed 订单");
        assertThat(decoded.traits().get("note")).isEqualTo("nul\u0000inside and 😀 outside the BMP");
        assertThat(decoded.identifiers()).isEqualTo(event.identifiers());
        assertThat(decoded.properties()).isEqualTo(event.properties());
    }

    @Test
    void decodesAnEventInsideALargerBuffer() {
        byte[] bytes = EventCodec.encode(sample(5, "Product Viewed"));
        byte[] row = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, row, 13, bytes.length);
        Event decoded = EventCodec.decode(7, 5, row, 13, bytes.length);
        assertThat(EventCodec.encode(decoded)).isEqualTo(bytes);
    }

    @Test
    void rejectsATruncatedEventAsCorrupt() {
        byte[] bytes = EventCodec.encode(sample(9, "Product Viewed"));
        assertThatThrownBy(() -> EventCodec.decode(7, 9, Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt");
    }
}
