package io.siyu.engine;

import io.siyu.benchmarks.EngineEvents;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code TenantState.apply}: identity resolution, profile counters, daily buckets, categories
 * and the dedupe window, as on the partition thread and in replay. A history of 20 events per
 * person for 20,000 people is applied to a fresh state; when it runs out a new state starts, so
 * person creation and merges are part of the mix, as in a replay from an empty state.
 * {@code decodeAndApply} adds the log codec: the whole per-event cost of a replay after the read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ApplyBenchmark {

    @Param("20000")
    int people;

    private Event[] events;
    private byte[][] encoded;
    private TenantState state;
    private int cursor;

    @Setup
    public void makeHistory() {
        EngineEvents source = new EngineEvents(5, 1_790_000_000_000L, 20);
        events = new Event[people * 20];
        encoded = new byte[events.length][];
        int i = 0;
        for (int round = 0; round < 20; round++) {
            for (int person = 0; person < people; person++) {
                events[i] = source.event(person, round, i + 1);
                encoded[i] = EventCodec.encode(events[i]);
                i++;
            }
        }
        state = new TenantState(EngineEvents.TENANT);
    }

    @Benchmark
    public int apply() {
        if (cursor == events.length) {
            state = new TenantState(EngineEvents.TENANT);
            cursor = 0;
        }
        return state.apply(events[cursor++]);
    }

    @Benchmark
    public int decodeAndApply() {
        if (cursor == encoded.length) {
            state = new TenantState(EngineEvents.TENANT);
            cursor = 0;
        }
        int i = cursor++;
        return state.apply(EventCodec.decode(EngineEvents.TENANT, i + 1, encoded[i]));
    }
}
