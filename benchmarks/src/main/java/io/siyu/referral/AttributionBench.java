package io.siyu.referral;

import io.siyu.benchmarks.InProcessSiyu;
import io.siyu.ingestion.Intake;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Referral attribution throughput, end to end in one process on embedded PostgreSQL: {@code friends}
 * new people sign up with a share code (one of {@code sharers} codes, each friend on its own device),
 * ingested through the intake in batches of 500; the clock stops when every one of them is
 * attributed, fraud-checked and REWARDED (a 20-yuan coupon for the sharer and a newcomer coupon for
 * the friend, both durable, plus their events). The attributor runs as in production, on its own
 * timer. Reference in the same run: the same number of plain Signed Up events without a code,
 * ingested only, which is the cost the referral pipeline adds to.
 *
 * <p>{@code java -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" io.siyu.referral.AttributionBench
 * [friends=20000] [runs=3] [sharers=1000]}
 */
public final class AttributionBench {

    private static final int BATCH = 500;

    public static void main(String[] args) throws Exception {
        int friends = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int sharers = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        Path dataDir = Path.of("target/bench-referral");
        try (ConfigurableApplicationContext app = InProcessSiyu.start(dataDir)) {
            Tenant tenant = app.getBean(Tenants.class).create("bench-referral-" + System.currentTimeMillis(), "压测品牌");
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            Intake intake = app.getBean(Intake.class);
            JsonMapper json = app.getBean(JsonMapper.class);
            for (String[] template : new String[][] {{"sharer-20", "1000000"}, {"newcomer", "1"}}) {
                jdbc.sql("""
                        INSERT INTO coupon_templates (tenant_id, id, name, kind, amount_fen, percent_off, threshold_fen, total_stock,
                            per_person_limit, valid_for_secs) VALUES (?, ?, ?, 'FIXED', 2000, 0, 0, 10000000, ?, 2592000)""")
                        .params(tenant.id().value(), template[0], template[0], Integer.parseInt(template[1])).update();
            }
            app.getBean(ReferralController.class).create(tenant.id(), """
                    {"id":"bench","name":"压测裂变","kind":"INVITE","startsAt":"%s","endsAt":"%s","landingUrl":"https://brand.example/r/{code}",
                     "sharerReward":"sharer-20","friendRewards":["newcomer"]}"""
                    .formatted(Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(30, ChronoUnit.DAYS)));
            List<Intake.Message> identities = new ArrayList<>();
            for (int s = 0; s < sharers; s++) {
                ObjectNode m = json.createObjectNode().put("type", "identify").put("userId", "sharer-" + s).put("messageId", "id-sharer-" + s);
                identities.add(new Intake.Message(m, "identify", "bench", m.toString()));
            }
            intake.accept(tenant.id(), identities, "bench", null);
            ShareCodes shareCodes = app.getBean(ShareCodes.class);
            People people = app.getBean(People.class);
            List<String> codes = new ArrayList<>(sharers);
            for (int s = 0; s < sharers; s++) {
                var sharer = people.find(tenant.id(), io.siyu.identity.Identifier.parse("user_id:sharer-" + s)).orElseThrow();
                codes.add(shareCodes.codeFor(tenant.id(), "bench", sharer.id(), "user_id:sharer-" + s, Instant.now()).code());
            }
            run(app, tenant, json, intake, jdbc, codes, "warmup", Math.min(friends, 5_000), dataDir);
            double[] rates = new double[runs];
            double[] plain = new double[runs];
            double[] cpu = new double[runs];
            for (int r = 0; r < runs; r++) {
                double[] result = run(app, tenant, json, intake, jdbc, codes, "run" + r, friends, dataDir);
                rates[r] = result[0];
                cpu[r] = result[1];
                plain[r] = plainIngest(tenant, json, intake, "plain" + r, friends);
                System.out.printf("run %d: %,d referred sign-ups attributed and rewarded at %,.0f events/s (CPU %.0f µs/event, JVM + "
                        + "PostgreSQL); the same number of plain sign-ups ingested at %,.0f events/s%n", r + 1, friends, rates[r], cpu[r], plain[r]);
            }
            System.out.printf("median: %,.0f attributions/s end to end (%.0f µs CPU each); plain ingest of the same events %,.0f/s%n",
                    InProcessSiyu.median(rates), InProcessSiyu.median(cpu), InProcessSiyu.median(plain));
        }
    }

