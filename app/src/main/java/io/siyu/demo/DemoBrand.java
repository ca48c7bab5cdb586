package io.siyu.demo;

import io.siyu.engine.Engine;
import io.siyu.engine.TenantState;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.ingestion.Intake;
import io.siyu.platform.Credentials;
import io.siyu.platform.SiyuProperties;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import io.siyu.profile.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sets up the demo brand once the server is ready: tenant {@code demo}, the write key from
 * {@code SIYU_DEMO_WRITE_KEY} (or one generated and kept in {@code <data>/demo-write-key}), and,
 * when the tenant has no events yet, a synthetic history sent through the normal intake, so the
 * demo exercises the same path as real traffic. Then prints where to look and what to try.
 */
@Component
@ConditionalOnProperty(name = "siyu.demo.enabled", havingValue = "true")
class DemoBrand {

    static final String SLUG = "demo";
    static final String NAME = "演示品牌 Demo Brand";
    /** Same seed, same brand: people, products and histories are reproducible across machines. */
    static final long SEED = 20_261_111L;
    private static final int CHUNK = 1_000;
    private static final Logger log = LoggerFactory.getLogger(DemoBrand.class);

    private final Tenants tenants;
    private final Credentials credentials;
    private final Intake intake;
    private final Engine engine;
    private final SiyuProperties properties;
    private final Environment environment;
    private final JsonMapper json;
    private final Clock clock;

