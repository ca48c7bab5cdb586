package io.siyu.privacy;

import io.siyu.engine.Engine;
import io.siyu.engine.Event;
import io.siyu.engine.EventCodec;
import io.siyu.engine.PostgresEventLog;
import io.siyu.identity.Identifier;
import io.siyu.identity.PersonalIdentifiers;
import io.siyu.platform.Caller;
import io.siyu.platform.ErasureListener;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import io.siyu.profile.Traits;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person's rights under PIPL arts. 45 and 47: a copy of everything held about them, and erasure.
 *
 * <p>Erasure works in four steps, each covering a place the data lives:
 * <ol>
 *   <li><b>Crypto-shredding</b>: the data keys of the person's sealed fields (phone, e-mail, ID
 *       number and address; see {@link FieldCipher#sealPersonal}) are deleted, so every copy of
 *       those ciphertexts, in the log, in snapshots and in database backups, is unreadable from
 *       then on.</li>
 *   <li><b>Anonymising the log</b>: the person's events are rewritten in place with their traits,
 *       properties, context and sealed fields removed and each identifier replaced by a random
 *       pseudonym of the same type (so identity resolution, person numbering and aggregate
 *       counts stay as they were). The random mapping is not kept.</li>
 *   <li><b>Rebuilding</b> the tenant from the rewritten log, which also writes fresh snapshots, so
 *       profile, segments and consent no longer hold anything of the person.</li>
 *   <li><b>Other tables</b>: every per-person table outside the log ({@link PersonalRecords}:
 *       membership history, journey journal and outbox, send log and decisions, message outbox,
 *       inbox, coupons, risk cases, service conversations and tickets, quarantined messages) is
 *       deleted or scrubbed in the log's transaction, and once more after the rebuild; identity
 *       rulings take the log's pseudonyms. Access requests show the same rows.</li>
 * </ol>
 * The erasure is recorded ({@link Erasures}): the person id answers 404 afterwards and the consent
 * gate answers refused. Plain-text traits in database backups taken before the erasure are not
 * reached; backups should be kept no longer than the erasure deadline.
 */
@Component
class SubjectRights {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @param records rows deleted or scrubbed per table outside the log ({@link PersonalRecords}) */
    record Erased(String person, int events, int shreddedKeys, Map<String, Integer> records) {}

    private final People people;
    private final List<ErasureListener> erasureListeners;
    private final Engine engine;
    private final PostgresEventLog log;
    private final ProfileDirectory profiles;
    private final FieldCipher cipher;
    private final AuditLog audit;
    private final Erasures erasures;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final PersonalRecords records;

    SubjectRights(People people, Engine engine, PostgresEventLog log, ProfileDirectory profiles, FieldCipher cipher,
            AuditLog audit, Erasures erasures, JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json,
            PersonalRecords records, List<ErasureListener> erasureListeners) {
        this.records = records;
        this.erasureListeners = erasureListeners;
        this.people = people;
        this.engine = engine;
        this.log = log;
        this.profiles = profiles;
        this.cipher = cipher;
        this.audit = audit;
        this.erasures = erasures;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
    }

    /** Everything held about the person, unmasked, as one JSON document; audited before it leaves. */
    Map<String, Object> export(TenantId tenant, String personId, Caller caller, Map<String, Object> consent) {
        People.Person person = people.require(tenant, personId);
        ProfileView profile = profiles.find(tenant, person.id()).orElseThrow();
        List<Map<String, Object>> events = new ArrayList<>();
        eventsOf(tenant, person, event -> events.add(describe(tenant, event)));
        audit.recordAndWait(tenant, caller.actor(), "subject.exported", person.id().toString(), "events=" + events.size());
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("person", person.id().toString());
        export.put("exportedAt", Instant.ofEpochMilli(engine.clock().millis()).toString());
        export.put("exportedBy", caller.actor());
        export.put("profile", SealedTraits.open(cipher, tenant, profile));
        export.put("consent", consent);
        export.put("events", events);
        export.put("records", records.export(tenant, keysOf(person, profile), needles(person, List.of())));
        export.put("accessLog", audit.about(tenant, person.id().toString(), 1_000).stream()
                .map(e -> Map.of("at", e.at().toString(), "actor", e.actor(), "action", e.action(), "detail", e.detail()))
                .toList());
        return export;
    }

    /** Erases the person everywhere this installation can reach; see the class comment. */
    Erased erase(TenantId tenant, String personId, Caller caller) {
        People.Person person = people.require(tenant, personId);
        ProfileView profile = profiles.find(tenant, person.id()).orElseThrow();
        audit.recordAndWait(tenant, caller.actor(), "subject.erasure.started", person.id().toString(), "");
        Set<Identifier> identifiers = new LinkedHashSet<>(person.identifiers());
        Map<Identifier, Identifier> pseudonyms = new HashMap<>();
        for (Identifier id : identifiers) {
            pseudonyms.put(id, pseudonym(id));
        }
        Set<String> subjects = new LinkedHashSet<>();
        for (Identifier id : identifiers) {
            String subject = PersonalIdentifiers.subjectOf(id); // phone and e-mail keys
            if (subject != null) {
                subjects.add(subject);
            }
        }
        List<Event> rewritten = new ArrayList<>();
        List<Event> rewrittenSources = new ArrayList<>();
        eventsOf(tenant, person, event -> {
            for (Event.Sealed sealed : event.sealed()) {
                String subject = FieldCipher.subjectOf(sealed.ciphertext());
                if (subject != null) {
                    subjects.add(subject);
                }
            }
            Traits traits = event.traits(); // sealed traits: e-mail, ID number, address
            for (int i = 0; i < traits.size(); i++) {
                if (FieldCipher.isSealedText(traits.valueAt(i))) {
                    String subject = FieldCipher.subjectOfText((String) traits.valueAt(i));
                    if (subject != null) {
                        subjects.add(subject);
                    }
                }
            }
            rewrittenSources.add(event);
            rewritten.add(anonymised(event, pseudonyms));
        });
        List<String> clear = new ArrayList<>(); // the person's sealed values, to find their rejected messages by
        for (Event event : rewrittenSources) {
            for (Event.Sealed sealed : event.sealed()) {
                openQuietly(tenant, sealed.ciphertext(), clear);
            }
            for (int i = 0; i < event.traits().size(); i++) {
                if (FieldCipher.isSealedText(event.traits().valueAt(i))) {
                    try {
                        clear.add(cipher.openText(tenant, (String) event.traits().valueAt(i)));
                    } catch (IllegalArgumentException e) {
                        // shredded already
                    }
                }
            }
        }
        int shredded = 0;
        for (String subject : subjects) {
            if (cipher.shred(tenant, subject)) {
                shredded++;
            }
        }
        // the log is append-only for everything but this: the law's erasure right outranks it
        PersonalRecords.Keys keys = keysOf(person, profile);
        Map<String, Integer> touched = new java.util.TreeMap<>();
        List<String> needles = needles(person, clear);
        transactions.executeWithoutResult(status -> {
            for (Event event : rewritten) {
                jdbc.sql("UPDATE event_log SET body = ? WHERE seq = ? AND tenant_id = ?")
                        .params(EventCodec.encode(event), event.seq(), tenant.value()).update();
            }
            // operators' identity rulings follow the log's pseudonyms, so the rebuild applies them as before
            pseudonyms.forEach((id, pseudonym) -> {
                jdbc.sql("UPDATE identity_rules SET left_identifier = ? WHERE tenant_id = ? AND left_identifier = ?")
                        .params(pseudonym.toString(), tenant.value(), id.toString()).update();
                jdbc.sql("UPDATE identity_rules SET right_identifier = ? WHERE tenant_id = ? AND right_identifier = ?")
                        .params(pseudonym.toString(), tenant.value(), id.toString()).update();
            });
            records.erase(tenant, keys, needles).forEach((table, n) -> touched.merge(table, n, Integer::sum));
        });
        erasures.record(tenant, person.id().toString(), caller.actor(), shredded);
        try {
            engine.rebuild(tenant.value()).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("the log was anonymised but the tenant could not be rebuilt; restart Siyu to finish", e);
        }
        List<Integer> indexes = new ArrayList<>();
        indexes.add(person.id().index());
        for (String merged : profile.mergedFrom()) {
            indexes.add(io.siyu.identity.PersonId.parse(merged).index());
        }
        erasureListeners.forEach(listener -> listener.erased(tenant, indexes));
        // again after the rebuild: history writers are asynchronous and may have had the person's rows queued
        transactions.executeWithoutResult(status -> records.erase(tenant, keys, needles)
                .forEach((table, n) -> touched.merge(table, n, Integer::sum)));
        audit.recordAndWait(tenant, caller.actor(), "subject.erased", person.id().toString(),
                "events=" + rewritten.size() + " shreddedKeys=" + shredded + " records=" + touched);
        return new Erased(person.id().toString(), rewritten.size(), shredded, touched);
    }

    private static PersonalRecords.Keys keysOf(People.Person person, ProfileView profile) {
        List<io.siyu.identity.PersonId> people = new ArrayList<>();
        people.add(person.id());
        for (String merged : profile.mergedFrom()) {
            people.add(io.siyu.identity.PersonId.parse(merged));
        }
        return PersonalRecords.Keys.of(people, person.identifiers());
    }

    /** Quoted values the person's rejected messages would contain: clear identifiers and sealed values. */
    private static List<String> needles(People.Person person, List<String> clear) {
        List<String> needles = new ArrayList<>();
        for (Identifier id : person.identifiers()) {
            if (id.type() != io.siyu.identity.IdentifierType.PHONE_HASH && id.type() != io.siyu.identity.IdentifierType.EMAIL) {
                needles.add("\"" + id.value() + "\"");
            }
        }
        clear.forEach(value -> needles.add("\"" + value + "\""));
        return needles;
    }

    private void openQuietly(TenantId tenant, byte[] sealed, List<String> into) {
        try {
            String value = cipher.open(tenant, sealed);
            into.add(value);
            if (value.startsWith("+86")) {
                into.add(value.substring(3));
            }
        } catch (IllegalArgumentException e) {
            // shredded already, or not this tenant's: nothing to find by
        }
    }

    /** Calls {@code sink} with every logged event of the tenant that names one of the person's identifiers. */
    private void eventsOf(TenantId tenant, People.Person person, java.util.function.Consumer<Event> sink) {
        Set<Identifier> identifiers = Set.copyOf(person.identifiers());
        log.replay(0, tenant.value(), event -> {
            for (Identifier id : event.identifiers()) {
                if (identifiers.contains(id)) {
                    sink.accept(event);
                    return;
                }
            }
        });
    }

    private Map<String, Object> describe(TenantId tenant, Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", event.seq());
        out.put("type", event.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.put("name", event.name());
        out.put("timestamp", Instant.ofEpochMilli(event.timestamp()).toString());
        out.put("channel", event.channel());
        out.put("identifiers", event.identifiers().stream().map(Identifier::toString).toList());
        out.put("properties", tree(event.properties()));
        Map<String, String> sealed = new LinkedHashMap<>();
        for (Event.Sealed field : event.sealed()) {
            try {
                sealed.put(field.field(), cipher.open(tenant, field.ciphertext()));
            } catch (IllegalArgumentException e) {
                sealed.put(field.field(), "(unreadable: " + e.getMessage() + ")");
            }
        }
        out.put("personalFields", sealed);
        return out;
    }

    private @Nullable JsonNode tree(byte[] bytes) {
        return bytes.length == 0 ? null : json.readTree(bytes);
    }

    private static Event anonymised(Event event, Map<Identifier, Identifier> pseudonyms) {
        List<Identifier> ids = event.identifiers().stream().map(id -> pseudonyms.getOrDefault(id, id)).toList();
        return new Event(event.tenant(), event.seq(), event.kind(), event.name(), event.timestamp(), event.receivedAt(),
                event.messageId(), ids, new Traits(), event.revenueFen(), null, event.categories(), event.channel(),
                event.source(), List.of(), new byte[0], new byte[0]);
    }

    private static Identifier pseudonym(Identifier id) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String hex = HexFormat.of().formatHex(random);
        return new Identifier(id.type(), switch (id.type()) {
            case PHONE_HASH -> hex + hex.substring(0, 8);
            case OPENID -> "erased:" + hex;
            case EMAIL -> "erased-" + hex + "@erased.invalid";
            default -> "erased-" + hex;
        });
    }
}
