package io.siyu.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.PayloadTooLarge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestBodyTest {

    private static MockHttpServletRequest request(byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/track");
        request.setContent(body);
        return request;
    }

    @Test
    void readsABodyOfTheAnnouncedLength() throws IOException {
        byte[] body = "{\"event\":\"下单\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(RequestBodies.read(request(body), 32 * 1024, "message")).isEqualTo(body);
    }

    @Test
    void refusesABodyLongerThanTheLimitBeforeReadingIt() {
        assertThatThrownBy(() -> RequestBodies.read(request(new byte[101]), 100, "message"))
                .isInstanceOf(PayloadTooLarge.class);
    }

    @Test
    void refusesAnEmptyBody() {
        assertThatThrownBy(() -> RequestBodies.read(request(new byte[0]), 100, "message"))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("empty");
    }

    @Test
    void inflatesGzipAndAppliesTheLimitAfterDecompression() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(new byte[500]);
        }
        MockHttpServletRequest small = request(zipped.toByteArray());
        small.addHeader("Content-Encoding", "gzip");
        assertThat(RequestBodies.read(small, 1_000, "batch")).hasSize(500);
        MockHttpServletRequest large = request(zipped.toByteArray());
        large.addHeader("Content-Encoding", "gzip");
        assertThatThrownBy(() -> RequestBodies.read(large, 100, "batch")).isInstanceOf(PayloadTooLarge.class);
    }

    @Test
    void measuresUtf8LengthWithoutEncodingShortStrings() {
        assertThat(TrackingController.utf8LengthOver("下".repeat(10_000), 30_000)).isFalse();
        assertThat(TrackingController.utf8LengthOver("下".repeat(10_001), 30_000)).isTrue();
        assertThat(TrackingController.utf8LengthOver("a".repeat(30_001), 30_000)).isTrue();
    }
}
