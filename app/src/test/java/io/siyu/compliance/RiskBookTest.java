package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.profile.Traits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskBookTest {

    private static final long HOUR = 3_600_000L;
    private static final Detector CANCELLATIONS = new Detector("cancellations", Detector.Kind.COUNT, "Order Cancelled", null,
            50, Duration.ofDays(1), Detector.Action.FREEZE);
    private static final Detector IN_AND_OUT = new Detector("in-out", Detector.Kind.IN_OUT, "Order Completed",
            "Order Refunded", 1_000_000, Duration.ofHours(1), Detector.Action.REVIEW);

    private long seq;

    @Test
    void fiftyCancellationsADayAreFineTheFiftyFirstFiresOnce() {
        RiskBook book = new RiskBook();
        book.define(CANCELLATIONS);
        for (int i = 0; i < 50; i++) {
            apply(book, "Order Cancelled", 1, i * 60_000L, -1);
        }
        assertThat(book.pending()).isEmpty();
        apply(book, "Order Cancelled", 1, 50 * 60_000L, -1);
        assertThat(book.pending()).singleElement().satisfies(d -> {
            assertThat(d.person()).isEqualTo(1);
            assertThat(d.action()).isEqualTo(Detector.Action.FREEZE);
            assertThat(d.seq()).isEqualTo(seq);
            assertThat(d.evidence()).contains("51 × Order Cancelled");
        });
        for (int i = 51; i < 200; i++) {
            apply(book, "Order Cancelled", 1, i * 60_000L, -1);
        }
        assertThat(book.pending()).hasSize(1); // one case per window, not one per event
        apply(book, "Order Cancelled", 2, 0, -1);
        assertThat(book.pending()).hasSize(1);
    }

    @Test
    void cancellationsSpreadOverMoreThanADayNeverFire() {
        RiskBook book = new RiskBook();
        book.define(CANCELLATIONS);
        for (int i = 0; i < 500; i++) {
            apply(book, "Order Cancelled", 7, i * HOUR, -1); // 24 a day
        }
        assertThat(book.pending()).isEmpty();
    }

    @Test
    void theDetectorFiresAgainAfterAQuietWindow() {
        RiskBook book = new RiskBook();
        book.define(CANCELLATIONS);
        for (int day = 0; day < 3; day += 2) {
            for (int i = 0; i < 51; i++) {
                apply(book, "Order Cancelled", 1, day * 24 * HOUR + i * 1000L, -1);
            }
        }
        assertThat(book.pending()).hasSize(2);
    }

    @Test
    void largeMoneyInAndOutWithinAnHourFires() {
        RiskBook book = new RiskBook();
        book.define(IN_AND_OUT);
        apply(book, "Order Completed", 3, 0, 1_200_000);
        apply(book, "Order Refunded", 3, 2 * HOUR, 1_200_000); // out, but the money came in two hours ago
        assertThat(book.pending()).isEmpty();
        apply(book, "Order Completed", 3, 2 * HOUR + 10_000, 600_000);
        apply(book, "Order Completed", 3, 2 * HOUR + 20_000, 500_000);
        assertThat(book.pending()).singleElement()
                .satisfies(d -> assertThat(d.evidence()).startsWith("in 11000.00 / out 12000.00 CNY"));
        apply(book, "Order Completed", 4, 0, 999_999);
        apply(book, "Order Refunded", 4, 1000, 999_999);
        assertThat(book.pending()).hasSize(1);
    }

    @Test
    void windowsDefinitionsAndPendingDetectionsSurviveASnapshot() throws IOException {
        RiskBook book = new RiskBook();
        book.define(CANCELLATIONS);
        book.define(IN_AND_OUT);
        for (int i = 0; i < 51; i++) {
            apply(book, "Order Cancelled", 1, i, -1);
        }
        for (int i = 0; i < 50; i++) {
            apply(book, "Order Cancelled", 2, i, -1);
        }
        apply(book, "Order Completed", 3, 0, 2_000_000);
        RiskBook restored = roundTrip(book);
        assertThat(restored.pending()).isEqualTo(book.pending());
        assertThat(restored.watched()).isEqualTo(book.watched());
        apply(restored, "Order Cancelled", 2, 60, -1);
        apply(restored, "Order Refunded", 3, 100, 2_000_000);
        assertThat(restored.pending()).extracting(Detection::person).containsExactly(1, 2, 3);
        restored.stored(2);
        assertThat(restored.pending()).extracting(Detection::person).containsExactly(3);
    }

    @Test
    void redefiningKeepsWindowsOnlyWhenTheDefinitionIsUnchanged() {
        RiskBook book = new RiskBook();
        book.define(CANCELLATIONS);
        for (int i = 0; i < 50; i++) {
            apply(book, "Order Cancelled", 1, i, -1);
        }
        book.defineAll(List.of(CANCELLATIONS, IN_AND_OUT));
        apply(book, "Order Cancelled", 1, 50, -1);
        assertThat(book.pending()).hasSize(1);
        book.define(new Detector("cancellations", Detector.Kind.COUNT, "Order Cancelled", null, 2, Duration.ofDays(1),
                Detector.Action.FLAG));
        apply(book, "Order Cancelled", 1, 60, -1);
        apply(book, "Order Cancelled", 1, 61, -1);
        assertThat(book.pending()).hasSize(1);
        apply(book, "Order Cancelled", 1, 62, -1);
        assertThat(book.pending()).hasSize(2);
        assertThat(book.remove("cancellations")).isTrue();
        assertThat(book.watched()).containsOnlyKeys("in-out");
    }

    @Test
    void aMergeCombinesBothPeoplesWindows() {
        RiskBook book = new RiskBook();
        book.define(CANCELLATIONS);
        for (int i = 0; i < 30; i++) {
            apply(book, "Order Cancelled", 1, i, -1);
            apply(book, "Order Cancelled", 2, i, -1);
        }
        book.merged(null, 2, 1);
        assertThat(book.pending()).isEmpty();
        apply(book, "Order Cancelled", 1, 100, -1);
        assertThat(book.pending()).singleElement().satisfies(d -> assertThat(d.person()).isEqualTo(1));
    }

    @Test
    void tickForgetsPeopleWhoseWindowsAreOver() {
        RiskBook book = new RiskBook();
        book.define(CANCELLATIONS);
        book.define(IN_AND_OUT);
        apply(book, "Order Cancelled", 1, 0, -1);
        apply(book, "Order Completed", 1, 0, 100);
        book.tick(null, 1000);
        assertThat(book.watched()).containsEntry("cancellations", 1).containsEntry("in-out", 1);
        book.tick(null, 25 * HOUR);
        assertThat(book.watched()).containsEntry("cancellations", 0).containsEntry("in-out", 0);
    }

    private void apply(RiskBook book, String name, int person, long timestamp, long revenueFen) {
        seq++;
        Event event = new Event(1, seq, EventKind.TRACK, name, timestamp, timestamp, "m" + seq, List.of(), new Traits(),
                revenueFen, null, List.of(), null, null, List.of(), new byte[0], new byte[0]);
        book.applied(null, event, person);
    }

    private static RiskBook roundTrip(RiskBook book) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        book.write(new DataOutputStream(bytes));
        return RiskBook.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
