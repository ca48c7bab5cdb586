package io.siyu.referral;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Devices (keyed hashes, never the raw id) seen in referral flows, with the people they were seen
 * with: sharers, converting friends and helpers. One device behind many accounts is the signature of
 * an invite farm.
 */
@Repository
class DeviceSightings {

    private final JdbcClient jdbc;

    DeviceSightings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(TenantId tenant, String device, PersonId person, Instant at) {
        jdbc.sql("""
                INSERT INTO referral_signals (tenant_id, signal, value, person_id, seen_at) VALUES (?, 'device', ?, ?, ?)
                ON CONFLICT DO NOTHING""").params(tenant.value(), device, person.value(), Timestamp.from(at)).update();
    }

    /** How many people this device was seen with, {@code person} included if seen. */
    int people(TenantId tenant, String device) {
        return jdbc.sql("SELECT count(*) FROM referral_signals WHERE tenant_id = ? AND signal = 'device' AND value = ?")
                .params(tenant.value(), device).query(Integer.class).single();
    }

    /** A person as the fraud checks see them: graph signals, {@code extra} signals from the event, and devices seen with them. */
    FraudChecks.Party party(TenantId tenant, People.Known known, List<String> extra) {
        Set<String> signals = new TreeSet<>(known.signals());
        signals.addAll(extra);
        of(tenant, known.id()).forEach(d -> signals.add("device:" + d));
        return new FraudChecks.Party(known.id(), signals);
    }

    List<String> of(TenantId tenant, PersonId person) {
        return jdbc.sql("SELECT value FROM referral_signals WHERE tenant_id = ? AND signal = 'device' AND person_id = ?")
                .params(tenant.value(), person.value()).query(String.class).list();
    }
}
