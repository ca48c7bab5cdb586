package io.siyu.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Write keys (ingestion) and API tokens (management). Only SHA-256 hashes are stored; the plain
 * secret is returned once, when issued. An API token carries a {@link Role} (tokens from before
 * roles act as {@link Role#ADMIN} of their tenant); a write key carries the Segment calls it may
 * make (its scopes) and its request rate. The administrator's bootstrap token comes from
 * {@code SIYU_ADMIN_TOKEN}, or is generated once and kept in {@code <data>/admin-token}.
 */
@Component
public class Credentials {

    private static final Logger log = LoggerFactory.getLogger(Credentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    /** A key or token as listed: never the secret itself. */
    public record KeyInfo(int id, String prefix, String name, Instant createdAt, @Nullable Instant revokedAt) {}

    /** A freshly issued secret; {@code secret} is shown once. */
    public record Issued(int id, String prefix, String name, String secret) {}

    /**
     * What a write key may do.
     *
     * @param scopes the Segment calls allowed: {@code track identify page screen group alias batch}
     * @param ratePerSecond requests a second the key may make (sustained; bursts of twice that)
     */
    public record WriteKeyPolicy(int id, TenantId tenant, Set<String> scopes, int ratePerSecond) {
        public WriteKeyPolicy {
            scopes = Set.copyOf(scopes);
        }
    }

    /** Every scope a write key can hold. */
    public static final Set<String> WRITE_SCOPES = Set.of("track", "identify", "page", "screen", "group", "alias", "batch");

    private final JdbcClient jdbc;
    private final byte[] adminTokenHash;
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private final ConcurrentHashMap<String, WriteKeyPolicy> writeKeyCache = new ConcurrentHashMap<>();

    Credentials(JdbcClient jdbc, SiyuProperties properties) {
        this.jdbc = jdbc;
        this.adminTokenHash = sha256Bytes(adminToken(properties));
    }

    private static String adminToken(SiyuProperties properties) {
        if (properties.adminToken() != null && !properties.adminToken().isBlank()) {
            return properties.adminToken();
        }
        Path file = properties.dataDir().resolve("admin-token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            String token = "sy_admin_" + random(32);
            Files.writeString(file, token);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's permissions protect it
            }
            log.info("Generated the administrator token in {}", file.toAbsolutePath());
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token file " + file, e);
        }
    }

    /** The tenant a write key belongs to, if it is valid and not revoked. */
    public Optional<TenantId> tenantOfWriteKey(String key) {
        return writeKeyPolicy(key).map(WriteKeyPolicy::tenant);
    }

    /** The scopes and rate of a write key, if it is valid and not revoked. */
    public Optional<WriteKeyPolicy> writeKeyPolicy(String key) {
        if (key.isEmpty() || key.length() > 200) {
            return Optional.empty();
        }
        String hash = sha256(key);
        WriteKeyPolicy cached = writeKeyCache.get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<WriteKeyPolicy> policy = jdbc.sql(
                        "SELECT id, tenant_id, scopes, rate_per_second FROM write_keys WHERE key_hash = ? AND revoked_at IS NULL")
                .param(hash)
                .query((rs, row) -> new WriteKeyPolicy(rs.getInt(1), new TenantId(rs.getInt(2)),
                        Set.of((String[]) rs.getArray(3).getArray()), rs.getInt(4)))
                .optional();
        policy.ifPresent(p -> writeKeyCache.put(hash, p));
        return policy;
    }

    /**
     * Sets what a write key may do.
     *
     * @throws InvalidInput when a scope is unknown or the rate is not 1–1,000,000
     * @throws NotFound when the key is not the tenant's or is revoked
     */
    public WriteKeyPolicy limitWriteKey(TenantId tenant, int id, Set<String> scopes, int ratePerSecond) {
        for (String scope : scopes) {
            if (!WRITE_SCOPES.contains(scope)) {
                throw new InvalidInput("scopes", "enum", "unknown scope '" + scope + "'; scopes are " + WRITE_SCOPES);
            }
        }
        if (ratePerSecond < 1 || ratePerSecond > 1_000_000) {
            throw new InvalidInput("ratePerSecond", "range", "ratePerSecond must be 1–1,000,000");
        }
        int n = jdbc.sql("UPDATE write_keys SET scopes = ?::text[], rate_per_second = ? WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL")
                .params("{" + String.join(",", scopes) + "}", ratePerSecond, id, tenant.value()).update();
        if (n == 0) {
            throw new NotFound("write key " + id + " does not exist or is revoked");
        }
        writeKeyCache.clear();
        return new WriteKeyPolicy(id, tenant, scopes, ratePerSecond);
    }

    /** The caller a bearer token stands for, if valid. */
    public Optional<Caller> callerOfToken(String token) {
        if (token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        if (MessageDigest.isEqual(adminTokenHash, sha256Bytes(token))) {
            return Optional.of(new Caller.Admin());
        }
        return jdbc.sql("SELECT tenant_id, name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL")
                .param(sha256(token))
                .query((rs, row) -> (Caller) new Caller.TenantToken(new TenantId(rs.getInt(1)), "token:" + rs.getString(2),
                        Role.parse(rs.getString(3)).orElseThrow()))
                .optional();
    }

    public Issued issueWriteKey(TenantId tenant, String name) {
        return issueWriteKey(tenant, name, "wk_" + random(32));
    }

    /** Registers a caller-chosen write key (the demo's {@code SIYU_DEMO_WRITE_KEY}); idempotent. */
    public Issued issueWriteKey(TenantId tenant, String name, String key) {
        requireName(name);
        String hash = sha256(key);
        Optional<Integer> existing = jdbc.sql("SELECT id FROM write_keys WHERE key_hash = ? AND tenant_id = ?")
                .params(hash, tenant.value()).query(Integer.class).optional();
        int id = existing.orElseGet(() -> jdbc.sql(
                        "INSERT INTO write_keys (tenant_id, key_hash, key_prefix, name) VALUES (?, ?, ?, ?) RETURNING id")
                .params(tenant.value(), hash, prefix(key), name).query(Integer.class).single());
        return new Issued(id, prefix(key), name, key);
    }

    public Issued issueApiToken(TenantId tenant, String name) {
        return issueApiToken(tenant, name, Role.ADMIN);
    }

    /** Issues a tenant API token that acts with {@code role}. */
    public Issued issueApiToken(TenantId tenant, String name, Role role) {
        requireName(name);
        String token = "sy_" + random(40);
        int id = jdbc.sql("INSERT INTO api_tokens (tenant_id, token_hash, token_prefix, name, role) VALUES (?, ?, ?, ?, ?) RETURNING id")
                .params(tenant.value(), sha256(token), prefix(token), name, role.key()).query(Integer.class).single();
        return new Issued(id, prefix(token), name, token);
    }

    public List<KeyInfo> writeKeys(TenantId tenant) {
        return list("write_keys", "key_prefix", tenant);
    }

    public List<KeyInfo> apiTokens(TenantId tenant) {
        return list("api_tokens", "token_prefix", tenant);
    }

    /** @throws NotFound when the key is not the tenant's */
    public void revokeWriteKey(TenantId tenant, int id) {
        int n = jdbc.sql("UPDATE write_keys SET revoked_at = now() WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL")
                .params(id, tenant.value()).update();
        if (n == 0) {
            throw new NotFound("write key " + id + " does not exist or is already revoked");
        }
        writeKeyCache.clear();
    }

    /** @throws NotFound when the token is not the tenant's */
    public void revokeApiToken(TenantId tenant, int id) {
        int n = jdbc.sql("UPDATE api_tokens SET revoked_at = now() WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL")
                .params(id, tenant.value()).update();
        if (n == 0) {
            throw new NotFound("API token " + id + " does not exist or is already revoked");
        }
    }

    private List<KeyInfo> list(String table, String prefixColumn, TenantId tenant) {
        return jdbc.sql("SELECT id, " + prefixColumn + ", name, created_at, revoked_at FROM " + table
                        + " WHERE tenant_id = ? ORDER BY id")
                .param(tenant.value())
                .query((rs, row) -> new KeyInfo(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()))
                .list();
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInput("name", "length", "name must be 1–100 characters");
        }
    }

    /** The first characters of a secret, shown in listings so people can tell keys apart. */
    public static String prefix(String secret) {
        return secret.substring(0, Math.min(8, secret.length()));
    }

    /** A random secret of {@code length} characters from an unambiguous alphabet. */
    public static String random(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    /** Hex SHA-256 of a secret: how keys and tokens are stored and looked up. */
    public static String sha256(String s) {
        return HexFormat.of().formatHex(sha256Bytes(s));
    }

    private static byte[] sha256Bytes(String s) {
        try {
            // A clone skips the provider lookup of getInstance, which cost more than the hash itself
            // on every ingestion request (request threads are virtual, so a ThreadLocal would not help).
            return ((MessageDigest) SHA_256.clone()).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JDK's SHA-256 cannot be cloned", e);
        }
    }

}
