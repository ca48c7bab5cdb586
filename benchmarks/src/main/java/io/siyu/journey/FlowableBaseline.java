package io.siyu.journey;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.flowable.common.engine.api.delegate.event.FlowableEngineEventType;
import org.flowable.common.engine.api.delegate.event.FlowableEvent;
import org.flowable.common.engine.api.delegate.event.FlowableEventListener;
import org.flowable.common.engine.impl.cfg.TransactionState;
import org.flowable.common.engine.impl.persistence.StrongUuidGenerator;
import org.flowable.common.engine.impl.util.DefaultClockImpl;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;
import org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Peer baseline for the journey engine (issue 4): Flowable 7.2 embedded — the plain standalone
 * engine, no Spring — on its own database of the same PostgreSQL instance, running the journey
 * bench's flow as BPMN: start → timer catch event (P1D) → exclusive gateway on the process
 * variables {@code order_count} and {@code city} → service task (a {@link JavaDelegate} that renders
 * and records the action, as Siyu's provider call would receive it) → end.
 *
 * <p>Two figures, counted like {@link JourneyBench}'s: <b>enter</b> starts N process instances
 * (each its own committed transaction, from {@code threads} callers) and counts one transition per
 * person (start → waiting on the timer); <b>drain</b> moves Flowable's clock past every timer and lets
 * the async executor fire them, counting three transitions per person (wait → branch → action →
 * end) and stopping when the last process instance's completion has committed.
 *
 * <p>The async executor runs with Flowable's defaults (8 threads, 512 jobs per acquisition, history
 * level {@code audit}) except the acquisition waits, lowered from 10 s to 1 s so that the first
 * acquisition after the clock jump does not sleep up to 10 s — a jump production clocks never make.
 * Ids come from the {@link StrongUuidGenerator} and the connection pool has 32 connections, so
 * neither the id blocks nor the executor's threads wait for a connection.
 */
final class FlowableBaseline implements AutoCloseable {

