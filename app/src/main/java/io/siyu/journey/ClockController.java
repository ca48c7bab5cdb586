package io.siyu.journey;

import io.siyu.engine.Engine;
import io.siyu.platform.Caller;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.SimulatedClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulated clock of sandboxes and tests. Advancing it lets the engine's time rules (segments
 * that time alone changes) and then every journey reach the new time: due waits fire in deadline
 * order, and the response comes once their steps are durable and their actions were tried.
 */
@RestController
@RequestMapping("/api/v1/admin/clock")
class ClockController {

    static final Duration MAX_ADVANCE = Duration.ofDays(3_650);

    record Advance(@Nullable String duration) {}

    private final Clock clock;
    private final Engine engine;
    private final JourneyRuntime runtime;

    ClockController(Clock clock, Engine engine, JourneyRuntime runtime) {
        this.clock = clock;
        this.engine = engine;
        this.runtime = runtime;
    }

    @GetMapping
    Map<String, Object> now(Caller caller) {
        caller.requireAdmin();
        return Map.of("now", clock.instant().toString(), "simulated", clock instanceof SimulatedClock);
    }

    @PostMapping("/advance")
    Map<String, Object> advance(Caller caller, @RequestBody Advance request) {
        caller.requireAdmin();
        if (!(clock instanceof SimulatedClock simulated)) {
            throw new InvalidInput("clock", "simulated-only", "仅模拟时钟可拨动，请以 SIYU_CLOCK=simulated 启动 / "
                    + "only a simulated clock moves; start with SIYU_CLOCK=simulated");
        }
        Duration by = duration(request.duration());
        simulated.advance(by);
        engine.tick();
        long fired = runtime.advanceAll(clock.millis(), true);
        return Map.of("now", clock.instant().toString(), "timersFired", fired);
    }

    static Duration duration(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("duration", "required", "需要 ISO-8601 时长，如 P3D / an ISO-8601 duration such as P3D is required");
        }
        Duration by;
        try {
            String upper = text.toUpperCase(Locale.ROOT);
            by = upper.contains("T") ? Duration.parse(upper) : Duration.ofDays(days(Period.parse(upper)));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidInput("duration", "format", "不是 ISO-8601 时长 / not an ISO-8601 duration: " + text);
        }
        if (by.isNegative() || by.compareTo(MAX_ADVANCE) > 0) {
            throw new InvalidInput("duration", "range", "时长须在 0 到 3650 天 / the clock moves forward by 0 to 3650 days");
        }
        return by;
    }

    private static long days(Period period) {
        if (period.getYears() != 0 || period.getMonths() != 0) {
            throw new InvalidInput("duration", "format", "请用天表示，如 P30D / use days (P30D), not months or years");
        }
        return period.getDays();
    }
}
