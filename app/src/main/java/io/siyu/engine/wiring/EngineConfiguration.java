package io.siyu.engine.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.siyu.engine.Engine;
import io.siyu.engine.EngineExtension;
import io.siyu.engine.EngineListener;
import io.siyu.engine.PostgresEventLog;
import io.siyu.engine.SnapshotStore;
import io.siyu.platform.SiyuProperties;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the engine, restores its state before the web server takes traffic, and exposes its metrics. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    @Bean
    @DependsOnDatabaseInitialization // the schema must exist before the engine replays
    PostgresEventLog eventLog(DataSource dataSource) {
        return new PostgresEventLog(dataSource);
    }

    @Bean(destroyMethod = "close")
    Engine engine(PostgresEventLog eventLog, SiyuProperties properties, Clock clock, MeterRegistry meters,
            ObjectProvider<EngineListener> listeners, ObjectProvider<EngineExtension> extensions) {
        Engine.Settings settings = new Engine.Settings(1, properties.engine().maxGroupCommit(),
                properties.engine().snapshotEvery(), 8_192);
        EngineListener listener = listeners.getIfAvailable(() -> EngineListener.NONE);
        Engine engine = new Engine(eventLog, eventLog, new SnapshotStore(properties.dataDir().resolve("snapshots")),
                clock, settings, listener, extensions.orderedStream().toList());
        engine.start();
        FunctionCounter.builder("siyu.ingest.events", engine, Engine::appendedEvents)
                .description("Events written to the durable log").register(meters);
        FunctionCounter.builder("siyu.log.group.commits", engine, Engine::groupCommits)
                .description("Log transactions; events per commit = events / commits").register(meters);
        Gauge.builder("siyu.log.lag", engine, Engine::lag)
                .description("Events acknowledged but not yet applied to engine state").register(meters);
        Gauge.builder("siyu.log.seq", engine, Engine::lastSeq).description("Last acknowledged log position").register(meters);
        Gauge.builder("siyu.replay.progress", engine, Engine::replayProgress)
                .description("Fraction of the start-up replay done").register(meters);
        FunctionCounter.builder("siyu.engine.apply.errors", engine, Engine::applyErrors)
                .description("Logged events that failed to apply to engine state").register(meters);
        Timer writes = Timer.builder("siyu.log.write")
                .description("Writing one group to the event log before its commit (encoding and sending the rows)")
                .publishPercentiles(0.5, 0.99, 0.999).publishPercentileHistogram().register(meters);
        Timer commits = Timer.builder("siyu.log.commit").description("One group commit of the event log (the fsync)")
                .publishPercentiles(0.5, 0.99, 0.999).publishPercentileHistogram().register(meters);
        Timer acks = Timer.builder("siyu.ingest.ack")
                .description("From handing events to the engine to their acknowledgement (durable in the log)")
                .publishPercentiles(0.5, 0.99, 0.999).publishPercentileHistogram().register(meters);
        engine.reportTimings(new Engine.Timings() {
            @Override
            public void written(long nanos) {
                writes.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void committed(long nanos) {
                commits.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void acknowledged(long nanos) {
                acks.record(nanos, TimeUnit.NANOSECONDS);
            }
        });
        FunctionCounter.builder("siyu.replay.events", engine, Engine::replayedEvents)
                .description("Events replayed at start-up").register(meters);
        return engine;
    }
}
