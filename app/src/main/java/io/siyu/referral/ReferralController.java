package io.siyu.referral;

import io.siyu.channel.OfficialAccountQr;
import io.siyu.coupon.CouponDesk;
import io.siyu.identity.Identifier;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Referral campaigns, share codes and posters, attributions and the review list of flagged ones,
 * help tasks with their live progress, and the fulfilment notices sent to the ERP.
 */
@RestController
@RequestMapping("/api/v1/referrals")
class ReferralController {

    static final int MAX_REWARDS = 5;
    static final int MAX_LIMIT = 500;

    record CampaignBody(@Nullable String id, @Nullable String name, @Nullable String kind, @Nullable String startsAt,
            @Nullable String endsAt, @Nullable String landingUrl, @Nullable String sharerReward, @Nullable List<String> friendRewards,
            @Nullable Integer helpersNeeded, @Nullable Integer taskHours, @Nullable String fulfilmentWebhook, @Nullable String fulfilmentSku) {}

    record StatusBody(@Nullable String status) {}

    record PersonBody(@Nullable String identifier, @Nullable String device) {}

    private final Campaigns campaigns;
    private final ShareCodes codes;
    private final Attributions attributions;
    private final Attributor attributor;
    private final HelpTasks tasks;
    private final HelpDesk helpDesk;
    private final FulfilmentNotices notices;
    private final People people;
    private final CouponDesk coupons;
    private final DeviceSightings devices;
    private final FieldCipher cipher;
    private final JsonMapper json;
    private final Clock clock;
    private final OfficialAccountQr officialAccount;

    ReferralController(Campaigns campaigns, ShareCodes codes, Attributions attributions, Attributor attributor, HelpTasks tasks,
            HelpDesk helpDesk, FulfilmentNotices notices, People people, CouponDesk coupons, DeviceSightings devices, FieldCipher cipher,
            JsonMapper json, Clock clock, OfficialAccountQr officialAccount) {
        this.campaigns = campaigns;
        this.codes = codes;
        this.attributions = attributions;
        this.attributor = attributor;
        this.tasks = tasks;
        this.helpDesk = helpDesk;
        this.notices = notices;
        this.people = people;
        this.coupons = coupons;
        this.devices = devices;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
        this.officialAccount = officialAccount;
    }

    @PostMapping("/campaigns")
    Map<String, Object> create(TenantId tenant, @RequestBody(required = false) @Nullable String body) {
        Campaign campaign = campaign(tenant, Inputs.body(json, body, CampaignBody.class));
        if (!campaigns.create(tenant, campaign)) {
            throw new InvalidInput("id", "unique", "活动 '" + campaign.id() + "' 已存在 / campaign '" + campaign.id() + "' exists already");
        }
        return view(tenant, campaign);
    }

    @GetMapping("/campaigns")
    List<Map<String, Object>> list(TenantId tenant) {
        return campaigns.all(tenant).stream().map(c -> view(tenant, c)).toList();
    }

    @GetMapping("/campaigns/{id}")
    Map<String, Object> get(TenantId tenant, @PathVariable String id) {
        attributor.collect(tenant);
        return view(tenant, campaign(tenant, id));
    }

    /** Pauses, resumes or ends a campaign; an ended campaign stays ended. */
    @PostMapping("/campaigns/{id}/status")
    Map<String, Object> status(TenantId tenant, @PathVariable String id, @RequestBody(required = false) @Nullable String body) {
        Campaign campaign = campaign(tenant, id);
        String text = Inputs.body(json, body, StatusBody.class).status();
        Campaign.Status next = enumOf(Campaign.Status.class, "status", text);
        if (campaign.status() == Campaign.Status.ENDED && next != Campaign.Status.ENDED) {
            throw new InvalidInput("status", "transition", "已结束的活动不能重开 / an ended campaign cannot be reopened");
        }
        campaigns.setStatus(tenant, id, next);
        return view(tenant, campaign.withStatus(next));
    }

