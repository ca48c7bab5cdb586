package io.siyu.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CommonIsoInstantTest {

    @Property(tries = 2_000)
    void readsTheCommonShapeExactlyAsTheIsoParserDoes(
            @ForAll @LongRange(min = -2_000_000_000L, max = 4_000_000_000L) long epochSecond,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
            @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours,
            @ForAll @IntRange(min = 0, max = 3) int precision) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 900);
        OffsetDateTime time = Instant.ofEpochSecond(epochSecond, nanos).atOffset(offset);
        String pattern = switch (precision) {
            case 0 -> "uuuu-MM-dd'T'HH:mm:ss";
            case 1 -> "uuuu-MM-dd'T'HH:mm:ss.SSS";
            case 2 -> "uuuu-MM-dd'T'HH:mm:ss.SSSSSS";
            default -> "uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS";
        };
        String text = time.format(DateTimeFormatter.ofPattern(pattern)) + (quarterHours == 0 && precision % 2 == 0 ? "Z"
                : time.getOffset().getId().equals("Z") ? "+00:00" : time.getOffset().getId());
        assertThat(Normaliser.commonIsoInstant(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @Test
    void leavesEverythingElseToTheGeneralParser() {
        for (String other : new String[] {"2026-02-30T10:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T10:00:60Z",
                "2026-11-25 10:00:00Z", "2026-11-25T10:00:00", "2026-11-25T10:00:00+0800", "2026-11-25t10:00:00z",
                "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00.1234567891Z", "2026-11-25T10:00:00+19:00",
                "+12026-11-25T10:00:00Z", "2026-11-25T10:00Z", "２０２６-11-25T10:00:00Z"}) {
            assertThat(Normaliser.commonIsoInstant(other)).as(other).isNull();
        }
        assertThat(Normaliser.commonIsoInstant("2026-11-25T10:00:00.5+08:00"))
                .isEqualTo(Instant.parse("2026-11-25T02:00:00.500Z"));
    }
}
