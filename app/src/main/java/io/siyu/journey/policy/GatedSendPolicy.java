package io.siyu.journey.policy;

import io.siyu.action.Consent;
import io.siyu.action.ConsentGate;
import io.siyu.action.ContentGate;
import io.siyu.action.Purpose;
import io.siyu.action.SendIntent;
import io.siyu.action.ProductSendPolicy;
import io.siyu.action.SuitabilityGate;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.DateTimeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The send policy every message passes, in this order: consent (marketing needs {@link Consent#ALL}),
 * financial suitability and risk holds ({@link SuitabilityGate}: a product rated above the person's
 * risk assessment, or marketing to a person frozen by a risk rule, is suppressed), content compliance ({@code BLOCK} and {@code REVIEW} hold the message back), then for marketing
 * messages quiet hours in the person's time zone (deferred to their end, not dropped), frequency
 * caps per person and channel over a rolling day and week, and finally the channel's rate limit
 * for the tenant (deferred to the next free slot). Consent and content come from the compliance
 * capability's beans; until they exist, everything passes those three gates.
 *
 * <p>Every suppression and deferral is recorded with its reason (table {@code send_decisions}) and
 * readable at {@code GET /api/v1/send-policy/decisions}. Caps count what {@link #sent} recorded, in
 * PostgreSQL, so they hold across restarts.
 */
@Component
@DependsOnDatabaseInitialization
class GatedSendPolicy implements ProductSendPolicy {

    static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    private static final long DAY_MS = 86_400_000L;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ObjectProvider<ProfileDirectory> profiles;
    private final ObjectProvider<ConsentGate> consent;
    private final ObjectProvider<ContentGate> content;
    private final ObjectProvider<SuitabilityGate> suitability;
    private final Map<Integer, PolicySettings> settings = new ConcurrentHashMap<>();
    /** Per tenant and channel: the earliest time the next message may go (a spacing limiter). */
    private final Map<String, Long> nextSlot = new ConcurrentHashMap<>();

    GatedSendPolicy(JdbcClient jdbc, JsonMapper json, Clock clock, ObjectProvider<ProfileDirectory> profiles,
            ObjectProvider<ConsentGate> consent, ObjectProvider<ContentGate> content, ObjectProvider<SuitabilityGate> suitability) {
        this.suitability = suitability;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.profiles = profiles;
        this.consent = consent;
        this.content = content;
    }

    @Override
    public Decision decide(SendIntent intent) {
        return decide(intent, null);
    }

    @Override
    public Decision decide(SendIntent intent, @Nullable String product) {
        Decision decision = evaluate(intent, product);
        switch (decision) {
            case Decision.Suppress s -> record(intent, "SUPPRESS", s.reason());
            case Decision.Defer d -> record(intent, "DEFER", d.reason());
            case Decision.Allow a -> { }
        }
        return decision;
    }

    private Decision evaluate(SendIntent intent, @Nullable String product) {
        if (intent.marketing()) {
            ConsentGate gate = consent.getIfAvailable();
            Consent answer = gate == null ? Consent.ALL : gate.consentOf(intent.tenant(), intent.person(), Purpose.MARKETING);
            if (answer != Consent.ALL) {
                return new Decision.Suppress("consent:" + answer.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
        }
        SuitabilityGate hold = suitability.getIfAvailable();
        if (hold != null) {
            String refusal = hold.refusal(intent.tenant(), intent.person(), product, intent.marketing());
            if (refusal != null) {
                return new Decision.Suppress(refusal);
            }
        }
        ContentGate filter = content.getIfAvailable();
        if (filter != null && !intent.text().isEmpty()) {
            ContentGate.Result result = filter.check(intent.tenant(), intent.text());
            if (result.verdict() != ContentGate.Verdict.PASS) {
                return new Decision.Suppress("content:" + result.verdict().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        PolicySettings policy = settingsOf(intent.tenant());
        if (intent.marketing()) {
            if (policy.quietHours() != null) {
                ZonedDateTime local = Instant.ofEpochMilli(intent.at()).atZone(zoneOf(intent));
                if (policy.quietHours().contains(local.toLocalTime())) {
                    return new Decision.Defer(endOfQuiet(local, policy.quietHours().end()), "quiet-hours");
                }
            }
            PolicySettings.Cap cap = policy.capFor(intent.channel());
            if (cap != null) {
                long day = sentSince(intent, intent.at() - DAY_MS);
                if (day >= cap.day()) {
                    return new Decision.Suppress("cap:" + intent.channel() + ":day");
                }
                if (cap.week() != Integer.MAX_VALUE && sentSince(intent, intent.at() - 7 * DAY_MS) >= cap.week()) {
                    return new Decision.Suppress("cap:" + intent.channel() + ":week");
                }
            }
        }
        Integer perSecond = policy.rateLimits().get(intent.channel());
        if (perSecond != null) {
            long spacing = Math.max(1, 1_000 / perSecond);
            String key = intent.tenant().value() + "/" + intent.channel();
            long now = clock.millis();
            long[] granted = {0};
            nextSlot.compute(key, (k, next) -> {
                long slot = next == null || next < now ? now : next;
                granted[0] = slot;
                return slot + spacing;
            });
            if (granted[0] > now) {
                return new Decision.Defer(granted[0], "rate:" + intent.channel());
            }
        }
        return Decision.ALLOW;
    }

    @Override
    public void sent(SendIntent intent) {
        jdbc.sql("INSERT INTO send_log (tenant_id, person, channel, at) VALUES (?, ?, ?, ?)")
                .params(intent.tenant().value(), intent.person().value(), intent.channel(), intent.at()).update();
    }

    PolicySettings settingsOf(TenantId tenant) {
        return settings.computeIfAbsent(tenant.value(), t -> jdbc.sql("SELECT policy::text FROM send_policies WHERE tenant_id = ?")
                .param(t).query(String.class).optional().map(text -> PolicySettings.parse(json.readTree(text)))
                .orElse(PolicySettings.DEFAULT));
    }

    void save(TenantId tenant, PolicySettings policy) {
        jdbc.sql("""
                INSERT INTO send_policies (tenant_id, policy) VALUES (?, ?::jsonb)
                ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = now()""")
                .params(tenant.value(), policy.toJson(json).toString()).update();
        settings.put(tenant.value(), policy);
    }

    private long sentSince(SendIntent intent, long since) {
        return jdbc.sql("SELECT count(*) FROM send_log WHERE tenant_id = ? AND person = ? AND channel = ? AND at > ?")
                .params(intent.tenant().value(), intent.person().value(), intent.channel(), since).query(Long.class).single();
    }

    private ZoneId zoneOf(SendIntent intent) {
        ProfileDirectory directory = profiles.getIfAvailable();
        Object zone = directory == null ? null : directory.find(intent.tenant(), intent.person())
                .map(ProfileView::traits).map(t -> t.get("timezone")).orElse(null);
        if (zone instanceof String name) {
            try {
                return ZoneId.of(name);
            } catch (DateTimeException e) {
                return DEFAULT_ZONE;
            }
        }
        return DEFAULT_ZONE;
    }

    private static long endOfQuiet(ZonedDateTime local, LocalTime end) {
        ZonedDateTime candidate = local.toLocalDate().atTime(end).atZone(local.getZone());
        if (!candidate.isAfter(local)) {
            candidate = candidate.plusDays(1);
        }
        return candidate.toInstant().toEpochMilli();
    }

    private void record(SendIntent intent, String decision, String reason) {
        jdbc.sql("INSERT INTO send_decisions (tenant_id, person, channel, decision, reason, at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(intent.tenant().value(), intent.person().value(), intent.channel(), decision, reason, intent.at()).update();
    }
}
