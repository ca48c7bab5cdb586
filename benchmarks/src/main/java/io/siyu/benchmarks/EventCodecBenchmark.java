package io.siyu.benchmarks;

import io.siyu.engine.Event;
import io.siyu.engine.EventCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The log's binary event form: encode (every append) and decode (every replayed event). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EventCodecBenchmark {

    private Event[] events;
    private byte[][] encoded;
    private int cursor;

    @Setup
    public void makeEvents() {
        EngineEvents source = new EngineEvents(11, 1_790_000_000_000L, 20);
        events = new Event[4096];
        encoded = new byte[events.length][];
        for (int i = 0; i < events.length; i++) {
            events[i] = source.event(i / 20, i % 20, i + 1);
            encoded[i] = EventCodec.encode(events[i]);
        }
    }

    @Benchmark
    public byte[] encode() {
        Event event = events[cursor];
        cursor = (cursor + 1) & (events.length - 1);
        return EventCodec.encode(event);
    }

    @Benchmark
    public Event decode() {
        int i = cursor;
        cursor = (cursor + 1) & (events.length - 1);
        return EventCodec.decode(EngineEvents.TENANT, i + 1, encoded[i]);
    }
}
