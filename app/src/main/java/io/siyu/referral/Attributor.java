package io.siyu.referral;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.engine.Engine;
import io.siyu.identity.PersonId;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Turns the engine's conversions into attributions: looks up the share code and its campaign,
 * judges the friend (self-invite, new or existing, repeated device, invite ring), stores one
 * attribution per friend (the first sharer wins), rewards clean ones through {@link Rewards} and
 * records the events. Runs every {@code siyu.referral.poll-ms} for tenants with conversions, and on
 * demand before the API reads attributions (so an acknowledged event is visible at once). A
 * conversion leaves the engine only after its attribution is committed; an attribution whose
 * rewards failed stays {@code ATTRIBUTED} and is rewarded by the next sweep.
 */
@Component
class Attributor implements ApplicationRunner, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Attributor.class);
    /** How far up the chain of inviters a ring is looked for. */
    static final int RING_DEPTH = 4;

    private final Engine engine;
    private final ReferralExtension extension;
    private final ShareCodes codes;
    private final Campaigns campaigns;
    private final Attributions attributions;
    private final DeviceSightings devices;
    private final People people;
    private final Rewards rewards;
    private final ReferralEvents events;
    private final FieldCipher cipher;
    private final Clock clock;
    private final MeterRegistry meters;
    private final int maxPeoplePerDevice;
    private final long pollMillis;
    private final Set<Integer> retry = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "siyu-referral-attributor");
        thread.setDaemon(true);
        return thread;
    });

    Attributor(Engine engine, ReferralExtension extension, ShareCodes codes, Campaigns campaigns, Attributions attributions,
            DeviceSightings devices, People people, Rewards rewards, ReferralEvents events, FieldCipher cipher, Clock clock,
            MeterRegistry meters, @Value("${siyu.referral.max-people-per-device:3}") int maxPeoplePerDevice,
            @Value("${siyu.referral.poll-ms:200}") long pollMillis) {
        this.engine = engine;
        this.extension = extension;
        this.codes = codes;
        this.campaigns = campaigns;
        this.attributions = attributions;
        this.devices = devices;
        this.people = people;
        this.rewards = rewards;
        this.events = events;
        this.cipher = cipher;
        this.clock = clock;
        this.meters = meters;
        this.maxPeoplePerDevice = maxPeoplePerDevice;
        this.pollMillis = pollMillis;
    }

    @Override
    public void run(ApplicationArguments args) {
        retry.addAll(attributions.tenantsWithUnrewarded());
        timer.scheduleWithFixedDelay(this::collectAll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Judges the tenant's pending conversions and rewards what is owed, now. */
    synchronized void collect(TenantId tenant) {
        List<Conversion> pending = engine.ask(tenant.value(), state -> state.part(ReferralExtension.ID, ReferralBook.class).pending());
        if (!pending.isEmpty()) {
            judge(tenant, pending);
            engine.ask(tenant.value(), state -> {
                state.part(ReferralExtension.ID, ReferralBook.class).judged(pending.size());
                return null;
            });
        }
        for (Attribution owed : attributions.unrewarded(tenant, 500)) {
            Optional<Campaign> campaign = campaigns.find(tenant, owed.campaignId());
            if (campaign.isPresent()) {
                reward(tenant, campaign.get(), owed);
            }
        }
    }

    private void collectAll() {
        Set<Integer> tenants = new TreeSet<>(extension.drainTenantsWithPending());
        tenants.addAll(retry);
        for (int tenant : tenants) {
            try {
                collect(new TenantId(tenant));
                retry.remove(tenant);
            } catch (RuntimeException e) {
                // the conversions stay in the engine, unrewarded attributions in the table: both are tried again
                retry.add(tenant);
                log.error("Could not attribute referral conversions of tenant {}; retrying", tenant, e);
            }
        }
    }

    private void judge(TenantId tenant, List<Conversion> pending) {
        Map<String, ShareCode> byCode = codes.find(tenant, pending.stream().map(Conversion::code).distinct().toList());
        List<People.@Nullable Known> friends = people.byIndex(tenant, pending.stream().map(Conversion::person).toList());
        Map<String, Optional<Campaign>> campaignCache = new HashMap<>();
        Instant now = clock.instant();
        List<ReferralEvents.Fact> facts = new ArrayList<>();
        Set<PersonId> judged = new HashSet<>();
        for (int i = 0; i < pending.size(); i++) {
            Conversion conversion = pending.get(i);
            ShareCode code = byCode.get(conversion.code());
            People.Known friend = friends.get(i);
            if (code == null || friend == null) {
                count("unknown-code");
                continue;
            }
            Optional<Campaign> campaign = campaignCache.computeIfAbsent(code.campaignId(), id -> campaigns.find(tenant, id));
            Instant at = Instant.ofEpochMilli(conversion.timestamp());
            if (campaign.isEmpty() || campaign.get().kind() != Campaign.Kind.INVITE || !campaign.get().runningAt(at)) {
                count("campaign-not-running");
                continue;
            }
            if (!judged.add(friend.id()) || attributions.exists(tenant, friend.id())) {
                count("repeat");
                continue;
            }
            String device = conversion.device() == null ? null : cipher.blindIndex(tenant, "device", conversion.device());
            if (device != null) {
                devices.record(tenant, device, friend.id(), now);
            }
            FraudChecks.Party friendParty = devices.party(tenant, friend, conversion.signals());
            FraudChecks.Party sharerParty = devices.party(tenant, people.of(tenant, code.sharer()), List.of());
            Attribution.Status status;
            String reason = null;
            FraudChecks.Verdict verdict = FraudChecks.self(friendParty, sharerParty);
            if (verdict instanceof FraudChecks.Verdict.Clean && conversion.existing()) {
                status = Attribution.Status.EXISTING;
                reason = "friend:existing-customer";
            } else {
                if (verdict instanceof FraudChecks.Verdict.Clean) {
                    verdict = FraudChecks.invite(friendParty, sharerParty, upstream(tenant, code.sharer()),
                            device == null ? 0 : devices.people(tenant, device), maxPeoplePerDevice);
                }
                if (verdict instanceof FraudChecks.Verdict.Flagged flagged) {
                    status = Attribution.Status.FLAGGED;
                    reason = flagged.reason();
                } else {
                    status = Attribution.Status.ATTRIBUTED;
                }
            }
            Attribution attribution = new Attribution(friend.id(), friend.nameable(), code.campaignId(), code.code(), code.sharer(),
                    code.identifier(), conversion.via(), conversion.messageId(), status, reason, null, at, now);
            if (!attributions.add(tenant, attribution)) {
                count("repeat");
                continue;
            }
            count(status.name().toLowerCase());
            if (status != Attribution.Status.EXISTING && friend.nameable() != null) {
                Map<String, String> properties = new LinkedHashMap<>();
                properties.put("campaign_id", code.campaignId());
                properties.put("referral_code", code.code());
                properties.put("status", status == Attribution.Status.FLAGGED ? "flagged" : "attributed");
                if (reason != null) {
                    properties.put("reason", reason);
                }
                facts.add(new ReferralEvents.Fact(friend.nameable(), ReferralEvents.ATTRIBUTED,
                        "referral-attributed-" + code.campaignId() + "-" + friend.id(), properties));
            }
        }
        events.record(tenant, facts); // before rewards (collect() gives them next): history reads attributed, then rewarded
    }

    private void reward(TenantId tenant, Campaign campaign, Attribution attribution) {
        Rewards.Given given = rewards.invite(tenant, campaign, attribution);
        attributions.rewarded(tenant, attribution.friend(), given.summary());
        events.record(tenant, given.facts());
    }

    /** Who invited the sharer, then who invited them, up to {@link #RING_DEPTH} steps, nearest first. */
    private List<FraudChecks.Party> upstream(TenantId tenant, PersonId sharer) {
        List<FraudChecks.Party> chain = new ArrayList<>();
        Set<PersonId> seen = new HashSet<>(Set.of(sharer));
        PersonId current = sharer;
        for (int depth = 0; depth < RING_DEPTH; depth++) {
            Optional<PersonId> inviter = attributions.inviterOf(tenant, current);
            if (inviter.isEmpty() || !seen.add(inviter.get())) {
                break;
            }
            chain.add(devices.party(tenant, people.of(tenant, inviter.get()), List.of()));
            current = inviter.get();
        }
        return chain;
    }

    private void count(String outcome) {
        meters.counter("siyu.referral.conversions", "outcome", outcome).increment();
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
