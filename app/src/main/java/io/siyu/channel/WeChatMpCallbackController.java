package io.siyu.channel;

import io.siyu.ingestion.Intake;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.PayloadTooLarge;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import me.chanjar.weixin.mp.bean.message.WxMpXmlMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official account's server callback ({@code 服务器配置 URL} = {@code <public-url>/callbacks/wechat-mp}):
 * WeChat signs each request with the configured token ({@code signature} = SHA-1 of the sorted
 * token, timestamp and nonce; with an EncodingAESKey the body is also encrypted and carries
 * {@code msg_signature}). Of the pushes, the template-send result ({@code TEMPLATESENDJOBFINISH},
 * status {@code success}, {@code failed:user block} or {@code failed: system failed}) becomes the
 * message's delivery report; follows, unfollows and referral QR scans become events of the tenant the
 * account names ({@link MpFollows}); other pushes are acknowledged and not recorded.
 */
@RestController
@RequestMapping("/callbacks/wechat-mp")
class WeChatMpCallbackController {

    static final int MAX_BODY = 64 * 1024;
    /** WeChat repeats a push within seconds; an older signature is a replay. */
    static final Duration FRESH = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(WeChatMpCallbackController.class);

    private final Channels channels;
    private final DeliveryReports reports;
    private final Intake intake;
    private final Tenants tenants;
    private final Clock clock;

    WeChatMpCallbackController(Channels channels, DeliveryReports reports, Intake intake, Tenants tenants, Clock clock) {
        this.channels = channels;
        this.reports = reports;
        this.intake = intake;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** URL verification when the operator saves the server configuration: echo {@code echostr}. */
    @GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
    String verify(@RequestParam(defaultValue = "") String signature, @RequestParam(defaultValue = "") String timestamp,
            @RequestParam(defaultValue = "") String nonce, @RequestParam(defaultValue = "") String echostr) {
        authenticate(signature, timestamp, nonce);
        return echostr;
    }

    @PostMapping(produces = MediaType.TEXT_PLAIN_VALUE)
    String push(@RequestParam(defaultValue = "") String signature, @RequestParam(defaultValue = "") String timestamp,
            @RequestParam(defaultValue = "") String nonce, @RequestParam(name = "encrypt_type", defaultValue = "raw") String encryptType,
            @RequestParam(name = "msg_signature", required = false) @Nullable String msgSignature,
            @RequestBody(required = false) @Nullable String body) {
        WeChatMp mp = authenticate(signature, timestamp, nonce);
        if (body == null || body.isBlank()) {
            throw new InvalidInput("body", "required", "the push has no body");
        }
        if (body.length() > MAX_BODY) {
            throw new PayloadTooLarge("body", MAX_BODY, "a WeChat push is at most " + MAX_BODY + " characters");
        }
        WxMpXmlMessage message;
        try {
            message = switch (encryptType) {
                case "raw" -> WxMpXmlMessage.fromXml(body);
                case "aes" -> {
                    if (msgSignature == null) {
                        throw new InvalidInput("msg_signature", "required", "an encrypted push carries msg_signature");
                    }
                    yield WxMpXmlMessage.fromEncryptedXml(body, mp.service().getWxMpConfigStorage(), timestamp, nonce, msgSignature);
                }
                default -> throw new InvalidInput("encrypt_type", "enum", "encrypt_type is raw or aes");
            };
        } catch (InvalidInput e) {
            throw e;
        } catch (RuntimeException e) { // XML that does not parse, or a body whose msg_signature does not match
            throw new InvalidInput("body", "format", "not a WeChat push this account can read / 无法解析的推送");
        }
        if ("TEMPLATESENDJOBFINISH".equals(message.getEvent()) && message.getMsgId() != null && message.getFromUser() != null) {
            String status = message.getStatus() == null ? "" : message.getStatus();
            reports.report("wechat-mp", message.getMsgId().toString(), message.getFromUser(),
                    status.equals("success") ? null : "WeChat " + status);
            return "success";
        }
        Optional<ObjectNode> follow = MpFollows.translate(mp.appId(), message);
        Optional<Tenant> tenant = mp.tenant().flatMap(tenants::findBySlug);
        if (follow.isPresent() && tenant.isPresent()) {
            ObjectNode event = follow.get();
            Intake.Result result = intake.accept(tenant.get().id(), List.of(new Intake.Message(event, "track", "", event.toString())),
                    "wechat-mp", null);
            if (!result.quarantined().isEmpty()) { // kept in quarantine with the reason; WeChat must not retry it
                log.warn("A follower push of the official account was quarantined: {}", result.quarantined().getFirst().errors());
            }
        } else if (follow.isPresent()) {
            log.debug("A follower push arrived but siyu.channels.wechat-mp.tenant names no tenant: not recorded");
        }
        return "success";
    }

    private WeChatMp authenticate(String signature, String timestamp, String nonce) {
        if (!(channels.provider("wechat-mp").orElse(null) instanceof WeChatMp mp)) {
            throw new NotFound("the official account channel is not enabled");
        }
        long at;
        try {
            at = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new NotFound("no such callback");
        }
        if (Math.abs(clock.millis() / 1000 - at) > FRESH.toSeconds() || signature.length() != 40 || nonce.isEmpty() || nonce.length() > 64
                || !mp.service().checkSignature(timestamp, nonce, signature)) {
            throw new NotFound("no such callback");
        }
        return mp;
    }
}
