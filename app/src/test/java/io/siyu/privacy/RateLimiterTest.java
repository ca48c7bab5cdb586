package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void admitsABurstOfTwiceTheRateThenAsksToWait() {
        RateLimiter limiter = new RateLimiter();
        long t = 1_000_000_000L;
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.acquire("k", 10, t)).isZero();
        }
        assertThat(limiter.acquire("k", 10, t)).isEqualTo(1);
        assertThat(limiter.acquire("other", 10, t)).as("keys are independent").isZero();
        assertThat(limiter.acquire("k", 10, t + 100_000_000L)).as("a tenth of a second refills one").isZero();
        assertThat(limiter.acquire("k", 10, t + 100_000_000L)).isEqualTo(1);
    }

    @Test
    void retryAfterGrowsForSlowRates() {
        RateLimiter limiter = new RateLimiter();
        limiter.acquire("slow", 1, 0);
        limiter.acquire("slow", 1, 0);
        assertThat(limiter.acquire("slow", 1, 0)).isEqualTo(1);
    }
}
