package io.siyu.privacy;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./siyu privacy verify-audit | rotate-keys} against a running server, through the
 * management API (so the master key never leaves the server). Exit status 0 when the audit chain
 * is intact or the rotation succeeded, 1 when the chain is broken or the call failed, 2 on usage
 * errors.
 */
public final class PrivacyCommand {

    private static final String USAGE = """
            usage: ./siyu privacy verify-audit [--url <url>] [--token <token>] [--tenant <id|slug>]
                   ./siyu privacy rotate-keys  [--url <url>] [--token <token>] --tenant <id|slug>
              verify-audit   walks the whole hash-chained audit log and lists altered, removed,
                             reordered or truncated entries (POST /api/v1/audit/verify)
              rotate-keys    moves the tenant to a new key-encryption key and re-wraps every data
                             key of its personal fields (POST /api/v1/privacy/keys/rotate)
              --url          the Siyu server (default http://localhost:8080)
              --token        a bearer token of an admin or auditor (default: $SIYU_TOKEN, then $SIYU_ADMIN_TOKEN)
              --tenant       the tenant, when the token is the administrator's
            """;

    private PrivacyCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length == 0 || !(args[0].equals("verify-audit") || args[0].equals("rotate-keys"))) {
            out.print(USAGE);
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                out.print(USAGE);
                return 2;
            }
            options.put(args[i], args[++i]);
        }
        String token = options.getOrDefault("--token",
                System.getenv("SIYU_TOKEN") != null ? System.getenv("SIYU_TOKEN") : System.getenv("SIYU_ADMIN_TOKEN"));
        if (token == null || token.isBlank()) {
            out.println("privacy: give a token with --token or $SIYU_TOKEN");
            return 2;
        }
        String path = args[0].equals("verify-audit") ? "/api/v1/audit/verify" : "/api/v1/privacy/keys/rotate";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.getOrDefault("--url", "http://localhost:8080") + path))
                .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (options.containsKey("--tenant")) {
            request.header("X-Siyu-Tenant", options.get("--tenant"));
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            out.println(response.body());
            if (response.statusCode() != 200) {
                return 1;
            }
            return args[0].equals("verify-audit") && !response.body().contains("\"intact\":true") ? 1 : 0;
        } catch (Exception e) {
            out.println("privacy: " + e.getMessage());
            return 1;
        }
    }
}
