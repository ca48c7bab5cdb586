package io.siyu.compliance;

import io.siyu.engine.Engine;
import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Moves detections out of the engine into the case table: every second for every tenant with
 * detectors, and on demand before anyone reads cases or asks whether a person is frozen (so a
 * detection made by an acknowledged event is visible at once). Installs the stored detectors into
 * the engine at start-up. A detection leaves the engine only after its case is committed.
 */
@Component
class RiskCollector implements ApplicationRunner, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RiskCollector.class);

    private final Engine engine;
    private final RiskDetectors detectors;
    private final RiskCases cases;
    private final Set<Integer> tenants = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "siyu-risk-cases");
        thread.setDaemon(true);
        return thread;
    });

    RiskCollector(Engine engine, RiskDetectors detectors, RiskCases cases) {
        this.engine = engine;
        this.detectors = detectors;
        this.cases = cases;
    }

    @Override
    public void run(ApplicationArguments args) {
        Map<Integer, List<Detector>> stored = detectors.everyTenant().stream().collect(Collectors.groupingBy(
                RiskDetectors.Stored::tenant, Collectors.mapping(RiskDetectors.Stored::detector, Collectors.toList())));
        stored.forEach((tenant, list) -> {
            engine.ask(tenant, state -> {
                state.part(RiskExtension.ID, RiskBook.class).defineAll(list);
                return null;
            });
            tenants.add(tenant);
        });
        timer.scheduleWithFixedDelay(this::collectAll, 1, 1, TimeUnit.SECONDS);
    }

    /** Installs the tenant's current definitions into the engine. */
    void install(TenantId tenant) {
        List<Detector> current = detectors.all(tenant);
        engine.ask(tenant.value(), state -> {
            state.part(RiskExtension.ID, RiskBook.class).defineAll(current);
            return null;
        });
        tenants.add(tenant.value());
    }

    /** Stores the tenant's pending detections now. */
    synchronized void collect(int tenant) {
        List<Detection> pending = engine.ask(tenant, state -> state.part(RiskExtension.ID, RiskBook.class).pending());
        if (pending.isEmpty()) {
            return;
        }
        cases.store(tenant, pending);
        engine.ask(tenant, state -> {
            state.part(RiskExtension.ID, RiskBook.class).stored(pending.size());
            return null;
        });
    }

    private void collectAll() {
        for (int tenant : tenants) {
            try {
                collect(tenant);
            } catch (RuntimeException e) {
                // the detections stay in the engine and are tried again next second
                log.error("Could not store risk cases of tenant {}; retrying", tenant, e);
            }
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