    /** The bench flow as BPMN; the branch is the JUEL form of {@code order_count >= 3 and city = "上海"}. */
    static final String BPMN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xmlns:flowable="http://flowable.org/bpmn" targetNamespace="io.siyu.bench">
              <process id="journey" name="bench" isExecutable="true">
                <startEvent id="start"/>
                <sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
                <intermediateCatchEvent id="wait">
                  <timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition>
                </intermediateCatchEvent>
                <sequenceFlow id="f2" sourceRef="wait" targetRef="branch"/>
                <exclusiveGateway id="branch" default="toNudge"/>
                <sequenceFlow id="toOffer" sourceRef="branch" targetRef="offer">
                  <conditionExpression xsi:type="tFormalExpression"><![CDATA[${order_count >= 3 && city == '上海'}]]></conditionExpression>
                </sequenceFlow>
                <sequenceFlow id="toNudge" sourceRef="branch" targetRef="nudge"/>
                <serviceTask id="offer" flowable:delegateExpression="${action}"/>
                <serviceTask id="nudge" flowable:delegateExpression="${action}"/>
                <sequenceFlow id="f3" sourceRef="offer" targetRef="done"/>
                <sequenceFlow id="f4" sourceRef="nudge" targetRef="done"/>
                <endEvent id="done"/>
              </process>
            </definitions>
            """;

    /** What one phase measured. */
    record Phase(int people, long transitions, double seconds) {
        double perSecond() {
            return transitions / seconds;
        }
    }

    private final HikariDataSource dataSource;
    private final ProcessEngine engine;
    private final Action action = new Action();
    private final Completions completions = new Completions();

    /** Creates database {@code flowable} next to the bench's and starts the engine on it at {@code start}. */
    FlowableBaseline(DataSource flowableDatabase, long start, int poolSize) {
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(flowableDatabase);
        pool.setMaximumPoolSize(poolSize);
        pool.setPoolName("flowable");
        dataSource = new HikariDataSource(pool);
        ProcessEngineConfigurationImpl config = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneProcessEngineConfiguration();
        config.setDataSource(dataSource);
        config.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        config.setHistory(System.getProperty("flowable.history", "audit"));
        // Flowable's advice for concurrent engines; the default DbIdGenerator takes a second pooled
        // connection for each new id block, which deadlocks a pool sized to the executor's threads
        config.setIdGenerator(new StrongUuidGenerator());
        config.setDisableIdmEngine(true);
        config.setDisableEventRegistry(true);
        config.setAsyncExecutorActivate(true);
        config.setAsyncExecutorDefaultTimerJobAcquireWaitTime(1_000);
        config.setAsyncExecutorDefaultAsyncJobAcquireWaitTime(1_000);
        config.setBeans(new HashMap<>(Map.of("action", action)));
        config.setTypedEventListeners(Map.of(FlowableEngineEventType.PROCESS_COMPLETED.name(), List.of(completions)));
        config.setClock(new DefaultClockImpl());
        config.getClock().setCurrentTime(new Date(start));
        engine = config.buildProcessEngine();
        engine.getRepositoryService().createDeployment().name("bench").addString("journey.bpmn20.xml", BPMN).deploy();
    }

    /** Starts one instance per person (variables as JourneyBench's synthetic people), each committed. */
    Phase enter(int people, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            running.add(callers.submit(() -> {
                for (int p = next.getAndIncrement(); p < people; p = next.getAndIncrement()) {
                    engine.getRuntimeService().startProcessInstanceByKey("journey", Integer.toString(p),
                            Map.of("order_count", orders(p), "city", city(p)));
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get(15, TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException progress) {
                    System.err.printf("flowable enter: %,d started after %.0f s%n", Math.min(people, next.get()),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        callers.shutdown();
        long waiting = engine.getManagementService().createTimerJobQuery().count();
        if (waiting != people) {
            throw new IllegalStateException("expected " + people + " timers, found " + waiting);
        }
        return new Phase(people, people, seconds);
    }

    /** Moves the clock past every timer; returns when every instance's completion has committed. */
    Phase drain(int people, long dueAt) throws InterruptedException {
        completions.expect(people);
        long t0 = System.nanoTime();
        engine.getProcessEngineConfiguration().getClock().setCurrentTime(new Date(dueAt + 1_000));
        long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
        while (!completions.latch.await(15, TimeUnit.SECONDS)) {
            System.err.printf("flowable drain: %,d completed after %.0f s%n", people - completions.latch.getCount(),
                    (System.nanoTime() - t0) / 1e9);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Flowable did not finish: " + completions.latch.getCount() + " instances left");
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long offers = 0;
        for (int p = 0; p < people; p++) {
            offers += orders(p) >= 3 && city(p).equals("上海") ? 1 : 0;
        }
        if (action.offers.sum() != offers || action.nudges.sum() != people - offers) {
            throw new IllegalStateException("branch decisions differ: " + action.offers.sum() + " offers, expected " + offers);
        }
        long running = engine.getRuntimeService().createProcessInstanceQuery().count();
        if (running != 0) {
            throw new IllegalStateException(running + " instances still running");
        }
        return new Phase(people, 3L * people, seconds);
    }

    long actions() {
        return action.offers.sum() + action.nudges.sum();
    }

    static int orders(int person) {
        return person * 7 % 6;
    }

    static String city(int person) {
        return person % 3 == 0 ? "上海" : "杭州";
    }

    @Override
    public void close() {
        engine.close();
        dataSource.close();
    }

    /** The action: renders the text the way the Siyu flow's template does and records it. */
    private static final class Action implements JavaDelegate {
        final LongAdder offers = new LongAdder();
        final LongAdder nudges = new LongAdder();
        final LongAdder chars = new LongAdder();

        @Override
        public void execute(DelegateExecution execution) {
            String text = execution.getCurrentActivityId().equals("offer") ? "会员礼 " + execution.getVariable("city") : "新品";
            chars.add(text.length());
            (execution.getCurrentActivityId().equals("offer") ? offers : nudges).increment();
        }
    }

    /** Counts process completions once their transaction has committed (durable). */
    private static final class Completions implements FlowableEventListener {
        volatile CountDownLatch latch = new CountDownLatch(0);

        void expect(int count) {
            latch = new CountDownLatch(count);
        }

        @Override
        public void onEvent(FlowableEvent event) {
            latch.countDown();
        }

        @Override
        public boolean isFailOnException() {
            return false;
        }

        @Override
        public boolean isFireOnTransactionLifecycleEvent() {
            return true;
        }

        @Override
        public String getOnTransaction() {
            return TransactionState.COMMITTED.name();
        }
    }
}
