package io.siyu.channel;

import java.time.Clock;
import java.util.List;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * WeCom customer contact (企业微信客户联系) through WxJava: messages to external contacts, welcome
 * messages, contact-way QR codes and corp tags. Configured per installation with the corp id and
 * the customer-contact secret (客户联系 secret).
 */
@Component
class WeComChannel implements ChannelProviderFactory {

    private final JdbcClient jdbc;
    private final Clock clock;

    WeComChannel(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "wecom";
    }

    @Override
    public String help() {
        return "企业微信 / WeCom customer contact: 1:1 mass-message tasks, welcome messages, 活码, corp tags";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(
                ConfigOption.required("corp-id", "企业ID / corp id (管理后台 → 我的企业)"),
                ConfigOption.secret("secret", "客户联系 secret (管理后台 → 客户与上下游 → 客户联系 → API)"),
                ConfigOption.required("sender", "默认发送成员 UserID: the staff member whose customers receive mass messages"),
                ConfigOption.optional("base-url", "API base URL", "https://qyapi.weixin.qq.com"),
                ConfigOption.optional("requests-per-second", "calls per second Siyu makes to the corp's API", "20"),
                ConfigOption.optional("per-customer-per-day", "mass messages one customer may receive a day (WeCom limits them)", "1"));
    }

    @Override
    public ChannelProvider create(ChannelConfig config) {
        WxCpDefaultConfigImpl storage = new WxCpDefaultConfigImpl();
        storage.setCorpId(config.get("corp-id"));
        storage.setCorpSecret(config.get("secret"));
        storage.setBaseApiUrl(config.uri("base-url").toString().replaceAll("/+$", ""));
        WxCpServiceImpl service = new WxCpServiceImpl();
        service.setWxCpConfigStorage(storage);
        // WxJava retries only "system busy" (-1), sleeping in the caller's thread; keep that to one short
        // retry and leave everything else to the outbox's backoff. (0 would turn every error code into a
        // WxRuntimeException without its code.)
        service.setMaxRetryTimes(1);
        service.setRetrySleepMillis(200);
        int perDay = config.integer("per-customer-per-day");
        if (perDay < 1) {
            throw new ChannelConfig.Invalid("siyu.channels.wecom.per-customer-per-day must be at least 1");
        }
        int rate = config.integer("requests-per-second");
        if (rate < 1) {
            throw new ChannelConfig.Invalid("siyu.channels.wecom.requests-per-second must be at least 1");
        }
        return new WeCom(service, config.get("sender"), new RateLimit(rate, clock), perDay,
                jdbc, clock);
    }

}
