package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class TagBookTest {

    @Test
    void holdsHundredsOfTagsWhicheverWayTheyArrive() throws Exception {
        TagBook book = new TagBook();
        for (int t = 0; t < 300; t++) {
            switch (t % 3) {
                case 0 -> book.replaceTag("r" + t, RoaringBitmap.bitmapOf(t, t + 1));
                case 1 -> book.assign(t, "a" + t, null);
                default -> book.replaceGroup("g" + t, Map.of("x" + t, RoaringBitmap.bitmapOf(t)));
            }
        }
        assertThat(book.members("r297").toArray()).containsExactly(297, 298);
        assertThat(book.has(297, "a298")).isFalse();
        assertThat(book.has(298, "r297")).isTrue();
        assertThat(book.members("x299").toArray()).containsExactly(299);
        assertThat(book.counts()).hasSize(300);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        book.write(new DataOutputStream(bytes));
        TagBook copy = TagBook.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(copy.counts()).isEqualTo(book.counts());
        assertThat(copy.has(100, "a100")).isTrue();
    }

    @Test
    void aGroupHoldsOneTagPerPerson() {
        TagBook book = new TagBook();
        book.assign(7, "new", "lifecycle");
        book.assign(7, "active", "lifecycle");
        book.assign(7, "vip", null);
        assertThat(book.has(7, "new")).isFalse();
        assertThat(book.has(7, "active")).isTrue();
        assertThat(book.has(7, "vip")).isTrue();
    }
}
