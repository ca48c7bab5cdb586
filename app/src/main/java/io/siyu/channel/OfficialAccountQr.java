package io.siyu.channel;

import io.siyu.platform.NotFound;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.platform.TenantId;
import io.siyu.platform.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.bean.result.WxMpQrCodeTicket;
import org.springframework.stereotype.Component;

/**
 * Parametric QR codes of the official account (带参数二维码, {@code qrcode/create} with a
 * {@code scene_str}): scanning one in WeChat opens the account's follow page, and the follow (or a
 * follower's scan) is pushed back with the scene, which {@link MpFollows} turns into events. The
 * codes are temporary ones of 30 days, WeChat's longest, because permanent ones are capped at
 * 100,000 per account and a referral campaign has a code per sharer; a code is asked for once and
 * reused until a day before it expires.
 */
@Component
public class OfficialAccountQr {

    /** WeChat's longest lifetime for a temporary QR code. */
    static final Duration LIFETIME = Duration.ofDays(30);
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);
    /** Codes kept for reuse (one per share code asked for); past this, expired ones go, then new ones are not kept. */
    static final int MAX_KEPT = 200_000;

    /** What a QR code encodes (WeChat's {@code url}) and until when it works. */
    public record FollowQr(String content, Instant expiresAt) {}

    private final Channels channels;
    private final Tenants tenants;
    private final Clock clock;
    private final Map<String, FollowQr> issued = new ConcurrentHashMap<>();

    OfficialAccountQr(Channels channels, Tenants tenants, Clock clock) {
        this.channels = channels;
        this.tenants = tenants;
        this.clock = clock;
    }

    /**
     * The follow QR code of {@code scene} (1–64 characters) for the tenant's official account.
     *
     * @throws NotFound when the channel is not enabled or its account serves another tenant
     * @throws ServiceUnavailable when WeChat does not answer with a code
     */
    public FollowQr follow(TenantId tenant, String scene) {
        if (scene.isEmpty() || scene.length() > MpFollows.MAX_SCENE) {
            throw new IllegalArgumentException("a QR scene is 1–" + MpFollows.MAX_SCENE + " characters");
        }
        WeChatMp mp = channels.provider("wechat-mp").filter(WeChatMp.class::isInstance).map(WeChatMp.class::cast)
                .filter(account -> account.tenant().equals(tenants.find(tenant).map(t -> t.slug())))
                .orElseThrow(() -> new NotFound("no official account serves this tenant (siyu.channels.wechat-mp.tenant)"));
        Instant now = clock.instant();
        FollowQr known = issued.get(scene);
        if (known != null && known.expiresAt().minus(RENEW_BEFORE).isAfter(now)) {
            return known;
        }
        WxMpQrCodeTicket ticket;
        try {
            ticket = mp.service().getQrcodeService().qrCodeCreateTmpTicket(scene, (int) LIFETIME.toSeconds());
        } catch (WxErrorException | RuntimeException e) {
            throw new ServiceUnavailable("WeChat did not create the QR code / 公众号二维码生成失败: " + e.getMessage(), 30);
        }
        if (ticket == null || ticket.getUrl() == null || ticket.getUrl().isBlank()) {
            throw new ServiceUnavailable("WeChat answered without a QR code / 公众号未返回二维码", 30);
        }
        int seconds = ticket.getExpireSeconds() > 0 ? ticket.getExpireSeconds() : (int) LIFETIME.toSeconds();
        FollowQr qr = new FollowQr(Objects.requireNonNull(ticket.getUrl()), now.plusSeconds(seconds));
        if (issued.size() >= MAX_KEPT) {
            issued.values().removeIf(kept -> !kept.expiresAt().minus(RENEW_BEFORE).isAfter(now));
        }
        if (issued.size() < MAX_KEPT) {
            issued.put(scene, qr);
        }
        return qr;
    }
}
