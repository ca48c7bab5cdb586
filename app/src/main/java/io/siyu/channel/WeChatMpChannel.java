package io.siyu.channel;

import java.util.List;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.springframework.stereotype.Component;

/**
 * WeChat official account (微信公众号) template messages and subscribe notifications through WxJava
 * mp, to the person's {@code openid} identity. The token and EncodingAESKey verify and decrypt the
 * account's server callbacks ({@code /callbacks/wechat-mp}), where WeChat reports whether each
 * template message reached the person and, when the account names its tenant, who followed,
 * unfollowed or scanned a referral QR code.
 */
@Component
class WeChatMpChannel implements ChannelProviderFactory {

    @Override
    public String id() {
        return "wechat-mp";
    }

    @Override
    public String help() {
        return "微信公众号 / WeChat official account: template messages (模板消息) and subscribe notifications (订阅通知) to openids";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(
                ConfigOption.required("app-id", "公众号 AppID (公众平台 → 设置与开发 → 基本配置)"),
                ConfigOption.secret("secret", "公众号 AppSecret (基本配置 → 开发者密码)"),
                ConfigOption.secret("token", "服务器配置 Token: verifies the callbacks WeChat posts to /wechat-mp/callback"),
                new ConfigOption("aes-key", "服务器配置 EncodingAESKey (43 characters); blank when callbacks are in plain text (明文模式)",
                        false, true, null),
                new ConfigOption("tenant", "slug of the tenant whose people follow this account: follows, unfollows and "
                        + "referral QR scans (场景值 ref:<share code>) become its events; blank: only delivery results are read",
                        false, false, null),
                ConfigOption.optional("base-url", "API base URL", "https://api.weixin.qq.com"));
    }

    @Override
    public ChannelProvider create(ChannelConfig config) {
        String named = config.optional("tenant");
        String tenant = named == null || named.isBlank() ? null : named.trim();
        if (tenant != null && !tenant.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new ChannelConfig.Invalid("siyu.channels.wechat-mp.tenant must be a tenant slug (lower-case letters, digits, '-'), was '"
                    + tenant + "'");
        }
        return new WeChatMp(service(config), tenant);
    }

    static WxMpServiceImpl service(ChannelConfig config) {
        String appId = config.get("app-id");
        if (!appId.matches("wx[0-9a-f]{16}")) {
            throw new ChannelConfig.Invalid("siyu.channels.wechat-mp.app-id must look like wx followed by 16 hex digits, was '" + appId + "'");
        }
        String aesKey = config.optional("aes-key");
        if (aesKey != null && !aesKey.matches("[A-Za-z0-9]{43}")) {
            throw new ChannelConfig.Invalid("siyu.channels.wechat-mp.aes-key must be the 43-character EncodingAESKey");
        }
        WxMpDefaultConfigImpl storage = new WxMpDefaultConfigImpl();
        storage.setAppId(appId);
        storage.setSecret(config.get("secret"));
        storage.setToken(config.get("token"));
        storage.setAesKey(aesKey);
        String base = config.uri("base-url").toString().replaceAll("/+$", "");
        storage.setHostConfig(new WxMpHostConfig(base, WxMpHostConfig.OPEN_DEFAULT_HOST_URL, WxMpHostConfig.MP_DEFAULT_HOST_URL));
        WxMpServiceImpl service = new WxMpServiceImpl();
        service.setWxMpConfigStorage(storage);
        // WxJava retries only "system busy" (-1), sleeping in the caller's thread; one short retry, the outbox does the rest
        service.setMaxRetryTimes(1);
        service.setRetrySleepMillis(200);
        return service;
    }
}
