package io.siyu.platform;

import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one source of time; journeys, caps and tests replace it. {@code SIYU_CLOCK=simulated} (or
 * {@code siyu.clock=simulated}) gives a {@link SimulatedClock} that operators can move forward.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
    Clock clock(@Value("${siyu.clock:system}") String mode, SiyuProperties properties) {
        return switch (mode) {
            case "system" -> Clock.systemUTC();
            case "simulated" -> new SimulatedClock(properties.dataDir().resolve("simulated-clock-offset"));
            default -> throw new IllegalStateException("siyu.clock (SIYU_CLOCK) must be 'system' or 'simulated', was '" + mode + "'");
        };
    }
}