    /** @return events/s until all are REWARDED, and CPU µs per event */
    private static double[] run(ConfigurableApplicationContext app, Tenant tenant, JsonMapper json, Intake intake, JdbcClient jdbc,
            List<String> codes, String run, int friends, Path dataDir) throws Exception {
        long cpuBefore = InProcessSiyu.cpuNanos(dataDir);
        long start = System.nanoTime();
        List<Intake.Message> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < friends; i++) {
            ObjectNode m = json.createObjectNode().put("type", "track").put("event", "Signed Up").put("userId", run + "-friend-" + i)
                    .put("messageId", run + "-signup-" + i);
            m.putObject("properties").put("referral_code", codes.get(i % codes.size()));
            m.putObject("context").putObject("device").put("id", run + "-device-" + i);
            batch.add(new Intake.Message(m, "track", "bench", m.toString()));
            if (batch.size() == BATCH || i == friends - 1) {
                Intake.Result result = intake.accept(tenant.id(), batch, "bench", null);
                if (!result.quarantined().isEmpty()) {
                    throw new IllegalStateException("quarantined: " + result.quarantined().getFirst());
                }
                batch = new ArrayList<>(BATCH);
            }
        }
        double ingestSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + 600_000_000_000L;
        double judgedSeconds = 0;
        int rewarded;
        do {
            Thread.sleep(20);
            var counts = jdbc.sql("""
                    SELECT count(*), count(*) FILTER (WHERE status = 'REWARDED') FROM referral_attributions
                    WHERE tenant_id = ? AND friend_identifier LIKE ?""")
                    .params(tenant.id().value(), "user_id:" + run + "-friend-%").query((rs, row) -> new int[] {rs.getInt(1), rs.getInt(2)})
                    .single();
            if (judgedSeconds == 0 && counts[0] == friends) {
                judgedSeconds = (System.nanoTime() - start) / 1e9;
            }
            rewarded = counts[1];
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(run + ": only " + rewarded + " of " + friends + " rewarded after 10 minutes");
            }
        } while (rewarded < friends);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (InProcessSiyu.cpuNanos(dataDir) - cpuBefore) / 1e3 / friends;
        int flagged = jdbc.sql("SELECT count(*) FROM referral_attributions WHERE tenant_id = ? AND status <> 'REWARDED'")
                .param(tenant.id().value()).query(Integer.class).single();
        if (flagged != 0) {
            throw new IllegalStateException(flagged + " attributions were not rewarded: the workload has no fraud");
        }
        System.out.printf("  %s: ingest %.2f s, all %,d judged after %.2f s, attributed and rewarded after %.2f s%n", run, ingestSeconds,
                friends, judgedSeconds, seconds);
        return new double[] {friends / seconds, cpu};
    }

    private static double plainIngest(Tenant tenant, JsonMapper json, Intake intake, String run, int friends) {
        long start = System.nanoTime();
        List<Intake.Message> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < friends; i++) {
            ObjectNode m = json.createObjectNode().put("type", "track").put("event", "Signed Up").put("userId", run + "-user-" + i)
                    .put("messageId", run + "-plain-" + i);
            m.putObject("context").putObject("device").put("id", run + "-device-" + i);
            batch.add(new Intake.Message(m, "track", "bench", m.toString()));
            if (batch.size() == BATCH || i == friends - 1) {
                intake.accept(tenant.id(), batch, "bench", null);
                batch = new ArrayList<>(BATCH);
            }
        }
        return friends / ((System.nanoTime() - start) / 1e9);
    }
}
