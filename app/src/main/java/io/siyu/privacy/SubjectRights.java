package io.siyu.privacy;

import io.siyu.engine.Engine;
import io.siyu.engine.Event;
import io.siyu.engine.EventCodec;
import io.siyu.engine.PostgresEventLog;
import io.siyu.identity.Identifier;
import io.siyu.identity.PersonalIdentifiers;
import io.siyu.platform.Caller;
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
 * <p>Erasure works in three steps, each covering a place the data lives:
 * <ol>
 *   <li><b>Crypto-shredding</b>: the data keys of the person's sealed fields (phone, e-mail, ID
 *       number and address; see {@link FieldCipher#sealPersonal}) are deleted, so every copy of those ciphertexts, in the
 *       log, in snapshots and in database backups, is unreadable from then on.</li>
 *   <li><b>Anonymising the log</b>: the person's events are rewritten in place with their traits,
 *       properties, context and sealed fields removed and each identifier replaced by a random
 *       pseudonym of the same type (so identity resolution, person numbering and aggregate
 *       counts stay as they were). The random mapping is not kept.</li>
 *   <li><b>Rebuilding</b> the tenant from the rewritten log, which also writes fresh snapshots, so
 *       profile, segments and consent no longer hold anything of the person.</li>
 * </ol>
 * The erasure is recorded ({@link Erasures}): the person id answers 404 afterwards and the consent
 * gate answers refused. Plain-text traits in database backups taken before the erasure are not
 * reached; backups should be kept no longer than the erasure deadline.
 */
@Component
class SubjectRights {

    private static final SecureRandom RANDOM = new SecureRandom();

    record Erased(String person, int events, int shreddedKeys) {}

    private final People people;
    private final Engine engine;
    private final PostgresEventLog log;
    private final ProfileDirectory profiles;
    private final FieldCipher cipher;
    private final AuditLog audit;
    private final Erasures erasures;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    SubjectRights(People people, Engine engine, PostgresEventLog log, ProfileDirectory profiles, FieldCipher cipher,
            AuditLog audit, Erasures erasures, JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json) {
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
        export.put("accessLog", audit.about(tenant, person.id().toString(), 1_000).stream()
                .map(e -> Map.of("at", e.at().toString(), "actor", e.actor(), "action", e.action(), "detail", e.detail()))
                .toList());
        return export;
    }

    /** Erases the person everywhere this installation can reach; see the class comment. */
    Erased erase(TenantId tenant, String personId, Caller caller) {
        People.Person person = people.require(tenant, personId);
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
            rewritten.add(anonymised(event, pseudonyms));
        });
        int shredded = 0;
        for (String subject : subjects) {
            if (cipher.shred(tenant, subject)) {
                shredded++;
            }
        }
        // the log is append-only for everything but this: the law's erasure right outranks it
        transactions.executeWithoutResult(status -> {
            for (Event event : rewritten) {
                jdbc.sql("UPDATE event_log SET body = ? WHERE seq = ? AND tenant_id = ?")
                        .params(EventCodec.encode(event), event.seq(), tenant.value()).update();
            }
        });
        erasures.record(tenant, person.id().toString(), caller.actor(), shredded);
        try {
            engine.rebuild(tenant.value()).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("the log was anonymised but the tenant could not be rebuilt; restart Siyu to finish", e);
        }
        audit.recordAndWait(tenant, caller.actor(), "subject.erased", person.id().toString(),
                "events=" + rewritten.size() + " shreddedKeys=" + shredded);
        return new Erased(person.id().toString(), rewritten.size(), shredded);
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