    /** The person's share code for the campaign (made on first request, the same afterwards), link, contact-way state and poster. */
    @PostMapping("/campaigns/{id}/codes")
    Map<String, Object> code(TenantId tenant, @PathVariable String id, @RequestBody(required = false) @Nullable String body) {
        Campaign campaign = campaign(tenant, id);
        PersonBody person = Inputs.body(json, body, PersonBody.class);
        Identifier identifier = Inputs.nameable("identifier", person.identifier());
        Inputs.device(person.device());
        if (campaign.status() == Campaign.Status.ENDED || !clock.instant().isBefore(campaign.endsAt())) {
            throw new InvalidInput("campaign", "ended", "活动已结束 / the campaign has ended");
        }
        People.Known sharer = known(tenant, identifier);
        if (person.device() != null) {
            devices.record(tenant, cipher.blindIndex(tenant, "device", person.device()), sharer.id(), clock.instant());
        }
        ShareCode code = codes.codeFor(tenant, campaign.id(), sharer.id(), identifier.toString(), clock.instant());
        return codeView(campaign, code);
    }

    @GetMapping("/codes/{code}")
    Map<String, Object> code(TenantId tenant, @PathVariable String code) {
        ShareCode found = shareCode(tenant, code);
        return codeView(campaign(tenant, found.campaignId()), found);
    }

