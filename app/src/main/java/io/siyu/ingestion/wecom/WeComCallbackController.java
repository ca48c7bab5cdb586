package io.siyu.ingestion.wecom;

import io.siyu.ingestion.RequestBodies;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.ingestion.Intake;
import io.siyu.ingestion.WeComServiceCallbacks;
import io.siyu.ingestion.wecom.CallbackEvents.Translation;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import me.chanjar.weixin.cp.bean.message.WxCpXmlMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The URL a tenant enters as its WeCom app's callback: WeCom checks it with a signed, encrypted
 * {@code echostr}, then posts signed, encrypted XML for contact and group changes. Authentication is
 * the signature alone, so only the outer envelope is read before it verifies.
 *
 * <p>WeCom retries a callback not answered {@code success} within five seconds, three times; events
 * carry ids derived from the callback, so a retry is applied once. A callback whose events break
 * their schema is still answered {@code success}: a retry would break it again, and the quarantine
 * keeps it with the reason.
 *
 * <p>A WeCom Customer Service (微信客服) {@code kf_msg_or_event} callback only announces waiting
 * messages; it is handed to the {@link WeComServiceCallbacks} bean (the customer-service module),
 * which pulls them.
 */
@RestController
@RequestMapping("/wecom/callback/{tenantSlug}")
class WeComCallbackController {

    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(WeComCallbackController.class);
    private static final MediaType TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);
    static final String KF_EVENT = "kf_msg_or_event";
    private static final Pattern KF_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern KF_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final WeComApps apps;
    private final Intake intake;
    private final MeterRegistry meters;
    private final ObjectProvider<WeComServiceCallbacks> customerService;

    WeComCallbackController(WeComApps apps, Intake intake, MeterRegistry meters, ObjectProvider<WeComServiceCallbacks> customerService) {
        this.apps = apps;
        this.intake = intake;
        this.meters = meters;
        this.customerService = customerService;
    }

    /** URL verification (验证URL有效性): answers the decrypted echostr. */
    @GetMapping
    ResponseEntity<String> verify(@PathVariable String tenantSlug, @RequestParam("msg_signature") String signature,
            @RequestParam String timestamp, @RequestParam String nonce, @RequestParam String echostr) {
        WeComApp app = registration(tenantSlug).app();
        return ResponseEntity.ok().contentType(TEXT).body(app.open(signature, timestamp, nonce, echostr, "echostr"));
    }

    @PostMapping
    ResponseEntity<String> receive(@PathVariable String tenantSlug, @RequestParam("msg_signature") String signature,
            @RequestParam String timestamp, @RequestParam String nonce, HttpServletRequest request) throws IOException {
        WeComApps.Registration registration = registration(tenantSlug);
        WeComApp app = registration.app();
        String encrypted = CallbackXml.fields(read(request), "body").get("Encrypt");
        if (encrypted == null || encrypted.isEmpty()) {
            throw new InvalidInput("Encrypt", "required", "the callback body needs an <Encrypt> element");
        }
        String xml = app.open(signature, timestamp, nonce, encrypted, "Encrypt");
        CallbackXml.requireSafe(xml, "Encrypt");
        WxCpXmlMessage callback;
        try {
            callback = WxCpXmlMessage.fromXml(xml, app.agentId());
        } catch (RuntimeException e) {
            throw new InvalidInput("Encrypt", "xml", "the decrypted callback is not a WeCom message: " + e.getClass().getSimpleName());
        }
        if ("event".equals(callback.getMsgType()) && KF_EVENT.equals(callback.getEvent())) {
            kfMessagesWaiting(registration, callback);
            return ResponseEntity.ok().contentType(TEXT).body("success");
        }
        switch (CallbackEvents.translate(app.corpId(), callback)) {
            case Translation.Events events -> {
                if (!events.messages().isEmpty()) {
                    List<Intake.Message> messages = events.messages().stream()
                            .map(m -> new Intake.Message(m, "track", "", m.toString())).toList();
                    intake.accept(registration.tenant(), messages, "wecom", null);
                }
                count(events.type(), "applied");
            }
            case Translation.Ignored ignored -> {
                log.debug("Ignored WeCom callback '{}' of {}", ignored.type(), registration.tenant());
                count(ignored.type(), "ignored");
            }
        }
        return ResponseEntity.ok().contentType(TEXT).body("success");
    }

    /** 微信客服: checks the two fields WeCom sends and hands them over; without a customer-service module it is ignored. */
    private void kfMessagesWaiting(WeComApps.Registration registration, WxCpXmlMessage callback) {
        String openKfId = callback.getOpenKfId();
        String token = callback.getToken();
        if (openKfId == null || !KF_ID.matcher(openKfId).matches()) {
            throw new InvalidInput("OpenKfId", "pattern", "OpenKfId must be 1–64 letters, digits, '-' or '_'");
        }
        if (token == null || !KF_TOKEN.matcher(token).matches()) {
            throw new InvalidInput("Token", "pattern", "Token must be 1–128 letters, digits, '-' or '_'");
        }
        WeComServiceCallbacks target = customerService.getIfAvailable();
        if (target == null) {
            count(KF_EVENT, "ignored");
            return;
        }
        target.messagesWaiting(registration.tenant(), registration.app().corpId(), openKfId, token);
        count(KF_EVENT, "applied");
    }

    /** One answer for an unknown slug and an unconfigured tenant: the URL does not reveal which tenants exist. */
    private WeComApps.Registration registration(String tenantSlug) {
        return apps.findBySlug(tenantSlug)
                .orElseThrow(() -> new NotFound("no WeCom app is configured at this callback URL"));
    }

    private static String read(HttpServletRequest request) throws IOException {
        return new String(RequestBodies.read(request, MAX_BODY_BYTES, "WeCom callback"), StandardCharsets.UTF_8);
    }


    /** Types come from signed callbacks, yet anything unexpected is folded into one tag to bound cardinality. */
    private void count(String type, String outcome) {
        String tag = type.matches("[a-z_]{1,40}") ? type : "other";
        meters.counter("siyu.wecom.callbacks", "type", tag, "outcome", outcome).increment();
    }
}
