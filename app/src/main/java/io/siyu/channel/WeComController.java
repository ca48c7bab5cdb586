package io.siyu.channel;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.platform.TenantId;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** WeCom operations that are not messages: contact-way QR codes (活码) and corp-tag sync. */
@RestController
@RequestMapping("/api/v1/wecom")
class WeComController {

    static final int MAX_CONTACTS = 1_000;

    record ContactWayRequest(@Nullable List<String> staff, @Nullable String state, @Nullable String remark) {}

    record TagSyncRequest(@Nullable String tag, @Nullable String group, @Nullable List<WeCom.Contact> contacts) {}

    private final Channels channels;

    WeComController(Channels channels) {
        this.channels = channels;
    }

    @PostMapping("/contact-ways")
    WeCom.ContactWay contactWay(TenantId tenant, @RequestBody ContactWayRequest request) {
        List<String> staff = request.staff() == null ? List.of() : request.staff();
        if (staff.isEmpty() || staff.size() > 100) {
            throw new InvalidInput("staff", "size", "name 1 to 100 staff UserIDs / 请指定 1–100 名成员");
        }
        for (int i = 0; i < staff.size(); i++) {
            Names.require("staff[" + i + "]", staff.get(i));
        }
        String state = Names.require("state", request.state());
        if (state.length() > WeCom.MAX_STATE) {
            throw new InvalidInput("state", "max-length", "state must be at most 30 characters (WeCom's limit) / state 最长 30 字符");
        }
        String remark = request.remark() == null ? "" : Names.text("remark", request.remark(), 30);
        return call(() -> wecom().contactWay(staff, state, remark));
    }

    @PostMapping("/tag-sync")
    WeCom.TagSync tagSync(TenantId tenant, @RequestBody TagSyncRequest request) {
        String tag = Names.text("tag", request.tag(), 30);
        String group = request.group() == null ? "思域" : Names.text("group", request.group(), 30);
        List<WeCom.Contact> contacts = request.contacts() == null ? List.of() : request.contacts();
        if (contacts.isEmpty() || contacts.size() > MAX_CONTACTS) {
            throw new InvalidInput("contacts", "size", "name 1 to " + MAX_CONTACTS + " contacts");
        }
        for (int i = 0; i < contacts.size(); i++) {
            WeCom.Contact c = contacts.get(i);
            if (c == null) {
                throw new InvalidInput("contacts[" + i + "]", "required", "a contact is {externalUserid, staff}");
            }
            Names.require("contacts[" + i + "].externalUserid", c.externalUserid());
            Names.require("contacts[" + i + "].staff", c.staff());
        }
        return call(() -> wecom().syncTag(group, tag, contacts));
    }

    private WeCom wecom() {
        return channels.provider("wecom").filter(WeCom.class::isInstance).map(WeCom.class::cast)
                .orElseThrow(() -> new InvalidInput("channel", "enabled",
                        "企业微信渠道未启用 / the wecom channel is not enabled (siyu.channels.enabled)"));
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (WeCom.WeComFailure e) {
            if (e.retryAfter().isPresent()) {
                throw new ServiceUnavailable(e.getMessage(), (int) Math.max(1, e.retryAfter().get().toSeconds()));
            }
            throw new InvalidInput("wecom", "refused", e.getMessage());
        }
    }
}
