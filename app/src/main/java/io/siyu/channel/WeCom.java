package io.siyu.channel;

import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayInfo;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayResult;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplate;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplateAddResult;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalTagGroupInfo;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalTagGroupList;
import me.chanjar.weixin.cp.bean.external.WxCpWelcomeMsg;
import me.chanjar.weixin.cp.bean.external.msg.Text;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The WeCom provider. A message's address is an external contact's {@code external_userid}, sent as
 * a 1:1 mass-message task ({@code add_msg_template}) that the sender confirms in the WeCom app, or
 * {@code welcome:<WelcomeCode>}, sent as the welcome message of a new contact
 * ({@code send_welcome_msg}, which WeCom accepts only within 20 seconds of the contact event).
 *
 * <p>Limits: every call takes a token from the corp-wide rate limit first; without one, the send
 * is rescheduled rather than made. Mass messages to a customer are counted per day (Asia/Shanghai)
 * from the outbox; past the limit a message waits for the next day instead of being refused by
 * WeCom. Idempotency: neither API takes an idempotency key. WeCom's busy and frequency errors
 * (-1, 45009, 45033) and refused connections are retried; any other failure after the request was
 * written is final, because a task may exist already.
 */
public final class WeCom implements ChannelProvider {

    static final String WELCOME = "welcome:";
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final Set<Integer> RETRYABLE = Set.of(-1, 45009, 45033);
    /** WeCom refuses a contact-way state longer than 30 characters. */
    static final int MAX_STATE = 30;

    private final WxCpService service;
    private final String sender;
    private final RateLimit rate;
    private final int perCustomerPerDay;
    private final JdbcClient jdbc;
    private final Clock clock;

    WeCom(WxCpService service, String sender, RateLimit rate, int perCustomerPerDay, JdbcClient jdbc, Clock clock) {
        this.service = service;
        this.sender = sender;
        this.rate = rate;
        this.perCustomerPerDay = perCustomerPerDay;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "wecom";
    }

    @Override
    public Delivery send(OutgoingMessage message) {
        Duration wait = rate.take();
        if (!wait.isZero()) {
            return new Delivery.RetryLater(wait, "wecom:rate-limit");
        }
        try {
            if (message.address().startsWith(WELCOME)) {
                WxCpWelcomeMsg welcome = new WxCpWelcomeMsg();
                welcome.setWelcomeCode(message.address().substring(WELCOME.length()));
                welcome.setText(new Text().setContent(message.body()));
                service.getExternalContactService().sendWelcomeMsg(welcome);
                return new Delivery.Sent("", true);
            }
            Optional<Instant> nextDay = overDailyLimit(message.tenant(), message.address());
            if (nextDay.isPresent()) {
                return new Delivery.RetryLater(Duration.between(clock.instant(), nextDay.get()), "wecom:per-customer-day-limit");
            }
            WxCpMsgTemplate task = new WxCpMsgTemplate();
            task.setChatType("single");
            task.setExternalUserid(List.of(message.address()));
            task.setSender(sender);
            task.setText(new Text().setContent(message.body()));
            WxCpMsgTemplateAddResult result = service.getExternalContactService().addMsgTemplate(task);
            if (result.getFailList() != null && result.getFailList().contains(message.address())) {
                return new Delivery.Rejected("wecom: " + message.address() + " is not a customer of " + sender
                        + " or cannot receive more messages (fail_list)");
            }
            return new Delivery.Sent(result.getMsgId() == null ? "" : result.getMsgId(), false);
        } catch (WxErrorException e) {
            return failure(e);
        } catch (me.chanjar.weixin.common.error.WxRuntimeException e) {
            if (connectFailed(e)) {
                return new Delivery.RetryLater(Duration.ZERO, "wecom connect: " + e.getMessage());
            }
            if (e.getCause() == null) { // WxJava's own retry of "system busy" ran out: WeCom said busy twice
                return new Delivery.RetryLater(Duration.ofSeconds(1), "wecom busy (-1): " + e.getMessage());
            }
            return new Delivery.Rejected("wecom: " + e.getMessage() + "; not retried, the task may exist");
        }
    }

    /** A contact-way QR code (渠道活码) whose {@code state} comes back on every contact it brings. */
    public record ContactWay(String configId, String qrCode, String state) {}

    /**
     * Creates a QR code for the staff members; {@code state} (≤ 30 characters) names the channel or
     * campaign and returns in the WeCom Contact Added event of each contact added through it.
     *
     * @throws WeComFailure when WeCom refuses or is rate-limited
     */
    public ContactWay contactWay(List<String> staff, String state, String remark) {
        if (state.isEmpty() || state.length() > MAX_STATE) {
            throw new IllegalArgumentException("state must be 1 to " + MAX_STATE + " characters");
        }
        WxCpContactWayInfo.ContactWay way = new WxCpContactWayInfo.ContactWay();
        way.setType(staff.size() == 1 ? WxCpContactWayInfo.TYPE.SINGLE : WxCpContactWayInfo.TYPE.MULTI);
        way.setScene(WxCpContactWayInfo.SCENE.QRCODE);
        way.setUsers(List.copyOf(staff));
        way.setState(state);
        way.setRemark(remark);
        way.setSkipVerify(true);
        WxCpContactWayInfo info = new WxCpContactWayInfo();
        info.setContactWay(way);
        WxCpContactWayResult result = call(() -> service.getExternalContactService().addContactWay(info));
        return new ContactWay(result.getConfigId(), result.getQrCode(), state);
    }

