package io.siyu.privacy;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.Role;
import io.siyu.platform.TenantId;
import io.siyu.platform.Unauthorized;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * People who sign in to a tenant's console, each with one role. Passwords are PBKDF2 hashes.
 * Brute force is stopped per account: after {@value #MAX_FAILURES} wrong passwords in a row the
 * account is locked for {@link #LOCK}, during which even the right password is refused.
 */
@Repository
class Members {

    static final int MAX_FAILURES = 5;
    static final Duration LOCK = Duration.ofMinutes(15);

    /** A member as listed: never the password hash. */
    record Member(int id, TenantId tenant, String username, Role role, @Nullable Instant lockedUntil, Instant createdAt) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    Members(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** @throws InvalidInput when the name, password or role is malformed or the name is taken */
    Member create(TenantId tenant, @Nullable String username, @Nullable String password, @Nullable String role) {
        if (username == null || !username.matches("[a-zA-Z0-9._@-]{2,64}")) {
            throw new InvalidInput("username", "pattern", "用户名为 2–64 个字母、数字或 . _ @ - / username must be 2–64 letters, digits or . _ @ -");
        }
        if (password == null || password.length() < 10 || password.length() > 200) {
            throw new InvalidInput("password", "length", "密码需 10–200 个字符 / password must be 10–200 characters");
        }
        Role parsed = role(role);
        try {
            return jdbc.sql("INSERT INTO members (tenant_id, username, role, password_hash) VALUES (?, ?, ?, ?) "
                            + "RETURNING id, tenant_id, username, role, locked_until, created_at")
                    .params(tenant.value(), username, parsed.key(), Passwords.hash(password)).query(Members::map).single();
        } catch (DuplicateKeyException e) {
            throw new InvalidInput("username", "unique", "用户名已存在 / username '" + username + "' is taken");
        }
    }

    List<Member> all(TenantId tenant) {
        return jdbc.sql("SELECT id, tenant_id, username, role, locked_until, created_at FROM members WHERE tenant_id = ? ORDER BY id")
                .param(tenant.value()).query(Members::map).list();
    }

    Optional<Member> find(TenantId tenant, String username) {
        return jdbc.sql("SELECT id, tenant_id, username, role, locked_until, created_at FROM members WHERE tenant_id = ? AND username = ?")
                .params(tenant.value(), username).query(Members::map).optional();
    }

    Optional<Member> find(int id) {
        return jdbc.sql("SELECT id, tenant_id, username, role, locked_until, created_at FROM members WHERE id = ?")
                .param(id).query(Members::map).optional();
    }

    /**
     * Checks a password, counting failures.
     *
     * @throws TooManyRequests while the account is locked
     * @throws Unauthorized when the name or password is wrong (which of them is not said)
     */
    Member authenticate(TenantId tenant, String username, String password) {
        record Stored(Member member, String hash, int failures) {}
        Optional<Stored> stored = jdbc.sql("SELECT id, tenant_id, username, role, locked_until, created_at, password_hash, failed_logins "
                        + "FROM members WHERE tenant_id = ? AND username = ?")
                .params(tenant.value(), username)
                .query((rs, row) -> new Stored(map(rs, row), rs.getString(7), rs.getInt(8))).optional();
        if (stored.isEmpty()) {
            Passwords.decoy(password);
            throw new Unauthorized("Bearer", "用户名或密码错误 / wrong username or password");
        }
        Member member = stored.get().member();
        Instant now = clock.instant();
        if (member.lockedUntil() != null && member.lockedUntil().isAfter(now)) {
            throw locked(member.lockedUntil(), now);
        }
        if (!Passwords.matches(password, stored.get().hash())) {
            int failures = stored.get().failures() + 1;
            Instant lockedUntil = failures >= MAX_FAILURES ? now.plus(LOCK) : null;
            jdbc.sql("UPDATE members SET failed_logins = ?, locked_until = ? WHERE id = ?")
                    .params(lockedUntil == null ? failures : 0, lockedUntil == null ? null : Timestamp.from(lockedUntil), member.id())
                    .update();
            if (lockedUntil != null) {
                throw locked(lockedUntil, now);
            }
            throw new Unauthorized("Bearer", "用户名或密码错误 / wrong username or password");
        }
        jdbc.sql("UPDATE members SET failed_logins = 0, locked_until = NULL WHERE id = ?").param(member.id()).update();
        return member;
    }

    static Role role(@Nullable String role) {
        return Role.parse(role == null ? "" : role).orElseThrow(() -> new InvalidInput("role", "enum",
                "角色须为 admin, operator, analyst, agent, auditor 之一 / role must be one of admin, operator, analyst, agent, auditor"));
    }

    private static TooManyRequests locked(Instant until, Instant now) {
        return new TooManyRequests("连续登录失败，账号已锁定 / too many failed logins: the account is locked until " + until,
                Duration.between(now, until).toSeconds() + 1);
    }

    private static Member map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp locked = rs.getTimestamp(5);
        return new Member(rs.getInt(1), new TenantId(rs.getInt(2)), rs.getString(3), Role.parse(rs.getString(4)).orElseThrow(),
                locked == null ? null : locked.toInstant(), rs.getTimestamp(6).toInstant());
    }
}
