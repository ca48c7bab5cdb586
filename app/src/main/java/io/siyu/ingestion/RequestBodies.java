package io.siyu.ingestion;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.PayloadTooLarge;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reading request bodies under a size limit, for every collection endpoint. */
public final class RequestBodies {

    private RequestBodies() {}

    /**
     * Reads the body, inflating gzip, refusing with 413 as soon as it passes {@code limit} (so a
     * gzip bomb costs at most {@code limit} bytes of memory).
     *
     * @param what how to name the body in the error, e.g. "batch"
     * @throws PayloadTooLarge past the limit
     * @throws InvalidInput when empty or not valid gzip although declared so
     */
    public static byte[] read(HttpServletRequest request, int limit, String what) throws IOException {
        long declared = request.getContentLengthLong();
        boolean gzip = "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"));
        if (!gzip && declared > limit) {
            throw tooLarge(limit, what);
        }
        InputStream in = request.getInputStream();
        if (!gzip && declared > 0) {
            // The length is known and within the limit: read into an array of exactly that size.
            // readNBytes(limit + 1) would allocate 16 KB chunks per request, most of them empty;
            // that was 43% of the allocation of single-event requests.
            byte[] bytes = new byte[(int) declared];
            int read = in.readNBytes(bytes, 0, bytes.length);
            if (read < bytes.length) {
                throw new InvalidInput("body", "length",
                        "the body ended after " + read + " of the " + declared + " bytes its Content-Length announced");
            }
            return bytes;
        }
        if (gzip) {
            try {
                in = new GZIPInputStream(in);
            } catch (ZipException e) {
                throw new InvalidInput("body", "gzip", "Content-Encoding is gzip but the body is not gzip data");
            }
        }
        try {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw tooLarge(limit, what);
            }
            if (bytes.length == 0) {
                throw new InvalidInput("body", "required", "the body is empty");
            }
            return bytes;
        } catch (ZipException | java.io.EOFException e) {
            throw new InvalidInput("body", "gzip", "the gzip body is corrupt or truncated");
        }
    }

    /**
     * The write key of a Segment call: the HTTP Basic user name, else {@code writeKey} in the body;
     * null when there is neither.
     *
     * @throws IllegalArgumentException when the Authorization header is not valid Basic credentials
     */
    static @Nullable String writeKey(@Nullable String authorization, JsonNode body) {
        String key = headerWriteKey(authorization);
        return key != null ? key : bodyWriteKey(body);
    }

    /**
     * The HTTP Basic user name, which wins over a key in the body; null when there is none (no
     * Basic header, or an empty user name).
     *
     * @throws IllegalArgumentException when the Authorization header is not valid Basic credentials
     */
    static @Nullable String headerWriteKey(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String key = colon >= 0 ? decoded.substring(0, colon) : decoded;
        return key.isEmpty() ? null : key;
    }

    /** {@code writeKey} in the body, used when there is no Basic user name; null when absent or empty. */
    static @Nullable String bodyWriteKey(JsonNode body) {
        if (body.isObject() && body.path("writeKey").isString()) {
            String key = body.path("writeKey").stringValue();
            return key.isEmpty() ? null : key;
        }
        return null;
    }

    private static PayloadTooLarge tooLarge(int limit, String what) {
        return new PayloadTooLarge("body", limit, "a " + what + " is at most " + (limit / 1024) + " KB (after decompression)");
    }

}
