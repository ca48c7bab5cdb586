package io.siyu.service.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.TenantId;
import io.siyu.support.ApiTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The msgid dedupe table forgets what WeCom can no longer send again, and only that, over the real PostgreSQL. */
class KfSeenSweeperTest extends ApiTest {

    @Autowired
    KfStore store;

    @Test
    void idsOlderThanTheRetentionAreForgottenInBatchesAndRecentOnesStillDeduplicate() {
        TenantId tenant = newBrand().tenant().id();
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        for (int i = 0; i < KfSeenSweeper.BATCH + 5; i++) {
            assertThat(store.firstSight(tenant, "old-" + i, now.minus(Duration.ofDays(8)))).isTrue();
        }
        assertThat(store.firstSight(tenant, "edge", now.minus(Duration.ofDays(7)).plusSeconds(1))).isTrue();
        assertThat(store.firstSight(tenant, "recent", now.minus(Duration.ofHours(1)))).isTrue();
        KfSeenSweeper sweeper = new KfSeenSweeper(store, Clock.systemUTC(), Duration.ofDays(7), 60_000);

        assertThat(sweeper.sweep(now)).isGreaterThanOrEqualTo(KfSeenSweeper.BATCH + 5); // other tests' rows are all recent
        assertThat(store.firstSight(tenant, "recent", now)).isFalse();
        assertThat(store.firstSight(tenant, "edge", now)).isFalse();
        assertThat(store.firstSight(tenant, "old-0", now)).isTrue(); // forgotten: WeCom cannot send it again
        assertThat(sweeper.sweep(now)).isZero();
    }

    @Test
    void aRetentionShorterThanWeComsThreeDaysIsRefused() {
        assertThatThrownBy(() -> new KfSeenSweeper(store, Clock.systemUTC(), Duration.ofHours(12), 60_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3 days");
    }
}
