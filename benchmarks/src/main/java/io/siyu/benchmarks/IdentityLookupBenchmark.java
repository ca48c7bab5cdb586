package io.siyu.benchmarks;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.identity.IdentityGraph;
import java.util.List;
import java.util.SplittableRandom;
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
 * {@link IdentityGraph#lookup} in a graph of a million people with two identifiers each: what
 * every event and every profile read pays. Probes are equal to, not the same instances as, the
 * stored identifiers (as after parsing a request), in random order so the table does not sit in
 * cache; one in ten misses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IdentityLookupBenchmark {

    @Param("1000000")
    int people;

    private IdentityGraph graph;
    private Identifier[] probes;
    private int cursor;

    @Setup
    public void buildGraph() {
        graph = new IdentityGraph();
        for (int p = 0; p < people; p++) {
            graph.resolve(List.of(new Identifier(IdentifierType.USER_ID, "u" + (10_000_000 + p)),
                    new Identifier(IdentifierType.ANONYMOUS_ID, anonymous(p))));
        }
        SplittableRandom random = new SplittableRandom(7);
        probes = new Identifier[1 << 20];
        for (int i = 0; i < probes.length; i++) {
            int p = random.nextInt(people);
            double kind = random.nextDouble();
            probes[i] = kind < 0.6 ? new Identifier(IdentifierType.USER_ID, "u" + (10_000_000 + p))
                    : kind < 0.9 ? new Identifier(IdentifierType.ANONYMOUS_ID, anonymous(p))
                    : new Identifier(IdentifierType.USER_ID, "nobody-" + p);
        }
    }

    private static String anonymous(int p) {
        return new java.util.UUID(p * 0x9E37_79B9_7F4A_7C15L, p).toString();
    }

    @Benchmark
    public int lookup() {
        Identifier probe = probes[cursor];
        cursor = (cursor + 1) & (probes.length - 1);
        return graph.lookup(probe);
    }
}
