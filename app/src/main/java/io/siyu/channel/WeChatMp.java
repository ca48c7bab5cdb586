package io.siyu.channel;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.bean.subscribe.WxMpSubscribeMessage;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateData;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateMessage;
import org.jspecify.annotations.Nullable;

/**
 * The official-account provider (公众号): template messages ({@code message/template/send}) and
 * subscribe notifications ({@code message/subscribe/bizsend}) to the person's {@code openid}. The
 * message's subject and body are an {@link MpMessage}. WxJava fetches and caches the access token
 * and fetches a new one once when WeChat says it expired (40001, 42001, 40014).
 *
 * <p>Idempotency: template messages carry {@code client_msg_id} = the outbox message id, which
 * WeChat uses to drop a repeat to the same openid for about ten minutes; the outbox's first retries
 * all fall inside that window, so a template message whose answer was lost is retried. Subscribe
 * notifications have no such key, so there a failure after the request was written is final.
 * Retried: WeChat's busy and frequency codes (-1 busy, 45009 daily quota reached, 45011 per-minute
 * frequency) and refused connections. Final, with WeChat's code in the reason: 43101 (the person
 * refused or has not subscribed to this notification / 用户拒收), 43004 (not following), 40003
 * (unknown openid), 40037 (unknown template) and every other code.
 */
final class WeChatMp implements ChannelProvider {

    static final Set<Integer> RETRYABLE = Set.of(-1, 45009, 45011);

    private final WxMpService service;
    private final @Nullable String tenant;

    /** @param tenant slug of the tenant whose people follow this account; null: its follows are not recorded */
    WeChatMp(WxMpService service, @Nullable String tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /** The account's AppID: an openid identity of this account is {@code openid:<appId>:<openid>}. */
    String appId() {
        return service.getWxMpConfigStorage().getAppId();
    }

    /** The tenant whose people follow this account, when configured. */
    Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    @Override
    public String id() {
        return "wechat-mp";
    }

    /** For the account's server callbacks: signature check, decryption with the account's settings. */
    WxMpService service() {
        return service;
    }

    @Override
    public Delivery send(OutgoingMessage message) {
        MpMessage mp;
        try {
            mp = MpMessage.parse(message.subject(), message.body());
        } catch (IllegalArgumentException e) {
            return new Delivery.Rejected("wechat-mp: " + e.getMessage());
        }
        try {
            String reference = switch (mp.kind()) {
                case TEMPLATE -> {
                    WxMpTemplateMessage template = new WxMpTemplateMessage();
                    template.setToUser(message.address());
                    template.setTemplateId(mp.templateId());
                    template.setUrl(mp.url());
                    template.setClientMsgId(message.messageId());
                    mp.data().forEach((name, value) -> template.addData(new WxMpTemplateData(name, value)));
                    yield service.getTemplateMsgService().sendTemplateMsg(template);
                }
                case SUBSCRIBE -> {
                    WxMpSubscribeMessage subscribe = new WxMpSubscribeMessage();
                    subscribe.setToUser(message.address());
                    subscribe.setTemplateId(mp.templateId());
                    subscribe.setPage(mp.url());
                    subscribe.setDataMap(new java.util.LinkedHashMap<>(mp.data()));
                    yield service.getSubscribeMsgService().send(subscribe);
                }
            };
            return new Delivery.Sent(reference == null ? "" : reference, false);
        } catch (WxErrorException e) {
            int code = e.getError().getErrorCode();
            String reason = "WeChat errcode " + code + ": " + e.getError().getErrorMsg() + explain(code);
            return RETRYABLE.contains(code) ? new Delivery.RetryLater(Duration.ofSeconds(code == 45009 ? 60 : 1), reason)
                    : new Delivery.Rejected(reason);
        } catch (WxRuntimeException e) {
            if (connectFailed(e)) {
                return new Delivery.RetryLater(Duration.ZERO, "wechat-mp connect: " + e.getMessage());
            }
            if (e.getCause() == null) { // WxJava's own retry of "system busy" ran out
                return new Delivery.RetryLater(Duration.ofSeconds(1), "wechat-mp busy (-1): " + e.getMessage());
            }
            return mp.kind() == MpMessage.Kind.TEMPLATE
                    ? new Delivery.RetryLater(Duration.ZERO, "wechat-mp: " + e.getMessage() + "; retried under client_msg_id")
                    : new Delivery.Rejected("wechat-mp: " + e.getMessage() + "; not retried, the notification may have been sent");
        }
    }

    private static String explain(int code) {
        return switch (code) {
            case 43101 -> " (用户拒收或未订阅 / the person refused or has not subscribed)";
            case 43004 -> " (用户未关注 / not following the account)";
            case 45009 -> " (接口调用超过限额 / daily quota reached)";
            case 45011 -> " (调用频率过快 / too frequent)";
            default -> "";
        };
    }

    private static boolean connectFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof org.apache.http.conn.HttpHostConnectException) {
                return true;
            }
        }
        return false;
    }
}
