package io.siyu.referral;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Share codes: one per person and campaign, stable once given out. */
@Repository
class ShareCodes {

    private final JdbcClient jdbc;

    ShareCodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The person's code for the campaign, made on first request; later requests get the same code. */
    ShareCode codeFor(TenantId tenant, String campaignId, PersonId person, String identifier, Instant now) {
        for (int attempt = 0; ; attempt++) {
            Optional<ShareCode> existing = ofPerson(tenant, campaignId, person);
            if (existing.isPresent()) {
                return existing.get();
            }
            // ON CONFLICT without a target: a lost race on the person, or (one in 2^50) a code collision
            jdbc.sql("""
                    INSERT INTO referral_codes (tenant_id, code, campaign_id, person_id, identifier, created_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(tenant.value(), ShareCode.generate(), campaignId, person.value(), identifier, Timestamp.from(now))
                    .update();
            if (attempt > 3) {
                throw new IllegalStateException("no share code could be stored for " + person + " in " + campaignId);
            }
        }
    }

    Optional<ShareCode> find(TenantId tenant, String code) {
        return jdbc.sql("SELECT code, campaign_id, person_id, identifier FROM referral_codes WHERE tenant_id = ? AND code = ?")
                .params(tenant.value(), code).query((rs, row) -> new ShareCode(rs.getString(1), rs.getString(2),
                        new PersonId(rs.getObject(3, UUID.class)), rs.getString(4))).optional();
    }

    /** Codes by value, for a batch of conversions. */
    Map<String, ShareCode> find(TenantId tenant, Collection<String> codes) {
        if (codes.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("SELECT code, campaign_id, person_id, identifier FROM referral_codes WHERE tenant_id = ? AND code = ANY (?)")
                .params(tenant.value(), codes.toArray(String[]::new)).query((rs, row) -> new ShareCode(rs.getString(1), rs.getString(2),
                        new PersonId(rs.getObject(3, UUID.class)), rs.getString(4))).list().stream()
                .collect(Collectors.toMap(ShareCode::code, c -> c));
    }

    private Optional<ShareCode> ofPerson(TenantId tenant, String campaignId, PersonId person) {
        return jdbc.sql("SELECT code, campaign_id, person_id, identifier FROM referral_codes WHERE tenant_id = ? AND campaign_id = ? AND person_id = ?")
                .params(tenant.value(), campaignId, person.value()).query((rs, row) -> new ShareCode(rs.getString(1), rs.getString(2),
                        new PersonId(rs.getObject(3, UUID.class)), rs.getString(4))).optional();
    }
}
