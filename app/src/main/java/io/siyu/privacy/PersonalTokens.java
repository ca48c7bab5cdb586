package io.siyu.privacy;

import io.siyu.platform.BearerTokens;
import io.siyu.platform.Caller;
import io.siyu.platform.Credentials;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.Role;
import io.siyu.platform.TenantId;
import io.siyu.platform.Unauthorized;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Personal access tokens: a member's own bearer tokens for scripts, stored as SHA-256 hashes like
 * API tokens, acting with the member's current role (demote the member and the tokens follow).
 */
@Component
@Order(1)
class PersonalTokens implements BearerTokens {

    static final String PREFIX = "sypat_";
    static final int MAX_DAYS = 366;

    /** A new token; {@code token} is shown once. */
    record Issued(int id, String prefix, String name, String token, Instant expiresAt) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    PersonalTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Issued issue(Members.Member member, @Nullable String name, @Nullable Integer days) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInput("name", "length", "name must be 1–100 characters");
        }
        int validDays = days == null ? 90 : days;
        if (validDays < 1 || validDays > MAX_DAYS) {
            throw new InvalidInput("days", "range", "days must be 1–" + MAX_DAYS);
        }
        String token = PREFIX + Credentials.random(40);
        Instant expires = clock.instant().plus(Duration.ofDays(validDays));
        int id = jdbc.sql("INSERT INTO personal_tokens (member_id, token_hash, token_prefix, name, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
                .params(member.id(), Credentials.sha256(token), Credentials.prefix(token), name, Timestamp.from(expires))
                .query(Integer.class).single();
        return new Issued(id, Credentials.prefix(token), name, token, expires);
    }

    @Override
    public Optional<Caller> callerOf(String token) {
        if (!token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        record Row(int tenant, String username, String role, Instant expires, @Nullable Instant revoked) {}
        Row row = jdbc.sql("SELECT m.tenant_id, m.username, m.role, t.expires_at, t.revoked_at FROM personal_tokens t "
                        + "JOIN members m ON m.id = t.member_id WHERE t.token_hash = ?")
                .param(Credentials.sha256(token))
                .query((rs, n) -> new Row(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()))
                .optional().orElseThrow(() -> new Unauthorized("Bearer", "the personal access token is not valid"));
        if (row.revoked() != null) {
            throw new Unauthorized("Bearer", "the personal access token was revoked");
        }
        if (!row.expires().isAfter(clock.instant())) {
            throw new Unauthorized("Bearer", "the personal access token expired on " + row.expires());
        }
        return Optional.of(new Caller.TenantToken(new TenantId(row.tenant()), "member:" + row.username(),
                Role.parse(row.role()).orElseThrow()));
    }
}
