package io.siyu.ingestion;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.TenantId;
import io.siyu.platform.Unauthorized;
import io.siyu.platform.WriteKeyGate;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segment's HTTP Tracking API, so that Segment's own libraries (analytics-java, analytics.js, the
 * mobile SDKs) send to Siyu unchanged. Authentication is HTTP Basic with the write key as user
 * name, or {@code writeKey} in the body. Limits are Segment's: 32 KB per message, 500 KB per batch.
 */
@RestController
class TrackingController {

    static final int MAX_MESSAGE_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;

    private final Intake intake;
    private final WriteKeyGate gate;
    private final JsonMapper json;
    private final ObjectReader elementReader;

    TrackingController(Intake intake, WriteKeyGate gate, JsonMapper json) {
        this.intake = intake;
        this.gate = gate;
        this.json = json;
        this.elementReader = json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * One message. analytics.js (analytics-next) posts to the one-letter paths ({@code /v1/t},
     * {@code /v1/i}, ...) with {@code Content-Type: text/plain} to avoid a CORS preflight; both work.
     * The paths are literal rather than one {@code /v1/{type}} pattern: Spring finds a literal path
     * by a map lookup, a pattern only by trying every pattern of the application in turn.
     */
    @PostMapping({"/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group", "/v1/alias",
            "/v1/track/", "/v1/identify/", "/v1/page/", "/v1/screen/", "/v1/group/", "/v1/alias/",
            "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g", "/v1/a"})
    ResponseEntity<byte[]> single(HttpServletRequest request) throws IOException {
        String type = typeOf(request.getRequestURI().substring(request.getContextPath().length()));
        admitHeaderKey(request);
        byte[] body = RequestBodies.read(request, MAX_MESSAGE_BYTES, "message");
        JsonNode message = parse(body);
        if (!message.isObject()) {
            throw new InvalidInput("body", "type", "the body must be a JSON object");
        }
        TenantId tenant = authenticate(request, message);
        Intake.Result result = intake.accept(tenant,
                List.of(new Intake.Message(message, type, "", new String(body, StandardCharsets.UTF_8))), "http", null);
        if (!result.quarantined().isEmpty()) {
            Intake.Quarantined q = result.quarantined().getFirst();
            throw new QuarantinedInput(q.errors(), q.quarantineId());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(SUCCESS.clone());
    }

    /** {@code {"success":true}}, the answer to every accepted single message, serialised once. */
    private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.US_ASCII);

    /** The call a single-message path names: {@code /v1/track/} and {@code /v1/t} are both {@code track}. */
    static String typeOf(String path) {
        String call = path.substring("/v1/".length());
        if (call.endsWith("/")) {
            call = call.substring(0, call.length() - 1);
        }
        return switch (call) {
            case "t" -> "track";
            case "i" -> "identify";
            case "p" -> "page";
            case "s" -> "screen";
            case "g" -> "group";
            case "a" -> "alias";
            default -> call;
        };
    }

    @PostMapping({"/v1/batch", "/v1/batch/", "/v1/b", "/v1/import", "/v1/import/"})
    ResponseEntity<?> batch(HttpServletRequest request) throws IOException {
        admitHeaderKey(request);
        byte[] body = RequestBodies.read(request, MAX_BATCH_BYTES, "batch");
        List<Intake.Message> messages = new ArrayList<>();
        List<Intake.Quarantined> oversized = new ArrayList<>();
        JsonNode root;
        try (JsonParser parser = json.createParser(body)) {
            root = parseBatch(parser, body, messages);
        } catch (JacksonException e) {
            throw new InvalidInput("body", "json", "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        TenantId tenant = authenticate(request, root);
        List<Intake.Message> withinLimit = new ArrayList<>(messages.size());
        for (Intake.Message message : messages) {
            if (utf8LengthOver(message.rawJson(), MAX_MESSAGE_BYTES)) {
                oversized.add(intake.quarantineUnparsable(tenant, "http", message.path(), message.rawJson(),
                        new Violation(message.path(), "max-size", "a message is at most 32 KB")));
            } else {
                withinLimit.add(message);
            }
        }
        JsonNode batchContext = root.get("context");
        if (batchContext != null && batchContext.isObject()) {
            for (Intake.Message message : withinLimit) {
                if (message.body().isObject() && !message.body().has("context")) {
                    ((tools.jackson.databind.node.ObjectNode) message.body()).set("context", batchContext);
                }
            }
        }
        Intake.Result result = intake.accept(tenant, withinLimit, "http", sentAt(root));
        List<Intake.Quarantined> quarantined = new ArrayList<>(oversized);
        quarantined.addAll(result.quarantined());
        if (quarantined.isEmpty()) { // the common answer, written without the JSON serialiser
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(
                    ("{\"success\":true,\"accepted\":" + result.accepted() + ",\"quarantined\":[]}").getBytes(StandardCharsets.US_ASCII));
        }
        return ResponseEntity.ok(Map.of("success", true, "accepted", result.accepted(), "quarantined", quarantined));
    }

    /** Reads {@code {"batch": [...], ...}} keeping each element's raw text for size checks and quarantine. */
    private JsonNode parseBatch(JsonParser parser, byte[] body, List<Intake.Message> messages) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidInput("body", "type", "a batch body must be a JSON object with a 'batch' array");
        }
        var root = json.createObjectNode();
        boolean sawBatch = false;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (field.equals("batch")) {
                if (token != JsonToken.START_ARRAY) {
                    throw new InvalidInput("batch", "type", "'batch' must be an array of messages");
                }
                sawBatch = true;
                int index = 0;
                while (true) {
                    long start = parser.currentTokenLocation().getByteOffset();
                    if (parser.nextToken() == JsonToken.END_ARRAY) {
                        break;
                    }
                    start = parser.currentTokenLocation().getByteOffset();
                    JsonNode element = elementReader.readValue(parser);
                    long end = parser.currentLocation().getByteOffset();
                    String raw = new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8);
                    messages.add(new Intake.Message(element, null, "batch[" + index + "]", raw));
                    index++;
                }
            } else {
                root.set(field, (JsonNode) elementReader.readValue(parser));
            }
        }
        if (!sawBatch) {
            throw new InvalidInput("batch", "required", "a batch body needs a 'batch' array");
        }
        if (messages.isEmpty()) {
            throw new InvalidInput("batch", "min-items", "'batch' must hold at least one message");
        }
        return root;
    }

    /**
     * A write key sent as the Basic user name is checked (scope, rate, known at all) before the
     * body is read; a malformed header, or none, is left to {@link #authenticate} after it.
     */
    private void admitHeaderKey(HttpServletRequest request) {
        String key;
        try {
            key = RequestBodies.headerWriteKey(request.getHeader("Authorization"));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (key != null && WriteKeyAdmission.admit(gate, request, key).isEmpty()) {
            throw new Unauthorized("Basic", "the write key is not valid");
        }
    }

    /** The tenant of the key the call resolves to (Basic user name, else the body's), scope and rate checked. */
    private TenantId authenticate(HttpServletRequest request, JsonNode body) {
        String key;
        try {
            key = RequestBodies.writeKey(request.getHeader("Authorization"), body);
        } catch (IllegalArgumentException e) {
            throw new Unauthorized("Basic", "the Authorization header is not valid Basic credentials");
        }
        if (key == null) {
            throw new Unauthorized("Basic", "send the write key as the Basic user name, or as 'writeKey' in the body");
        }
        return WriteKeyAdmission.admit(gate, request, key)
                .orElseThrow(() -> new Unauthorized("Basic", "the write key is not valid"));
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInput("body", "json", "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static @Nullable Instant sentAt(JsonNode root) {
        JsonNode sentAt = root.get("sentAt");
        if (sentAt == null || !sentAt.isString()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(sentAt.stringValue()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInput("sentAt", "format", "sentAt must be an ISO-8601 date-time");
        }
    }

    /**
     * Whether a string's UTF-8 form is longer than {@code limit} bytes. A UTF-16 char never takes
     * more than 3 UTF-8 bytes, so short strings are answered without encoding them: re-encoding
     * every message of every batch just to measure it was a visible share of batch CPU.
     */
    static boolean utf8LengthOver(String s, int limit) {
        return s.length() * 3L > limit && s.getBytes(StandardCharsets.UTF_8).length > limit;
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "unreadable";
        }
        int newline = s.indexOf('\n');
        return newline > 0 ? s.substring(0, newline) : s;
    }

    /** A single message that was quarantined: 400 with the reasons and where it is kept. */
    static final class QuarantinedInput extends InvalidInput {
        final long quarantineId;

        QuarantinedInput(List<Violation> violations, long quarantineId) {
            super(violations);
            this.quarantineId = quarantineId;
        }
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(QuarantinedInput.class)
    ResponseEntity<org.springframework.http.ProblemDetail> quarantined(QuarantinedInput e, HttpServletRequest request) {
        var problem = org.springframework.http.ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(java.net.URI.create("https://siyu.io/problems/invalid-event"));
        problem.setTitle("Invalid event (quarantined)");
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        problem.setProperty("errors", e.violations());
        problem.setProperty("quarantineId", e.quarantineId);
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