    /** An external contact as one staff member sees it: corp tags are marked per follow-user. */
    public record Contact(String externalUserid, String staff) {}

    /** What a tag sync did. */
    public record TagSync(String tagId, boolean created, int marked, List<String> failed) {}

    /**
     * Mirrors a Siyu tag as a corp tag (in {@code group}, created when missing) on each contact.
     *
     * @throws WeComFailure when WeCom refuses the tag itself or is rate-limited; failures on single
     *     contacts are listed in the result instead
     */
    public TagSync syncTag(String group, String tag, List<Contact> contacts) {
        WxCpUserExternalTagGroupList list = call(() -> service.getExternalContactService().getCorpTagList(null));
        String tagId = null;
        for (WxCpUserExternalTagGroupList.TagGroup g : list.getTagGroupList() == null ? List.<WxCpUserExternalTagGroupList.TagGroup>of()
                : list.getTagGroupList()) {
            if (group.equals(g.getGroupName()) && g.getTag() != null) {
                tagId = g.getTag().stream().filter(t -> tag.equals(t.getName())).map(WxCpUserExternalTagGroupList.TagGroup.Tag::getId)
                        .findFirst().orElse(null);
            }
        }
        boolean created = false;
        if (tagId == null) {
            WxCpUserExternalTagGroupInfo.Tag newTag = new WxCpUserExternalTagGroupInfo.Tag();
            newTag.setName(tag);
            WxCpUserExternalTagGroupInfo.TagGroup newGroup = new WxCpUserExternalTagGroupInfo.TagGroup();
            newGroup.setGroupName(group);
            newGroup.setTag(List.of(newTag));
            WxCpUserExternalTagGroupInfo request = new WxCpUserExternalTagGroupInfo();
            request.setTagGroup(newGroup);
            WxCpUserExternalTagGroupInfo added = call(() -> service.getExternalContactService().addCorpTag(request));
            tagId = added.getTagGroup().getTag().getFirst().getId();
            created = true;
        }
        int marked = 0;
        List<String> failed = new ArrayList<>();
        for (Contact contact : contacts) {
            String id = tagId;
            try {
                call(() -> service.getExternalContactService().markTag(contact.staff(), contact.externalUserid(), new String[] {id}, null));
                marked++;
            } catch (WeComFailure e) {
                if (e.retryAfter().isPresent()) {
                    throw e; // rate-limited: stop here, the caller repeats the sync later
                }
                failed.add(contact.externalUserid() + ": " + e.getMessage());
            }
        }
        return new TagSync(tagId, created, marked, failed);
    }

    /** WeCom refused a management call; {@code retryAfter} is set when trying later may help. */
    public static final class WeComFailure extends RuntimeException {
        private final Optional<Duration> retryAfter;

        WeComFailure(String message, Optional<Duration> retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws WxErrorException;
    }

    private <T> T call(Call<T> call) {
        Duration wait = rate.take();
        if (!wait.isZero()) {
            throw new WeComFailure("wecom:rate-limit", Optional.of(wait));
        }
        try {
            return call.run();
        } catch (WxErrorException e) {
            int code = e.getError().getErrorCode();
            throw new WeComFailure("WeCom errcode " + code + ": " + e.getError().getErrorMsg(),
                    RETRYABLE.contains(code) ? Optional.of(Duration.ofSeconds(1)) : Optional.empty());
        }
    }

    private Delivery failure(WxErrorException e) {
        int code = e.getError().getErrorCode();
        String reason = "WeCom errcode " + code + ": " + e.getError().getErrorMsg();
        return RETRYABLE.contains(code) ? new Delivery.RetryLater(Duration.ofSeconds(1), reason) : new Delivery.Rejected(reason);
    }

    /** The start of tomorrow (China time) when the customer had their day's mass messages already. */
    private Optional<Instant> overDailyLimit(TenantId tenant, String externalUserid) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), CHINA);
        Instant start = today.atStartOfDay(CHINA).toInstant();
        int sent = jdbc.sql("""
                SELECT count(*) FROM message_outbox WHERE tenant_id = ? AND channel = 'wecom' AND address = ?
                AND status = 'SENT' AND sent_at >= ?""")
                .params(tenant.value(), externalUserid, Timestamp.from(start)).query(Integer.class).single();
        return sent >= perCustomerPerDay ? Optional.of(today.plusDays(1).atStartOfDay(CHINA).toInstant()) : Optional.empty();
    }

    private static boolean connectFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }
}