    DemoBrand(Tenants tenants, Credentials credentials, Intake intake, Engine engine, SiyuProperties properties,
            Environment environment, JsonMapper json, Clock clock) {
        this.tenants = tenants;
        this.credentials = credentials;
        this.intake = intake;
        this.engine = engine;
        this.properties = properties;
        this.environment = environment;
        this.json = json;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void setUp() {
        Tenant tenant = tenants.findBySlug(SLUG).orElseGet(() -> tenants.create(SLUG, NAME));
        String writeKey = credentials.issueWriteKey(tenant.id(), "demo", writeKey()).secret();
        long events = engine.query(tenant.id().value(), TenantState::applied).join();
        String loaded;
        if (events == 0) {
            long started = System.nanoTime();
            long sent = load(tenant);
            double seconds = (System.nanoTime() - started) / 1e9;
            loaded = "loaded %,d events of %,d people in %.1f s (%,.0f events/s)".formatted(sent,
                    properties.demo().people(), seconds, sent / seconds);
        } else {
            loaded = "already has %,d events; not loaded again".formatted(events);
        }
        String banner = banner(writeKey, loaded, exampleUser(tenant));
        System.out.println(banner);
        log.info("Demo brand ready{}", banner);
    }

    /** Sends the synthetic history in chunks, people split over a few threads (a person stays on one). */
    private long load(Tenant tenant) {
        SiyuProperties.Demo demo = properties.demo();
        log.info("Loading the demo brand: {} people, {} events over the last {} days", demo.people(), demo.events(),
                SyntheticBrand.DAYS);
        SyntheticBrand brand = new SyntheticBrand(SEED, demo.people(), demo.events(), clock.millis(), json);
        int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
        AtomicLong sent = new AtomicLong();
        AtomicLong nextReport = new AtomicLong(demo.events() / 10);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            workers.add(Thread.ofPlatform().name("siyu-demo-load-" + w).start(() -> {
                try {
                    List<Intake.Message> chunk = new ArrayList<>(CHUNK);
                    for (int person = worker; person < brand.people() && failure.get() == null; person += threads) {
                        for (ObjectNode message : brand.messagesOf(person)) {
                            chunk.add(new Intake.Message(message, null, "demo[" + person + "]", message.toString()));
                            if (chunk.size() == CHUNK) {
                                send(tenant, chunk, sent, nextReport, demo.events());
                            }
                        }
                    }
                    if (!chunk.isEmpty()) {
                        send(tenant, chunk, sent, nextReport, demo.events());
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading the demo brand", e);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading the demo brand failed after " + sent.get() + " events", failure.get());
        }
        return sent.get();
    }

    private void send(Tenant tenant, List<Intake.Message> chunk, AtomicLong sent, AtomicLong nextReport, long total) {
        Intake.Result result = intake.accept(tenant.id(), chunk, "demo", null);
        if (!result.quarantined().isEmpty()) {
            Intake.Quarantined first = result.quarantined().getFirst();
            throw new IllegalStateException("the demo generator produced an invalid message at " + first.path() + ": "
                    + first.errors());
        }
        long done = sent.addAndGet(chunk.size());
        long report = nextReport.get();
        if (done >= report && nextReport.compareAndSet(report, report + total / 10)) {
            log.info("Demo brand: {} of {} events sent", done, total);
        }
        chunk.clear();
    }

    /** The user id of the first identified person with an order, so the printed profile read shows something. */
    private String exampleUser(Tenant tenant) {
        return engine.query(tenant.id().value(), state -> {
            for (int person = 0; person < state.graph().size(); person++) {
                Profile profile = state.profile(person);
                if (profile != null && profile.orderCount() > 0) {
                    for (Identifier id : state.graph().identifiersOf(person)) {
                        if (id.type() == IdentifierType.USER_ID) {
                            return id.value();
                        }
                    }
                }
            }
            return "u1000000";
        }).join();
    }

    /** The configured key, else the one generated on an earlier start, else a new one kept for the next. */
    private String writeKey() {
        String configured = properties.demo().writeKey();
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Path file = properties.dataDir().resolve("demo-write-key");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            String key = "wk_demo_" + java.util.HexFormat.of().formatHex(bytes);
            Files.createDirectories(file.getParent());
            Files.writeString(file, key);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the data directory's permissions protect it
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the demo write key in " + file, e);
        }
    }

    private String banner(String writeKey, String loaded, String exampleUser) {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String base = "http://localhost:" + port;
        String adminToken = properties.adminToken() != null && !properties.adminToken().isBlank()
                ? "from SIYU_ADMIN_TOKEN (siyu.admin-token)"
                : properties.dataDir().resolve("admin-token").toAbsolutePath().toString();
        String tokenExpr = properties.adminToken() != null && !properties.adminToken().isBlank()
                ? "$SIYU_ADMIN_TOKEN"
                : "$(cat " + properties.dataDir().resolve("admin-token").toAbsolutePath() + ")";
        return """

                ================================================================================
                 Siyu demo brand · %s · tenant '%s'
                 %s
                --------------------------------------------------------------------------------
                 Management API   %s/api/v1/...      (Authorization: Bearer <admin token>,
                                                      X-Siyu-Tenant: %s)
                 OpenAPI          %s/v3/api-docs
                 Metrics          %s/actuator/prometheus
                 Ingestion        %s/v1/track, /v1/identify, /v1/batch (Segment-compatible)
                 Write key        %s
                 Admin token      %s
                --------------------------------------------------------------------------------
                 Send an event (HTTP Basic, the write key as user name):
                   curl -u %s: -H 'Content-Type: application/json' %s/v1/track \\
                     -d '{"userId":"%s","event":"Product Viewed","properties":{"product_id":"p0001","category":"美妆","price":129.9}}'
                 Identify someone with traits:
                   curl -u %s: -H 'Content-Type: application/json' %s/v1/identify \\
                     -d '{"userId":"u9000001","traits":{"name":"王芳","gender":"female","city":"上海"}}'
                 Read a profile (a member with orders) by any identifier:
                   curl -H "Authorization: Bearer %s" -H 'X-Siyu-Tenant: %s' \\
                     '%s/api/v1/profiles?identifier=user_id:%s'
                ================================================================================
                """.formatted(NAME, SLUG, loaded, base, SLUG, base, base, base, writeKey, adminToken, writeKey, base,
                exampleUser, writeKey, base, tokenExpr, SLUG, base, exampleUser);
    }
}
