package io.siyu.engine.wiring;

import io.siyu.engine.Engine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Engine health: the log position, the apply lag and events that failed to apply. Failed events
 * leave the engine serving (they stay in the log), so they do not take the instance down; the
 * {@code siyu_engine_apply_errors_total} counter is what alerts.
 */
@Component("engineHealthIndicator")
class EngineHealth implements HealthIndicator {

    private final Engine engine;

    EngineHealth(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        return Health.up().withDetail("seq", engine.lastSeq()).withDetail("lag", engine.lag())
                .withDetail("applyErrors", engine.applyErrors()).build();
    }
}
