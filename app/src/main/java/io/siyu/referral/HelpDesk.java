package io.siyu.referral;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * "Invite N friends to help" (好友助力): starts tasks, counts each friend's help once, rewards the
 * owner when the goal is reached and owes the ERP a fulfilment notice in the same transaction as the
 * help that completed the task. A completed task whose reward failed (coupon store unavailable) is
 * rewarded by a sweep every few seconds; rewards are idempotent on the task.
 */
@Service
class HelpDesk implements ApplicationRunner, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HelpDesk.class);

    /** What a help request came to, with the task as it is now. */
    record Outcome(HelpTask task, boolean counted, @Nullable String reason) {}

    private final HelpTasks tasks;
    private final Campaigns campaigns;
    private final People people;
    private final DeviceSightings devices;
    private final Rewards rewards;
    private final ReferralEvents events;
    private final NoticeSender sender;
    private final FieldCipher cipher;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxPeoplePerDevice;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "siyu-referral-help-rewards");
        thread.setDaemon(true);
        return thread;
    });

    HelpDesk(HelpTasks tasks, Campaigns campaigns, People people, DeviceSightings devices, Rewards rewards, ReferralEvents events,
            NoticeSender sender, FieldCipher cipher, JsonMapper json, Clock clock,
            @Value("${siyu.referral.max-people-per-device:3}") int maxPeoplePerDevice) {
        this.tasks = tasks;
        this.campaigns = campaigns;
        this.people = people;
        this.devices = devices;
        this.rewards = rewards;
        this.events = events;
        this.sender = sender;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
        this.maxPeoplePerDevice = maxPeoplePerDevice;
    }

    @Override
    public void run(ApplicationArguments args) {
        timer.scheduleWithFixedDelay(this::rewardAllOwed, 5, 5, TimeUnit.SECONDS);
    }

    /** The owner's task in a running HELP campaign, started now or before. */
    HelpTask start(TenantId tenant, Campaign campaign, People.Known owner, String ownerIdentifier, @Nullable String device) {
        Instant now = clock.instant();
        if (device != null) {
            devices.record(tenant, cipher.blindIndex(tenant, "device", device), owner.id(), now);
        }
        int hours = campaign.taskHours() == null ? 24 : campaign.taskHours();
        Instant expires = now.plus(Duration.ofHours(hours));
        if (expires.isAfter(campaign.endsAt())) {
            expires = campaign.endsAt();
        }
        return tasks.start(tenant, ShareCode.generate(), campaign, owner.id(), ownerIdentifier, now, expires);
    }

    /** A friend helps a task; see {@link Outcome#reason()} for why a help did not count. */
    Outcome help(TenantId tenant, HelpTask task, Campaign campaign, People.Known helper, String helperIdentifier, @Nullable String device) {
        Instant now = clock.instant();
        if (task.status() == HelpTask.Status.OPEN && (task.expiredAt(now) || !campaign.runningAt(now))) {
            return new Outcome(task, false, task.expiredAt(now) ? "task:expired" : "campaign:not-running");
        }
        String deviceHash = device == null ? null : cipher.blindIndex(tenant, "device", device);
        if (deviceHash != null) {
            devices.record(tenant, deviceHash, helper.id(), now);
        }
        FraudChecks.Verdict verdict = FraudChecks.help(devices.party(tenant, helper, List.of()), devices.party(tenant, people.of(tenant, task.owner()), List.of()),
                deviceHash == null ? 0 : devices.people(tenant, deviceHash), maxPeoplePerDevice);
        String flag = verdict instanceof FraudChecks.Verdict.Flagged flagged ? flagged.reason() : null;
        FulfilmentNotices.Notice notice = campaign.fulfilmentWebhook() == null ? null
                : new FulfilmentNotices.Notice("help-" + task.id(), campaign.fulfilmentWebhook(), noticeBody(tenant, task, campaign, now));
        return switch (tasks.help(tenant, task, helper.id(), helperIdentifier, flag, now, notice)) {
            case HelpTasks.Help.Counted counted -> {
                if (counted.completed()) {
                    sender.wake();
                    reward(tenant, campaign, counted.task());
                }
                yield new Outcome(counted.task(), true, null);
            }
            case HelpTasks.Help.NotCounted notCounted -> new Outcome(notCounted.task(), false, notCounted.reason());
            case HelpTasks.Help.Repeated repeated -> new Outcome(repeated.task(), false, "helper:already-helped");
        };
    }

    private void reward(TenantId tenant, Campaign campaign, HelpTask task) {
        try {
            Rewards.Given given = rewards.task(tenant, campaign, task);
            tasks.rewarded(tenant, task.id(), given.summary(), clock.instant());
            List<ReferralEvents.Fact> facts = new ArrayList<>(given.facts());
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("campaign_id", campaign.id());
            properties.put("task_id", task.id());
            facts.addFirst(new ReferralEvents.Fact(task.ownerIdentifier(), ReferralEvents.TASK_COMPLETED, "help-task-completed-" + task.id(),
                    properties));
            events.record(tenant, facts);
        } catch (RuntimeException e) {
            // the task stays unrewarded and the sweep tries again; the help itself is stored
            log.error("Could not reward help task {} of tenant {}; the sweep retries", task.id(), tenant.value(), e);
        }
    }

    /** Rewards completed tasks whose reward failed before. */
    void rewardOwed(TenantId tenant) {
        for (HelpTask task : tasks.unrewarded(tenant, 200)) {
            Optional<Campaign> campaign = campaigns.find(tenant, task.campaignId());
            campaign.ifPresent(c -> reward(tenant, c, task));
        }
    }

    private void rewardAllOwed() {
        try {
            tasks.tenantsWithUnrewarded().forEach(t -> rewardOwed(new TenantId(t)));
        } catch (RuntimeException e) {
            log.error("Could not sweep unrewarded help tasks; retrying", e);
        }
    }

    private String noticeBody(TenantId tenant, HelpTask task, Campaign campaign, Instant completedAt) {
        ObjectNode body = json.createObjectNode();
        body.put("id", "help-" + task.id());
        body.put("type", "help_task.completed");
        body.put("campaign", campaign.id());
        body.put("task", task.id());
        body.put("person", task.owner().toString());
        body.put("identifier", task.ownerIdentifier());
        if (campaign.fulfilmentSku() != null) {
            body.put("sku", campaign.fulfilmentSku());
        }
        body.put("helpers", task.needed());
        body.put("completedAt", completedAt.toString());
        return json.writeValueAsString(body);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
