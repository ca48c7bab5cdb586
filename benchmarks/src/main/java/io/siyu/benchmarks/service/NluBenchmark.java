package io.siyu.benchmarks.service;

import io.siyu.service.dialogue.Bot;
import io.siyu.service.dialogue.BotTurn;
import io.siyu.service.dialogue.DialogueState;
import io.siyu.service.nlu.LanguageUnderstanding;
import io.siyu.service.nlu.TrainingData;
import java.time.Clock;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 6 floors, one thread (= one core): full NLU per message (normalise, entities, sentiment,
 * intent) against the peer baseline, a Lucene BM25 nearest-example classifier over the same
 * training split, on the same messages; and a whole bot reply (NLU + dialogue + FAQ retrieval over
 * ~1,000 entries) with in-memory connectors. Run in both throughput and sample-time modes so the
 * report has messages/s and p99 from the same run.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Threads(1)
public class NluBenchmark {

    private LanguageUnderstanding nlu;
    private ServiceCorpus.Bm25NearestExample bm25;
    private Bot bot;
    private String[] messages;
    private int cursor;

    @Setup
    public void setUp() {
        nlu = LanguageUnderstanding.bundled(Clock.systemUTC());
        bm25 = new ServiceCorpus.Bm25NearestExample(TrainingData.bundled().train());
        bot = ServiceCorpus.bot(nlu.catalogue());
        messages = ServiceCorpus.messages();
    }

    private String next() {
        String m = messages[cursor];
        cursor = cursor + 1 == messages.length ? 0 : cursor + 1;
        return m;
    }

    @Benchmark
    public LanguageUnderstanding.Understanding linearNlu() {
        return nlu.understand(next());
    }

    @Benchmark
    public String bm25NearestExample() {
        return bm25.classify(next());
    }

    @Benchmark
    public BotTurn botReply() {
        String text = next();
        return bot.respond(ServiceCorpus.TENANT, new DialogueState(), text, nlu.understand(text));
    }
}
