package io.siyu.ingestion.imports;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.PayloadTooLarge;
import io.siyu.platform.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk import over HTTP: {@code POST /api/v1/import/events} and {@code /profiles} with a CSV
 * ({@code text/csv}) or JSON Lines ({@code application/x-ndjson}) body, optionally
 * {@code Content-Encoding: gzip}. The body is streamed, never buffered, and answered with a
 * per-line report once every row is imported or quarantined.
 */
@RestController
@RequestMapping("/api/v1/import")
class ImportController {

    private final Importer importer;
    private final long maxBytes;

    ImportController(Importer importer, @Value("${siyu.import.max-size:2GB}") DataSize maxSize) {
        this.importer = importer;
        this.maxBytes = maxSize.toBytes();
    }

    @PostMapping("/events")
    ImportReport events(TenantId tenant, HttpServletRequest request) throws IOException {
        return run(tenant, Kind.EVENTS, request);
    }

    @PostMapping("/profiles")
    ImportReport profiles(TenantId tenant, HttpServletRequest request) throws IOException {
        return run(tenant, Kind.PROFILES, request);
    }

    private ImportReport run(TenantId tenant, Kind kind, HttpServletRequest request) throws IOException {
        Format format = format(request.getContentType());
        try (InputStream body = body(request)) {
            return importer.run(tenant, kind, format, body);
        }
    }

    private static Format format(@Nullable String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new UnsupportedFormat("Content-Type", "required",
                    "send Content-Type text/csv or application/x-ndjson (JSON Lines)");
        }
        MediaType media;
        try {
            media = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            throw new UnsupportedFormat("Content-Type", "format", "Content-Type is not a media type: " + e.getMessage());
        }
        Charset charset = media.getCharset();
        if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
            throw new UnsupportedFormat("Content-Type", "charset", "import files must be UTF-8, not " + charset.name());
        }
        return Format.ofMediaType(media.getType(), media.getSubtype()).orElseThrow(() -> new UnsupportedFormat(
                "Content-Type", "enum", "Content-Type must be text/csv or application/x-ndjson (also application/jsonl); was "
                        + media.getType() + "/" + media.getSubtype()));
    }

    /** The body as it was sent, inflated if gzip, failing once it passes the size limit. */
    private InputStream body(HttpServletRequest request) throws IOException {
        String encoding = request.getHeader("Content-Encoding");
        String coding = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
        boolean gzip = coding.equals("gzip") || coding.equals("x-gzip");
        if (!gzip && !coding.equals("identity")) {
            throw new UnsupportedFormat("Content-Encoding", "enum", "Content-Encoding must be gzip or left out; was " + encoding);
        }
        if (!gzip && request.getContentLengthLong() > maxBytes) {
            throw tooLarge();
        }
        InputStream in = request.getInputStream();
        if (gzip) {
            try {
                in = new GZIPInputStream(in, 64 * 1024);
            } catch (EOFException e) {
                throw empty();
            } catch (ZipException e) {
                throw new InvalidInput("body", "gzip", "Content-Encoding is gzip but the body is not gzip data");
            }
        }
        var body = new PushbackInputStream(new CappedInputStream(in, maxBytes, tooLarge().getMessage()), 1);
        int first;
        try {
            first = body.read();
        } catch (ZipException | EOFException e) {
            throw new InvalidInput("body", "gzip", "the gzip body is corrupt or truncated; no rows were imported");
        }
        if (first == -1) {
            throw empty();
        }
        body.unread(first);
        return body;
    }

    private PayloadTooLarge tooLarge() {
        return new PayloadTooLarge("body", maxBytes, "an import body is at most " + DataSize.ofBytes(maxBytes).toMegabytes()
                + " MB after decompression; split the file");
    }

    private static InvalidInput empty() {
        return new InvalidInput("body", "required", "the body is empty; send the file's content");
    }

    /** 415 with the header and the rule, as the platform's problems do for 400. */
    @ExceptionHandler(UnsupportedFormat.class)
    ResponseEntity<ProblemDetail> unsupported(UnsupportedFormat e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
        problem.setType(URI.create("https://siyu.io/problems/unsupported-media-type"));
        problem.setTitle("Unsupported media type");
        problem.setInstance(URI.create(request.getRequestURI()));
        problem.setProperty("errors", List.of(e.violation));
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** A body this endpoint cannot read at all: wrong media type, charset or content coding. */
    static final class UnsupportedFormat extends RuntimeException {
        final Violation violation;

        UnsupportedFormat(String field, String rule, String message) {
            super(message);
            this.violation = new Violation(field, rule, message);
        }
    }
}
