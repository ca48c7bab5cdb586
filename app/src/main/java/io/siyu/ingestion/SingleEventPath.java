package io.siyu.ingestion;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.siyu.platform.Forbidden;
import io.siyu.platform.RateLimited;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.platform.TenantId;
import io.siyu.platform.WriteKeyGate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lean path for one Segment message per request ({@code /v1/track}, {@code /v1/identify}, …
 * and analytics.js's one-letter paths): a servlet filter in front of everything else that serves
 * the common, valid request itself — write-key gate, body, JSON, {@link Intake}, the durable
 * acknowledgement, CORS — without the observation filter, the dispatcher servlet, handler mapping,
 * argument resolution and message converters, which cost more CPU per request than the event.
 *
 * <p>Everything unusual goes on to {@link TrackingController} unchanged, with the body replayed
 * when it has been read: no or a too large {@code Content-Length}, any {@code Content-Encoding}
 * (gzip), a body that is not a JSON object, a missing or unknown write key, a message that breaks
 * its schema (the controller quarantines it and answers 400), a malformed {@code Origin}, and
 * anything but {@code POST}. Nothing has a side effect before that decision except the write-key
 * check of the key actually used — the Basic user name before the body is read, else the body's
 * {@code writeKey} — which charges a request once ({@link WriteKeyAdmission}), so the answers are
 * the controller's.
 * The 200 is sent only after {@link Intake} reports the event durable, as on the controller.
 */
final class SingleEventPath extends HttpFilter {

    private static final Logger log = LoggerFactory.getLogger(SingleEventPath.class);

    /** The paths served, exactly those the controller maps for one message. */
    static final List<String> PATHS = List.of("/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group",
            "/v1/alias", "/v1/track/", "/v1/identify/", "/v1/page/", "/v1/screen/", "/v1/group/", "/v1/alias/",
            "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g", "/v1/a");

    private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.US_ASCII);

    private final Intake intake;
    private final WriteKeyGate gate;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    SingleEventPath(Intake intake, WriteKeyGate gate, JsonMapper json, MeterRegistry meters) {
        this.intake = intake;
        this.gate = gate;
        this.json = json;
        this.meters = meters;
    }

    /** On unless {@code siyu.ingestion.lean-single=false}, which sends every request through the controller (to compare). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "siyu.ingestion.lean-single", havingValue = "true", matchIfMissing = true)
    static class Registration {

        @Bean
        FilterRegistrationBean<SingleEventPath> singleEventPath(Intake intake, WriteKeyGate gate, JsonMapper json,
                MeterRegistry meters) {
            var registration = new FilterRegistrationBean<>(new SingleEventPath(intake, gate, json, meters));
            registration.setUrlPatterns(PATHS);
            registration.setName("singleEventPath");
            // First of all filters: what it serves skips the rest of the chain on purpose.
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        if (serve(request, response, chain)) {
            // what went on to the controller is timed by the observation filter as http.server.requests
            answered(request.getServletPath(), response.getStatus()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** @return whether this path answered (false: the rest of the chain did) */
    private boolean serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return false;
        }
        // A key sent as the Basic user name is checked before the body is read; one in the body after.
        TenantId tenant = null;
        try {
            String headerKey = RequestBodies.headerWriteKey(request.getHeader("Authorization"));
            if (headerKey != null) {
                tenant = WriteKeyAdmission.admit(gate, request, headerKey).orElse(null);
                if (tenant == null) {
                    chain.doFilter(request, response); // unknown key: the controller answers 401
                    return false;
                }
            }
        } catch (IllegalArgumentException e) {
            chain.doFilter(request, response); // not Basic credentials: the controller answers 401
            return false;
        } catch (Forbidden e) {
            problem(request, response, 403, "forbidden", "Forbidden", e.getMessage(), 0);
            return true;
        } catch (RateLimited e) {
            problem(request, response, 429, "too-many-requests", "Too many requests", e.getMessage(), e.retryAfterSeconds());
            return true;
        }
        long declared = request.getContentLengthLong();
        if (declared <= 0 || declared > TrackingController.MAX_MESSAGE_BYTES || request.getHeader("Content-Encoding") != null) {
            chain.doFilter(request, response); // unread: the controller reads, inflates or refuses it
            return false;
        }
        byte[] body = new byte[(int) declared];
        int read;
        try {
            read = request.getInputStream().readNBytes(body, 0, body.length);
        } catch (IOException e) {
            chain.doFilter(request, response); // the client went away mid-body: the controller meets the same stream
            return false;
        }
        if (read < body.length || !sameOriginOrValid(request)) {
            chain.doFilter(new Replayed(request, body, read), response);
            return false;
        }
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (JacksonException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            chain.doFilter(new Replayed(request, body, read), response);
            return false;
        }
        if (tenant == null) {
            String bodyKey = RequestBodies.bodyWriteKey(message);
            try {
                tenant = bodyKey == null ? null : WriteKeyAdmission.admit(gate, request, bodyKey).orElse(null);
            } catch (Forbidden e) {
                problem(request, response, 403, "forbidden", "Forbidden", e.getMessage(), 0);
                return true;
            } catch (RateLimited e) {
                problem(request, response, 429, "too-many-requests", "Too many requests", e.getMessage(),
                        e.retryAfterSeconds());
                return true;
            }
            if (tenant == null) {
                chain.doFilter(new Replayed(request, body, read), response); // the controller answers 401
                return false;
            }
        }
        String type = TrackingController.typeOf(request.getRequestURI().substring(request.getContextPath().length()));
        Intake.Result result;
        try {
            // The raw text is only kept when a message is quarantined, and that is the controller's job.
            result = intake.acceptIfValid(tenant, new Intake.Message(message, type, "", ""), "http");
        } catch (ServiceUnavailable e) {
            problem(request, response, 503, "unavailable", "Service unavailable", e.getMessage(), e.retryAfterSeconds());
            return true;
        } catch (RuntimeException e) {
            log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
            problem(request, response, 500, "internal", "Internal error",
                    "the server failed; nothing from this request was acknowledged", 0);
            return true;
        }
        if (result == null) {
            chain.doFilter(new Replayed(request, body, read), response); // the controller quarantines and explains
            return false;
        }
        cors(request, response);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(SUCCESS.length);
        response.getOutputStream().write(SUCCESS);
        return true;
    }

    private Timer answered(String path, int status) {
        // the tag is one of PATHS whatever the client sent (path parameters, encodings): bounded
        String uri = PATHS.contains(path) ? path : "other";
        String key = uri + ' ' + status;
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("siyu.ingest.requests")
                    .description("Single-message tracking requests answered on the lean path, from arrival to the answer")
                    .tag("uri", uri).tag("status", Integer.toString(status)).publishPercentileHistogram().register(meters));
        }
        return timer;
    }

    /** False for an {@code Origin} Spring's CORS processing would reject as malformed; the controller answers those. */
    private static boolean sameOriginOrValid(HttpServletRequest request) {
        if (request.getHeader("Origin") == null) {
            return true;
        }
        try {
            CorsUtils.isCorsRequest(request);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * What Spring MVC's CORS processing adds for {@code /v1/**} ({@link BrowserAccess}: every origin,
     * POST, no credentials): the {@code Vary} headers on every answer and, on a cross-origin request,
     * {@code Access-Control-Allow-Origin} naming the origin.
     */
    private static void cors(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader("Vary", "Origin");
        response.addHeader("Vary", "Access-Control-Request-Method");
        response.addHeader("Vary", "Access-Control-Request-Headers");
        if (CorsUtils.isCorsRequest(request)) {
            response.setHeader("Access-Control-Allow-Origin", request.getHeader("Origin"));
        }
    }

    /** An RFC 9457 problem shaped as {@code Problems} shapes it. */
    private void problem(HttpServletRequest request, HttpServletResponse response, int status, String type, String title,
            String detail, long retryAfterSeconds) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://siyu.io/problems/" + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        byte[] bytes = json.writeValueAsBytes(problem);
        cors(request, response);
        response.setStatus(status);
        if (retryAfterSeconds > 0) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        response.setContentType("application/problem+json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The request with the part of its body already read given back, for the controller. */
    static final class Replayed extends HttpServletRequestWrapper {
        private final ServletInputStream in;

        Replayed(HttpServletRequest request, byte[] body, int length) {
            super(request);
            ByteArrayInputStream bytes = new ByteArrayInputStream(body, 0, length);
            this.in = new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the replayed body is read synchronously");
                }

                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    int n = bytes.read(b, off, len);
                    return n;
                }
            };
        }

        @Override
        public ServletInputStream getInputStream() {
            return in;
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }
}
