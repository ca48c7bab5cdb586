package io.siyu.ingestion.imports;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./siyu import}: sends a CSV or JSON Lines file to a running Siyu's import API and prints
 * the report. Plain Java without a Spring context, so it starts in a moment from the same jar.
 * The file is streamed from disk, never loaded, so its size does not matter here either.
 */
public final class ImportCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final int ERRORS_SHOWN = 20;
    private static final Set<String> FLAGS = Set.of("--gzip", "--help", "-h");
    private static final Set<String> OPTIONS = Set.of("--url", "--token", "--tenant", "--kind", "--file", "--format");

    static final String USAGE_TEXT = """
            Usage: ./siyu import --kind events|profiles --file <path> [options]

            Streams a CSV (.csv) or JSON Lines (.jsonl, .ndjson) file, optionally gzipped (.gz), to
            POST <url>/api/v1/import/<kind> and prints how many rows were accepted and which lines were
            quarantined, and why. Rows without a messageId are applied once however often the file is sent.

              --kind events|profiles   one event per row, or one person (identify call) per row
              --file <path>            the file; .gz files are sent compressed as they are
              --url <url>              the Siyu server (default http://localhost:8080)
              --token <token>          a management bearer token (default: $SIYU_TOKEN)
              --tenant <id|slug>       the tenant, when the token is the administrator's
              --format csv|jsonl       when the file name does not tell
              --gzip                   compress on the fly (for a remote server)
              --help                   this text

            Exit status: 0 the file was imported (quarantined rows included), 1 the request failed,
            2 the command line is wrong.
            """;

    private ImportCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the command, writing everything for the user to {@code out}; returns the exit status. */
    static int run(String[] args, PrintStream out) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (FLAGS.contains(arg)) {
                options.put(arg, "true");
            } else if (OPTIONS.contains(name) && arg.contains("=")) {
                options.put(name, arg.substring(arg.indexOf('=') + 1));
            } else if (OPTIONS.contains(name) && i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                return usage(out, OPTIONS.contains(name) ? name + " needs a value" : "unknown argument '" + arg + "'");
            }
        }
        if (options.containsKey("--help") || options.containsKey("-h")) {
            out.print(USAGE_TEXT);
            return OK;
        }
        String kind = options.get("--kind");
        if (kind == null || !kind.equals("events") && !kind.equals("profiles")) {
            return usage(out, "--kind must be events or profiles");
        }
        String fileName = options.get("--file");
        if (fileName == null) {
            return usage(out, "--file is required");
        }
        Path file = Path.of(fileName);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            out.println("siyu import: cannot read " + file);
            return FAILED;
        }
        String token = options.getOrDefault("--token", System.getenv("SIYU_TOKEN"));
        if (token == null || token.isBlank()) {
            return usage(out, "--token (or $SIYU_TOKEN) is required");
        }
        boolean gzipped = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        String format = options.getOrDefault("--format", formatOf(file, gzipped));
        String contentType = switch (format == null ? "" : format) {
            case "csv" -> "text/csv; charset=utf-8";
            case "jsonl", "ndjson" -> "application/x-ndjson";
            default -> null;
        };
        if (contentType == null) {
            return usage(out, "--format must be csv or jsonl (the file name does not tell)");
        }
        URI endpoint;
        try {
            endpoint = URI.create(options.getOrDefault("--url", "http://localhost:8080").replaceAll("/+$", "")
                    + "/api/v1/import/" + kind);
        } catch (IllegalArgumentException e) {
            return usage(out, "--url is not a URL: " + e.getMessage());
        }

        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .header("Accept", "application/json");
        if (options.containsKey("--tenant")) {
            request.header("X-Siyu-Tenant", options.get("--tenant"));
        }
        try {
            if (gzipped) {
                request.header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofFile(file));
            } else if (options.containsKey("--gzip")) {
                request.header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return GzipOnTheFly.of(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            } else {
                request.POST(HttpRequest.BodyPublishers.ofFile(file));
            }
        } catch (IOException e) {
            out.println("siyu import: cannot read " + file + ": " + e.getMessage());
            return FAILED;
        }

        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            out.println("siyu import: cannot connect to " + endpoint + " (is the server running?)");
            return FAILED;
        } catch (IOException | UncheckedIOException e) {
            out.println("siyu import: the request to " + endpoint + " failed: " + e);
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("siyu import: interrupted; rows already acknowledged stay imported, re-run to complete");
            return FAILED;
        }
        return report(response, kind, file, out);
    }

    private static int report(HttpResponse<String> response, String kind, Path file, PrintStream out) {
        JsonNode body;
        try {
            body = new JsonMapper().readTree(response.body());
        } catch (JacksonException e) {
            out.println("siyu import: HTTP " + response.statusCode() + " with a body that is not JSON: " + abbreviate(response.body()));
            return FAILED;
        }
        if (response.statusCode() != 200) {
            out.println("siyu import: failed with HTTP " + response.statusCode() + " " + body.path("title").asString("")
                    + ": " + body.path("detail").asString(""));
            for (JsonNode error : body.path("errors")) {
                out.println("  " + error.path("field").asString("") + " [" + error.path("rule").asString("") + "] "
                        + error.path("message").asString(""));
            }
            return FAILED;
        }
        out.printf("%s from %s: rows %d, accepted %d, quarantined %d (last seq %d)%n", kind, file.getFileName(),
                body.path("rows").asLong(), body.path("accepted").asLong(), body.path("quarantined").asLong(),
                body.path("lastSeq").asLong());
        JsonNode errors = body.path("errors");
        int shown = 0;
        for (JsonNode error : errors) {
            if (shown++ == ERRORS_SHOWN) {
                break;
            }
            out.printf("  line %d  %s [%s] %s%n", error.path("line").asLong(), error.path("field").asString(""),
                    error.path("rule").asString(""), error.path("message").asString(""));
        }
        if (errors.size() > ERRORS_SHOWN || body.path("quarantined").asLong() > errors.size()) {
            out.printf("  ... showing %d of %d errors; every quarantined row is kept with its reasons in the quarantine%n",
                    Math.min(ERRORS_SHOWN, errors.size()), errors.size());
        }
        return OK;
    }

    private static @Nullable String formatOf(Path file, boolean gzipped) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (gzipped) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return "csv";
        }
        return name.endsWith(".jsonl") || name.endsWith(".ndjson") ? "jsonl" : null;
    }

    private static int usage(PrintStream out, String problem) {
        out.println("siyu import: " + problem);
        out.print(USAGE_TEXT);
        return USAGE;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
