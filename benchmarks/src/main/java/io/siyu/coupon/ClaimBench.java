package io.siyu.coupon;

import io.siyu.benchmarks.InProcessSiyu;
import io.siyu.identity.PersonId;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Coupon claims: {@code claimers} concurrent claimers (virtual threads), each claim a different
 * person, against a template with {@code stock} coupons and twice as many attempts; every claim
 * that succeeds is a durable coupon row and a durable Coupon Claimed event. Checks that exactly
 * {@code stock} were issued. Then the peer: {@code UPDATE … SET stock = stock - 1 WHERE stock > 0}
 * plus the coupon INSERT in one transaction per claim, on the same PostgreSQL, 16 connections.
 *
 * <p>{@code java [-Dwarmup=20000] -cp … io.siyu.coupon.ClaimBench [stock=200000] [runs=3] [claimers=256] [peerClaims=20000]}
 * ({@code warmup}: the stock of a template claimed before the runs, twice over)
 */
public final class ClaimBench {

    public static void main(String[] args) throws Exception {
        int stock = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int claimers = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int peerClaims = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        Path dataDir = Path.of("target/bench-claims");
        try (ConfigurableApplicationContext app = InProcessSiyu.start(dataDir)) {
            Tenant tenant = app.getBean(Tenants.class).create("bench-claims-" + System.currentTimeMillis(), "压测品牌");
            CouponDesk desk = app.getBean(CouponDesk.class);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            claims(desk, jdbc, tenant, "warmup", Integer.getInteger("warmup", 20_000), claimers);
            double[] rates = new double[runs];
            double[] cpu = new double[runs];
            for (int run = 0; run < runs; run++) {
                String template = "run" + run;
                long cpuBefore = InProcessSiyu.cpuNanos(dataDir);
                long jvmBefore = InProcessSiyu.jvmCpuNanos();
                long start = System.nanoTime();
                int issued = claims(desk, jdbc, tenant, template, stock, claimers);
                double seconds = (System.nanoTime() - start) / 1e9;
                cpu[run] = (InProcessSiyu.cpuNanos(dataDir) - cpuBefore) / 1e3 / issued;
                System.out.printf("  of which JVM %.1f µs/claim%n", (InProcessSiyu.jvmCpuNanos() - jvmBefore) / 1e3 / issued);
                long stored = jdbc.sql("SELECT count(*) FROM coupons WHERE tenant_id = ? AND template_id = ?")
                        .params(tenant.id().value(), template).query(Long.class).single();
                rates[run] = issued / seconds;
                System.out.printf("run %d: %,d attempts, %,d issued, %,d stored (stock %,d) in %.2f s = %,.0f claims/s; "
                        + "CPU (JVM + PostgreSQL) %.1f µs/claim%n", run + 1, stock * 2, issued, stored, stock, seconds, rates[run], cpu[run]);
                if (issued != stock || stored != stock) {
                    throw new IllegalStateException("oversell or undersell: issued " + issued + ", stored " + stored);
                }
            }
            double median = InProcessSiyu.median(rates);
            System.out.printf("median CPU %.1f µs/claim (incl. the refused attempts): 2 idle cores would do %,.0f claims/s%n",
                    InProcessSiyu.median(cpu), 2e6 / InProcessSiyu.median(cpu));
            double peer = peer(app.getBean(DataSource.class), peerClaims);
            System.out.printf("median: %,.0f claims/s; peer (UPDATE stock = stock - 1 WHERE stock > 0 + INSERT, 16 connections): "
                    + "%,.0f claims/s; Siyu/peer = %.1fx%n", median, peer, median / peer);
        }
    }

    /** Twice {@code stock} attempts by distinct people; returns how many were issued. */
    private static int claims(CouponDesk desk, JdbcClient jdbc, Tenant tenant, String template, int stock, int claimers)
            throws Exception {
        jdbc.sql("""
                INSERT INTO coupon_templates (tenant_id, id, name, kind, amount_fen, percent_off, threshold_fen, total_stock,
                    per_person_limit, valid_for_secs) VALUES (?, ?, '满199减50', 'THRESHOLD', 5000, 0, 19900, ?, 1, 86400)""")
                .params(tenant.id().value(), template, stock).update();
        int attempts = stock * 2;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger issued = new AtomicInteger();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                futures.add(threads.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < attempts) {
                        var outcome = desk.issue(tenant.id(), PersonId.of(tenant.id().value(), i), "user_id:" + template + "-" + i,
                                template, true, null, CouponDesk.Signals.NONE);
                        if (outcome instanceof CouponDesk.Outcome.Issued) {
                            issued.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return issued.get();
    }

    private static double peer(DataSource data, int claims) throws Exception {
        try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE peer_stock (id text PRIMARY KEY, stock int NOT NULL CHECK (stock >= 0))");
            s.execute("CREATE TABLE peer_coupons (code text PRIMARY KEY, template text NOT NULL, person text NOT NULL)");
            s.execute("INSERT INTO peer_stock VALUES ('t', " + claims + ")");
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger issued = new AtomicInteger();
        int attempts = claims * 2;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = data.getConnection();
                            PreparedStatement take = c.prepareStatement("UPDATE peer_stock SET stock = stock - 1 WHERE id = 't' AND stock > 0");
                            PreparedStatement insert = c.prepareStatement("INSERT INTO peer_coupons VALUES (?, 't', ?)")) {
                        c.setAutoCommit(false);
                        int i;
                        while ((i = next.getAndIncrement()) < attempts) {
                            if (take.executeUpdate() == 1) {
                                insert.setString(1, CouponDesk.code());
                                insert.setString(2, "p-" + i);
                                insert.executeUpdate();
                                issued.incrementAndGet();
                            }
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (issued.get() != claims) {
            throw new IllegalStateException("peer issued " + issued.get() + " of " + claims);
        }
        return claims / seconds;
    }
}
