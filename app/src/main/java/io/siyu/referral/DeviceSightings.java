package io.siyu.referral;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Devices (keyed hashes, never the raw id) seen in referral flows, with the people they were seen
 * with: sharers, converting friends and helpers. One device behind many accounts is the signature of
 * an invite farm.
 */
@Repository
class DeviceSightings {

    /**
     * The sightings of a batch's people and devices, loaded once and kept current as the batch
     * records new ones, so judging a batch costs two queries, not several per conversion.
     */
    static final class Seen {
        private final Map<PersonId, Set<String>> devicesOf = new HashMap<>();
        private final Map<String, Set<PersonId>> peopleOf = new HashMap<>();
        private final List<Map.Entry<String, PersonId>> added = new ArrayList<>();

        private void load(String device, PersonId person) {
            devicesOf.computeIfAbsent(person, p -> new TreeSet<>()).add(device);
            peopleOf.computeIfAbsent(device, d -> new HashSet<>()).add(person);
        }

        void add(String device, PersonId person) {
            if (peopleOf.computeIfAbsent(device, d -> new HashSet<>()).add(person)) {
                devicesOf.computeIfAbsent(person, p -> new TreeSet<>()).add(device);
                added.add(Map.entry(device, person));
            }
        }

        int people(String device) {
            return peopleOf.getOrDefault(device, Set.of()).size();
        }

        FraudChecks.Party party(People.Known known, List<String> extra) {
            Set<String> signals = new TreeSet<>(known.signals());
            signals.addAll(extra);
            devicesOf.getOrDefault(known.id(), Set.of()).forEach(d -> signals.add("device:" + d));
            return new FraudChecks.Party(known.id(), signals);
        }

        List<Map.Entry<String, PersonId>> added() {
            return added;
        }
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    DeviceSightings(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** What is known of these people's devices and of these devices' people. */
    Seen seen(TenantId tenant, Collection<PersonId> people, Collection<String> devices) {
        Seen seen = new Seen();
        jdbc.sql("""
                SELECT value, person_id FROM referral_signals WHERE tenant_id = ? AND signal = 'device'
                AND (person_id = ANY (?) OR value = ANY (?))""")
                .params(tenant.value(), people.stream().map(PersonId::value).toArray(UUID[]::new), devices.toArray(String[]::new))
                .query(rs -> {
                    seen.load(rs.getString(1), new PersonId(rs.getObject(2, UUID.class)));
                });
        return seen;
    }

    /** Stores the sightings a batch added, in one statement batch. */
    void record(TenantId tenant, List<Map.Entry<String, PersonId>> sightings, Instant at) {
        template.batchUpdate("""
                INSERT INTO referral_signals (tenant_id, signal, value, person_id, seen_at) VALUES (?, 'device', ?, ?, ?)
                ON CONFLICT DO NOTHING""", sightings.stream()
                .map(s -> new Object[] {tenant.value(), s.getKey(), s.getValue().value(), Timestamp.from(at)}).toList());
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