    /**
     * The share poster. Its QR code opens the campaign's landing link, or with {@code via=wechat-mp}
     * the official account's follow page with the scene {@code ref:<code>}, so a friend who follows
     * there is attributed to the sharer.
     */
    @GetMapping(value = "/codes/{code}/poster.png", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> poster(TenantId tenant, @PathVariable String code, @RequestParam(defaultValue = "link") String via) {
        ShareCode found = shareCode(tenant, code);
        Campaign campaign = campaign(tenant, found.campaignId());
        return switch (via) {
            case "link" -> ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).header("Cache-Control", "private, max-age=86400")
                    .body(Poster.png(campaign.link(found.code()), found.code()));
            case "wechat-mp" -> {
                OfficialAccountQr.FollowQr qr = officialAccount.follow(tenant, "ref:" + found.code());
                long seconds = Math.max(0, Duration.between(clock.instant(), qr.expiresAt()).toSeconds() - 86_400);
                yield ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).header("Cache-Control", "private, max-age=" + Math.min(seconds, 86_400))
                        .body(Poster.png(qr.content(), found.code()));
            }
            default -> throw new InvalidInput("via", "enum", "via is link or wechat-mp");
        };
    }

    /** A campaign's attributions, newest first; {@code sharer} (an identifier) and {@code status} narrow them. */
    @GetMapping("/campaigns/{id}/attributions")
    List<Map<String, Object>> attributions(TenantId tenant, @PathVariable String id, @RequestParam(required = false) @Nullable String sharer,
            @RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "100") int limit) {
        campaign(tenant, id);
        limit(limit);
        Attribution.Status wanted = status == null ? null : enumOf(Attribution.Status.class, "status", status);
        var sharerId = sharer == null ? null : known(tenant, Inputs.identifier("sharer", sharer)).id();
        attributor.collect(tenant);
        return attributions.of(tenant, id, sharerId, wanted, limit).stream().map(ReferralController::view).toList();
    }

    /** The review list: flagged attributions and helps, each with its reason. */
    @GetMapping("/flags")
    Map<String, Object> flags(TenantId tenant, @RequestParam(defaultValue = "100") int limit) {
        limit(limit);
        attributor.collect(tenant);
        return Map.of("attributions", attributions.flagged(tenant, limit).stream().map(ReferralController::view).toList(),
                "helps", tasks.flagged(tenant, limit).stream().map(h -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("task", h.taskId());
                    v.put("helper", h.person().toString());
                    v.put("identifier", h.identifier());
                    v.put("reason", h.reason());
                    v.put("at", h.at().toString());
                    return v;
                }).toList());
    }

    /** Starts the person's help task in a HELP campaign (or answers the one they started). */
    @PostMapping("/campaigns/{id}/tasks")
    Map<String, Object> start(TenantId tenant, @PathVariable String id, @RequestBody(required = false) @Nullable String body) {
        Campaign campaign = campaign(tenant, id);
        PersonBody person = Inputs.body(json, body, PersonBody.class);
        Identifier identifier = Inputs.nameable("identifier", person.identifier());
        String device = Inputs.device(person.device());
        if (campaign.kind() != Campaign.Kind.HELP) {
            throw new InvalidInput("campaign", "kind", "只有助力活动有任务 / only HELP campaigns have tasks");
        }
        if (!campaign.runningAt(clock.instant())) {
            throw new InvalidInput("campaign", "not-running", "活动未在进行中 / the campaign is not running");
        }
        HelpTask task = helpDesk.start(tenant, campaign, known(tenant, identifier), identifier.toString(), device);
        return progress(tenant, task);
    }

    @GetMapping("/tasks/{taskId}")
    Map<String, Object> task(TenantId tenant, @PathVariable String taskId) {
        return progress(tenant, task(tenant, Inputs.code("taskId", taskId), true));
    }

    /** A friend helps; {@code counted} false with a {@code reason} when the help does not count. */
    @PostMapping("/tasks/{taskId}/helps")
    Map<String, Object> help(TenantId tenant, @PathVariable String taskId, @RequestBody(required = false) @Nullable String body) {
        HelpTask task = task(tenant, Inputs.code("taskId", taskId), true);
        PersonBody person = Inputs.body(json, body, PersonBody.class);
        Identifier identifier = Inputs.identifier("identifier", person.identifier());
        String device = Inputs.device(person.device());
        People.Known helper = known(tenant, identifier);
        HelpDesk.Outcome outcome = helpDesk.help(tenant, task, campaign(tenant, task.campaignId()), helper, identifier.toString(), device);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("counted", outcome.counted());
        if (outcome.reason() != null) {
            view.put("reason", outcome.reason());
        }
        view.put("task", progress(tenant, tasks.find(tenant, task.id()).orElseThrow()));
        return view;
    }

    @GetMapping("/notices")
    List<Map<String, Object>> notices(TenantId tenant, @RequestParam(defaultValue = "100") int limit) {
        limit(limit);
        return notices.of(tenant, limit).stream().map(n -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("messageId", n.messageId());
            v.put("endpoint", n.endpoint());
            v.put("status", n.status());
            v.put("attempts", n.attempts());
            v.put("nextAttemptAt", n.nextAttemptAt().toString());
            v.put("lastError", n.lastError());
            v.put("sentAt", n.sentAt() == null ? null : n.sentAt().toString());
            v.put("body", json.readTree(n.body()));
            return v;
        }).toList();
    }

    @PostMapping("/notices/{messageId}/replay")
    Map<String, Object> replay(TenantId tenant, @PathVariable String messageId) {
        if (!notices.replay(tenant, Inputs.text("messageId", messageId, 100), clock.instant())) {
            throw new NotFound("no failed or dead notice " + abbreviate(messageId) + " / 没有可重发的通知");
        }
        return Map.of("messageId", messageId, "status", "PENDING");
    }

    private Campaign campaign(TenantId tenant, CampaignBody body) {
        List<Violation> violations = new ArrayList<>();
        String id = collect(violations, () -> Inputs.id("id", body.id()));
        String name = collect(violations, () -> Inputs.text("name", body.name(), 100));
        Campaign.Kind kind = collect(violations, () -> enumOf(Campaign.Kind.class, "kind", body.kind()));
        Instant starts = collect(violations, () -> Inputs.instant("startsAt", body.startsAt()));
        Instant ends = collect(violations, () -> Inputs.instant("endsAt", body.endsAt()));
        String landing = collect(violations, () -> webUrl(body.landingUrl()));
        if (starts != null && ends != null && !ends.isAfter(starts)) {
            violations.add(new Violation("endsAt", "order", "结束须晚于开始 / endsAt must be after startsAt"));
        }
        List<String> friendRewards = body.friendRewards() == null ? List.of() : body.friendRewards();
        if (friendRewards.size() > MAX_REWARDS) {
            violations.add(new Violation("friendRewards", "size", "最多 " + MAX_REWARDS + " 张券 / at most " + MAX_REWARDS + " coupon templates"));
            friendRewards = List.of();
        }
        for (int i = 0; i < friendRewards.size(); i++) {
            requireTemplate(tenant, "friendRewards[" + i + "]", friendRewards.get(i), violations);
        }
        Integer helpers = body.helpersNeeded();
        Integer hours = body.taskHours();
        String webhook = body.fulfilmentWebhook();
        String sku = collect(violations, () -> Inputs.optionalText("fulfilmentSku", body.fulfilmentSku(), 64));
        if (kind == Campaign.Kind.INVITE) {
            requireTemplate(tenant, "sharerReward", body.sharerReward(), violations);
            if (helpers != null || hours != null || webhook != null || sku != null) {
                violations.add(new Violation("kind", "fields", "邀请活动没有助力字段 / INVITE campaigns take no helpersNeeded, taskHours, "
                        + "fulfilmentWebhook or fulfilmentSku"));
            }
        } else if (kind == Campaign.Kind.HELP) {
            if (body.sharerReward() != null) {
                violations.add(new Violation("sharerReward", "kind", "助力活动的奖励用 friendRewards / HELP campaigns reward the task owner with friendRewards"));
            }
            if (helpers == null || helpers < 1 || helpers > 1000) {
                violations.add(new Violation("helpersNeeded", "range", "助力人数 1–1000 / helpersNeeded must be 1–1000"));
            }
            if (hours != null && (hours < 1 || hours > 8760)) {
                violations.add(new Violation("taskHours", "range", "任务时长 1–8760 小时 / taskHours must be 1–8760"));
            }
            if (webhook != null) {
                collect(violations, () -> Inputs.id("fulfilmentWebhook", webhook));
            }
            if (friendRewards.isEmpty() && webhook == null) {
                violations.add(new Violation("friendRewards", "required", "助力成功须有奖励或发货通知 / a HELP campaign needs friendRewards or a "
                        + "fulfilmentWebhook"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        return new Campaign(id, name, kind, Campaign.Status.ACTIVE, starts, ends, landing, body.sharerReward(), friendRewards, helpers,
                hours, webhook, sku, clock.instant());
    }

    private void requireTemplate(TenantId tenant, String field, @Nullable String id, List<Violation> violations) {
        if (id == null || id.isBlank() || id.length() > 64) {
            violations.add(new Violation(field, "required", field + " 须为券模板 ID / " + field + " must name a coupon template"));
        } else if (coupons.template(tenant, id).isEmpty()) {
            violations.add(new Violation(field, "exists", "券模板 '" + abbreviate(id) + "' 不存在 / no coupon template '" + abbreviate(id) + "'"));
        }
    }

    private static String webUrl(@Nullable String value) {
        String text = Inputs.text("landingUrl", value, 500);
        try {
            URI uri = URI.create(text.replace("{code}", "CODE"));
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return text;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new InvalidInput("landingUrl", "http-url", "landingUrl 须为 http(s) 链接 / landingUrl must be an http(s) URL with a host; "
                + "{code} in it is replaced by the share code");
    }

    private static <T> @Nullable T collect(List<Violation> violations, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidInput e) {
            violations.addAll(e.violations());
            return null;
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String field, @Nullable String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value == null ? "" : value)) {
                return constant;
            }
        }
        throw new InvalidInput(field, "enum", field + " 须为 " + java.util.Arrays.toString(type.getEnumConstants()) + " 之一 / " + field
                + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    private static void limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInput("limit", "range", "limit 须为 1–" + MAX_LIMIT + " / limit must be 1–" + MAX_LIMIT);
        }
    }

    private Campaign campaign(TenantId tenant, String id) {
        return campaigns.find(tenant, id).orElseThrow(() -> new NotFound("no referral campaign '" + abbreviate(id) + "' / 活动不存在"));
    }

    private ShareCode shareCode(TenantId tenant, String code) {
        Inputs.code("code", code);
        return codes.find(tenant, code).orElseThrow(() -> new NotFound("no share code " + code + " / 分享码不存在"));
    }

    private HelpTask task(TenantId tenant, String id, boolean required) {
        return tasks.find(tenant, id).orElseThrow(() -> new NotFound("no help task " + id + " / 助力任务不存在"));
    }

    private People.Known known(TenantId tenant, Identifier identifier) {
        return people.find(tenant, identifier).orElseThrow(() -> new NotFound("nobody is known as " + abbreviate(identifier.toString())
                + " / 查无此人"));
    }

    private Map<String, Object> view(TenantId tenant, Campaign c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", c.id());
        v.put("name", c.name());
        v.put("kind", c.kind().name());
        v.put("status", c.status().name());
        v.put("running", c.runningAt(clock.instant()));
        v.put("startsAt", c.startsAt().toString());
        v.put("endsAt", c.endsAt().toString());
        v.put("landingUrl", c.landingUrl());
        if (c.kind() == Campaign.Kind.INVITE) {
            v.put("sharerReward", c.sharerReward());
            v.put("friendRewards", c.friendRewards());
            v.put("attributions", attributions.counts(tenant, c.id()));
        } else {
            v.put("helpersNeeded", c.helpersNeeded());
            v.put("taskHours", c.taskHours() == null ? 24 : c.taskHours());
            v.put("ownerRewards", c.friendRewards());
            v.put("fulfilmentWebhook", c.fulfilmentWebhook());
            v.put("fulfilmentSku", c.fulfilmentSku());
        }
        return v;
    }

    private static Map<String, Object> codeView(Campaign campaign, ShareCode code) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("code", code.code());
        v.put("campaign", campaign.id());
        v.put("sharer", code.sharer().toString());
        v.put("link", campaign.link(code.code()));
        v.put("state", code.state());
        v.put("poster", "/api/v1/referrals/codes/" + code.code() + "/poster.png");
        return v;
    }

    private static Map<String, Object> view(Attribution a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("friend", a.friend().toString());
        v.put("friendIdentifier", a.friendIdentifier());
        v.put("campaign", a.campaignId());
        v.put("code", a.code());
        v.put("sharer", a.sharer().toString());
        v.put("sharerIdentifier", a.sharerIdentifier());
        v.put("via", a.via());
        v.put("status", a.status().name());
        v.put("reason", a.reason());
        v.put("rewards", a.rewards());
        v.put("occurredAt", a.occurredAt().toString());
        return v;
    }

    private Map<String, Object> progress(TenantId tenant, HelpTask task) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", task.id());
        v.put("campaign", task.campaignId());
        v.put("owner", task.owner().toString());
        v.put("helped", task.helped());
        v.put("needed", task.needed());
        v.put("progress", task.helped() + "/" + task.needed());
        v.put("status", task.expiredAt(clock.instant()) ? "EXPIRED" : task.status().name());
        v.put("expiresAt", task.expiresAt().toString());
        v.put("rewards", task.rewards());
        v.put("helpers", tasks.helpers(tenant, task.id()).stream().filter(HelpTasks.Helper::counted)
                .map(h -> Map.of("who", Inputs.mask(h.identifier()), "at", h.at().toString())).toList());
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
