package io.siyu.channel;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionRequest;
import io.siyu.action.SendIntent;
import io.siyu.action.SendPolicy;
import io.siyu.benchmarks.InProcessSiyu;
import io.siyu.identity.PersonId;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Dispatch decisions: a broadcast of one templated message (Chinese text, two variables) to N
 * people, each decision asking a frequency-cap policy (3 a day per person per channel, in memory)
 * and rendering the template, the outbox rows written durably in multi-row inserts by
 * {@code threads} deciders. Then the peer: the same rows inserted one per transaction.
 *
 * <p>{@code java -cp … io.siyu.channel.DispatchBench [people=1000000] [runs=3] [threads=2] [chunk=2000] [peerRows=20000]}
 */
public final class DispatchBench {

    /** A frequency cap, as a send policy would keep it: per person per channel per day, in memory. */
    static final class DailyCap implements SendPolicy {
        private final ConcurrentHashMap<PersonId, AtomicInteger> today = new ConcurrentHashMap<>();
        private final int cap;

        DailyCap(int cap) {
            this.cap = cap;
        }

        @Override
        public Decision decide(SendIntent intent) {
            int n = today.computeIfAbsent(intent.person(), p -> new AtomicInteger()).incrementAndGet();
            return n <= cap ? Decision.ALLOW : new Decision.Suppress("cap:" + intent.channel() + ":day");
        }

        @Override
        public void sent(SendIntent intent) {}
    }

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int chunk = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        int peerRows = args.length > 4 ? Integer.parseInt(args[4]) : 20_000;
        Path dataDir = Path.of("target/bench-dispatch");
        try (ConfigurableApplicationContext app = InProcessSiyu.start(dataDir,
                "siyu.channels.worker.enabled=false")) {
            Tenants tenants = app.getBean(Tenants.class);
            MessageTemplates templates = app.getBean(MessageTemplates.class);
            DailyCap cap = new DailyCap(3);
            StaticListableBeanFactory policy = new StaticListableBeanFactory(Map.of("cap", cap));
            Dispatcher dispatcher = new Dispatcher(templates, app.getBean(Rendering.class), app.getBean(Outbox.class),
                    app.getBean(Channels.class), app.getBean(Addresses.class), policy.getBeanProvider(SendPolicy.class),
                    app.getBean(OutboxWorker.class), app.getBean(Clock.class));
            Tenant tenant = tenants.create("bench-dispatch-" + System.currentTimeMillis(), "压测品牌");
            templates.save(tenant.id(), new MessageTemplate("d11", "inapp", "双11预热",
                    "{{name|亲爱的会员}}，您的{{coupon}}将于今晚零点生效，别错过！", true));
            broadcast(dispatcher, tenant, Math.min(people, 100_000), threads, chunk, "warmup"); // JIT, pools, caches
            double[] rates = new double[runs];
            double[] cpu = new double[runs];
            for (int run = 0; run < runs; run++) {
                long cpuBefore = InProcessSiyu.cpuNanos(dataDir);
                long jvmBefore = InProcessSiyu.jvmCpuNanos();
                double seconds = broadcast(dispatcher, tenant, people, threads, chunk, "run" + run);
                cpu[run] = (InProcessSiyu.cpuNanos(dataDir) - cpuBefore) / 1e3 / people;
                System.out.printf("  of which JVM %.1f µs/decision%n", (InProcessSiyu.jvmCpuNanos() - jvmBefore) / 1e3 / people);
                rates[run] = people / seconds;
                System.out.printf("run %d: %,d decisions in %.2f s = %,.0f decisions/s; CPU (JVM + PostgreSQL) %.1f µs/decision%n",
                        run + 1, people, seconds, rates[run], cpu[run]);
            }
            System.out.printf("median CPU %.1f µs/decision: 2 idle cores would do %,.0f decisions/s%n", InProcessSiyu.median(cpu),
                    2e6 / InProcessSiyu.median(cpu));
            long rows = app.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                    .sql("SELECT count(*) FROM message_outbox WHERE tenant_id = ?").param(tenant.id().value()).query(Long.class).single();
            System.out.printf("outbox rows: %,d of %,d decisions (the cap of 3 a day suppresses the 4th message a person gets)%n",
                    rows, Math.min(people, 100_000) + (long) people * runs);
            System.out.printf("median: %,.0f decisions/s; 1,000,000-person broadcast at that rate: %.1f s%n",
                    InProcessSiyu.median(rates), 1_000_000 / InProcessSiyu.median(rates));
            double peer = peer(app.getBean(DataSource.class), tenant, peerRows, threads);
            System.out.printf("peer (one INSERT per message, autocommit, %d connections): %,.0f rows/s; Siyu/peer = %.1fx%n",
                    threads, peer, InProcessSiyu.median(rates) / peer);
        }
    }

    private static double broadcast(Dispatcher dispatcher, Tenant tenant, int people, int threads, int chunk, String run)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int from;
                    while ((from = next.getAndAdd(chunk)) < people) {
                        int to = Math.min(people, from + chunk);
                        List<ActionRequest> requests = new ArrayList<>(to - from);
                        for (int i = from; i < to; i++) {
                            PersonId person = PersonId.of(tenant.id().value(), i);
                            requests.add(new ActionRequest(tenant.id(), "bc:" + run + ":" + i, person, "message",
                                    Map.of("template", "d11", "coupon", "满199减50券"), Map.of("name", "会员" + i), "broadcast:d11"));
                        }
                        for (ActionOutcome outcome : dispatcher.dispatchAll(requests)) {
                            if (!(outcome instanceof ActionOutcome.Done) && !(outcome instanceof ActionOutcome.Suppressed)) {
                                throw new IllegalStateException("unexpected outcome " + outcome);
                            }
                        }
                        done.addAndGet(to - from);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The same outbox rows, one INSERT and one commit each: what a per-message dispatcher does. */
    private static double peer(DataSource data, Tenant tenant, int rows, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = data.getConnection(); PreparedStatement insert = c.prepareStatement("""
                            INSERT INTO message_outbox (tenant_id, message_id, person_id, channel, template, address, body, marketing,
                                origin, status, next_attempt_at, created_at)
                            VALUES (?, ?, ?, 'inapp', 'd11', ?, ?, true, 'peer', 'PENDING', ?, ?) ON CONFLICT DO NOTHING""")) {
                        c.setAutoCommit(true);
                        int i;
                        while ((i = next.getAndIncrement()) < rows) {
                            PersonId person = PersonId.of(tenant.id().value(), i);
                            Timestamp now = new Timestamp(System.currentTimeMillis());
                            insert.setInt(1, tenant.id().value());
                            insert.setString(2, "peer:" + i);
                            insert.setObject(3, person.value());
                            insert.setString(4, person.toString());
                            insert.setString(5, "会员" + i + "，您的满199减50券将于今晚零点生效，别错过！");
                            insert.setTimestamp(6, now);
                            insert.setTimestamp(7, now);
                            insert.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }
}
