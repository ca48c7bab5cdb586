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
import org.springframework.transaction.support.TransactionTemplate;

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
    /** Attributions rewarded concurrently at a time. */
    static final int REWARD_BATCH = 256;

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
    private final TransactionTemplate transactions;
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
            DeviceSightings devices, People people, Rewards rewards, ReferralEvents events, FieldCipher cipher,
            TransactionTemplate transactions, Clock clock,
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
        this.transactions = transactions;
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
            // one transaction for the batch: one commit (and fsync) instead of two per conversion
            List<ReferralEvents.Fact> facts = transactions.execute(status -> judge(tenant, pending));
            events.record(tenant, facts); // before rewards: a friend's history reads attributed, then rewarded
            engine.ask(tenant.value(), state -> {
                state.part(ReferralExtension.ID, ReferralBook.class).judged(pending.size());
                return null;
            });
        }
        List<Attribution> owed;
        boolean allRewarded;
        do {
            owed = attributions.unrewarded(tenant, REWARD_BATCH);
            allRewarded = reward(tenant, owed);
        } while (allRewarded && owed.size() == REWARD_BATCH);
        if (!allRewarded) {
            retry.add(tenant.value());
        }
    }

    /**
     * Rewards a batch concurrently, so the coupon desk's group commit stores many coupons per round
     * trip instead of one attribution's coupons at a time; the facts go to the log in one call. An
     * attribution whose rewards failed stays ATTRIBUTED for the next round.
     *
     * @return false when some could not be rewarded
     */
    private boolean reward(TenantId tenant, List<Attribution> owed) {
        Map<String, Optional<Campaign>> campaignCache = new HashMap<>();
        List<ReferralEvents.Fact> facts = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<PersonId, String> summaries = new ConcurrentHashMap<>();
        List<java.util.concurrent.Future<Boolean>> done = new ArrayList<>(owed.size());
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Attribution attribution : owed) {
                Optional<Campaign> campaign = campaignCache.computeIfAbsent(attribution.campaignId(), id -> campaigns.find(tenant, id));
                if (campaign.isEmpty()) {
                    continue;
                }
                done.add(threads.submit(() -> {
                    try {
                        Rewards.Given given = rewards.invite(tenant, campaign.get(), attribution);
                        summaries.put(attribution.friend(), given.summary());
                        facts.addAll(given.facts());
                        return true;
                    } catch (RuntimeException e) {
                        log.error("Could not reward the referral of {} in tenant {}; retrying", attribution.friend(), tenant.value(), e);
                        return false;
                    }
                }));
            }
        }
        transactions.executeWithoutResult(status -> attributions.rewarded(tenant, summaries));
        events.record(tenant, facts);
        return done.stream().allMatch(java.util.concurrent.Future::resultNow);
    }

    private void collectAll() {
        Set<Integer> tenants = new TreeSet<>(extension.drainTenantsWithPending());
        tenants.addAll(retry);
        for (int tenant : tenants) {
            retry.remove(tenant); // collect() puts it back when rewards remain owed
            try {
                collect(new TenantId(tenant));
            } catch (RuntimeException e) {
                // the conversions stay in the engine, unrewarded attributions in the table: both are tried again
                retry.add(tenant);
                log.error("Could not attribute referral conversions of tenant {}; retrying", tenant, e);
            }
        }
    }

    /**
     * Judges and stores the conversions; returns the Referral Attributed facts to record. Reads are
     * made once per batch (who was judged, devices, inviter chains, identities) and writes are two
     * statement batches, because a round trip, not the rules, is what a conversion costs.
     */
    private List<ReferralEvents.Fact> judge(TenantId tenant, List<Conversion> pending) {
        Map<String, ShareCode> byCode = codes.find(tenant, pending.stream().map(Conversion::code).distinct().toList());
        List<People.@Nullable Known> friends = people.byIndex(tenant, pending.stream().map(Conversion::person).toList());
        List<PersonId> sharerIds = byCode.values().stream().map(ShareCode::sharer).distinct().toList();
        Map<PersonId, PersonId> inviters = inviterChains(tenant, sharerIds);
        Set<PersonId> involved = new HashSet<>(sharerIds);
        involved.addAll(inviters.values());
        Map<PersonId, People.Known> known = new HashMap<>();
        List<People.@Nullable Known> resolved = people.byIndex(tenant, involved.stream().map(PersonId::index).toList());
        resolved.forEach(k -> {
            if (k != null) {
                known.put(k.id(), k);
            }
        });
        List<PersonId> friendIds = friends.stream().filter(java.util.Objects::nonNull).map(People.Known::id).toList();
        involved.addAll(friendIds);
        Set<PersonId> judged = new HashSet<>(attributions.judged(tenant, friendIds));
        Map<String, String> deviceHashes = new HashMap<>();
        pending.stream().map(Conversion::device).filter(java.util.Objects::nonNull).distinct()
                .forEach(d -> deviceHashes.put(d, cipher.blindIndex(tenant, "device", d)));
        DeviceSightings.Seen seen = devices.seen(tenant, involved, deviceHashes.values());
        Map<String, Optional<Campaign>> campaignCache = new HashMap<>();
        Instant now = clock.instant();
        List<ReferralEvents.Fact> facts = new ArrayList<>();
        List<Attribution> stored = new ArrayList<>();
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
            if (!judged.add(friend.id())) {
                count("repeat");
                continue;
            }
            String device = conversion.device() == null ? null : deviceHashes.get(conversion.device());
            if (device != null) {
                seen.add(device, friend.id());
            }
            FraudChecks.Party friendParty = seen.party(friend, conversion.signals());
            FraudChecks.Party sharerParty = seen.party(known.getOrDefault(code.sharer(), new People.Known(code.sharer(), List.of())), List.of());
            Attribution.Status status;
            String reason = null;
            FraudChecks.Verdict verdict = FraudChecks.self(friendParty, sharerParty);
            if (verdict instanceof FraudChecks.Verdict.Clean && conversion.existing()) {
                status = Attribution.Status.EXISTING;
                reason = "friend:existing-customer";
            } else {
                if (verdict instanceof FraudChecks.Verdict.Clean) {
                    verdict = FraudChecks.invite(friendParty, sharerParty, upstream(code.sharer(), inviters, known, seen),
                            device == null ? 0 : seen.people(device), maxPeoplePerDevice);
                }
                if (verdict instanceof FraudChecks.Verdict.Flagged flagged) {
                    status = Attribution.Status.FLAGGED;
                    reason = flagged.reason();
                } else {
                    status = Attribution.Status.ATTRIBUTED;
                    inviters.put(friend.id(), code.sharer()); // a later friend in this batch may close a ring through them
                }
            }
            Attribution attribution = new Attribution(friend.id(), friend.nameable(), code.campaignId(), code.code(), code.sharer(),
                    code.identifier(), conversion.via(), conversion.messageId(), status, reason, null, at, now);
            stored.add(attribution);
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
        devices.record(tenant, seen.added(), now);
        attributions.addAll(tenant, stored);
        return facts;
    }

    /** Who invited each of {@code people}, and who invited those, up to {@link #RING_DEPTH} steps: one query per step. */
    private Map<PersonId, PersonId> inviterChains(TenantId tenant, List<PersonId> people) {
        Map<PersonId, PersonId> inviters = new HashMap<>();
        Set<PersonId> frontier = new HashSet<>(people);
        for (int depth = 0; depth < RING_DEPTH && !frontier.isEmpty(); depth++) {
            Map<PersonId, PersonId> found = attributions.invitersOf(tenant, frontier);
            frontier = new HashSet<>();
            for (Map.Entry<PersonId, PersonId> e : found.entrySet()) {
                if (inviters.putIfAbsent(e.getKey(), e.getValue()) == null && !inviters.containsKey(e.getValue())) {
                    frontier.add(e.getValue());
                }
            }
        }
        return inviters;
    }

    /** Who invited the sharer, then who invited them, up to {@link #RING_DEPTH} steps, nearest first. */
    private static List<FraudChecks.Party> upstream(PersonId sharer, Map<PersonId, PersonId> inviters, Map<PersonId, People.Known> known,
            DeviceSightings.Seen seen) {
        List<FraudChecks.Party> chain = new ArrayList<>();
        Set<PersonId> visited = new HashSet<>(Set.of(sharer));
        PersonId current = sharer;
        for (int depth = 0; depth < RING_DEPTH; depth++) {
            PersonId inviter = inviters.get(current);
            if (inviter == null || !visited.add(inviter)) {
                break;
            }
            chain.add(seen.party(known.getOrDefault(inviter, new People.Known(inviter, List.of())), List.of()));
            current = inviter;
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
