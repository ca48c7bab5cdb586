package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The audit writer's inbox: nothing lost, nothing twice, each producer's entries in its order, full means wait. */
class AuditRingTest {

    @Test
    void concurrentProducersLoseNothingAndKeepTheirOrderThroughWrapAround() throws Exception {
        AuditRing ring = new AuditRing(64); // small, so producers wrap around and wait for room many times
        int producers = 6;
        int each = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        assertThat(ring.offer(producer, "p" + producer, "a", Integer.toString(i), "d", null, TimeUnit.SECONDS.toNanos(10)))
                                .isTrue();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        AuditRing.Batch batch = new AuditRing.Batch(50);
        Map<Integer, Integer> next = new HashMap<>();
        int taken = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (taken < producers * each && System.nanoTime() < deadline) {
            ring.drainTo(batch, 50);
            for (int i = 0; i < batch.size; i++) {
                int producer = batch.tenant[i];
                assertThat(batch.actor[i]).isEqualTo("p" + producer);
                assertThat(Integer.parseInt(batch.subject[i])).as("producer %d's entries in order", producer)
                        .isEqualTo(next.getOrDefault(producer, 0));
                next.merge(producer, 1, Integer::sum);
            }
            taken += batch.size;
            batch.clear();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(taken).isEqualTo(producers * each);
        assertThat(ring.isEmpty()).isTrue();
        assertThat(batch.actor).containsOnlyNulls();
    }

    @Test
    void aFullRingRefusesAfterTheTimeoutAndAcceptsOnceDrained() throws Exception {
        AuditRing ring = new AuditRing(4);
        for (int i = 0; i < 4; i++) {
            assertThat(ring.offer(1, "a", "b", "c", "d", null, 0)).isTrue();
        }
        long started = System.nanoTime();
        assertThat(ring.offer(1, "a", "b", "c", "late", null, TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        AuditRing.Batch batch = new AuditRing.Batch(8);
        assertThat(ring.drainTo(batch, 8)).isEqualTo(4);
        assertThat(batch.detail).startsWith("d", "d", "d", "d");
        assertThat(ring.offer(1, "a", "b", "c", "after", null, 0)).isTrue();
        batch.clear();
        assertThat(ring.drainTo(batch, 8)).isEqualTo(1);
        assertThat(batch.detail[0]).isEqualTo("after");
    }
}
