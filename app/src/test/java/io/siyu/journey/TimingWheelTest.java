package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.journey.runtime.TimingWheel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimingWheelTest {

    private static final long START = 1_764_000_000_000L;

    @Test
    void firesEveryTimerOnceInDeadlineOrderAndNeverEarly() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            TimingWheel wheel = new TimingWheel(10, START);
            List<Long> deadlines = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                long deadline = START + switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(1_000);
                    case 1 -> random.nextInt(86_400_000);
                    case 2 -> (long) random.nextInt(400) * 86_400_000L;
                    default -> -random.nextInt(5_000);
                };
                deadlines.add(deadline);
                wheel.schedule(deadline, i);
            }
            List<Long> fired = new ArrayList<>();
            long now = START;
            while (fired.size() < deadlines.size()) {
                now += 1 + (long) (random.nextDouble() * random.nextDouble() * 30L * 86_400_000L);
                long at = now;
                wheel.advance(now, (deadline, payload) -> {
                    assertThat(deadline).isLessThanOrEqualTo(at);
                    assertThat(deadline).isEqualTo(deadlines.get((int) payload));
                    fired.add(deadline);
                });
                assertThat(fired).allMatch(d -> d <= at);
                long overdue = deadlines.stream().filter(d -> d <= at).count();
                assertThat(fired).as("everything due by " + at + " fired").hasSize((int) overdue);
            }
            assertThat(fired).isSorted();
            assertThat(wheel.size()).isZero();
        }
    }

    @Test
    void timersScheduledWhileFiringFireInTheSameAdvanceWhenDue() {
        TimingWheel wheel = new TimingWheel(10, START);
        List<Long> fired = new ArrayList<>();
        wheel.schedule(START + 86_400_000L, 3); // a chain of three one-day waits
        long fires = wheel.advance(START + 3 * 86_400_000L + 5, (deadline, left) -> {
            fired.add(deadline);
            if (left > 1) {
                wheel.schedule(deadline + 86_400_000L, left - 1);
            }
        });
        assertThat(fires).isEqualTo(3);
        assertThat(fired).containsExactly(START + 86_400_000L, START + 2 * 86_400_000L, START + 3 * 86_400_000L);
    }

    @Test
    void aTimerWithinTheCurrentTickFiresAtItsExactDeadline() {
        TimingWheel wheel = new TimingWheel(1_000, START);
        List<Long> fired = new ArrayList<>();
        wheel.advance(START + 100, (d, p) -> fired.add(d));
        wheel.schedule(START + 300, 1);
        wheel.advance(START + 299, (d, p) -> fired.add(d));
        assertThat(fired).isEmpty();
        wheel.advance(START + 300, (d, p) -> fired.add(d));
        assertThat(fired).containsExactly(START + 300);
    }

    @Test
    void oneMillionTimersAtOneInstantAllFire() {
        TimingWheel wheel = new TimingWheel(10, START);
        for (int i = 0; i < 1_000_000; i++) {
            wheel.schedule(START + 3_600_000L, i);
        }
        long[] count = {0};
        wheel.advance(START + 3_600_000L, (d, p) -> count[0]++);
        assertThat(count[0]).isEqualTo(1_000_000);
        assertThat(wheel.size()).isZero();
    }
}
