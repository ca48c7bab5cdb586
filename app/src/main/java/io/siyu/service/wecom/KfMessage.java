package io.siyu.service.wecom;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One entry of {@code kf/sync_msg}'s {@code msg_list}, read leniently: WeCom sends texts, media,
 * events and the servicer's own messages in one list, and a field may be missing or odd.
 */
record KfMessage(String msgid, String openKfId, String externalUserId, int origin, String type, @Nullable String text) {

    /** {@code origin} of a message the customer sent (3); 4 is a system event, 5 a servicer's message. */
    static final int FROM_CUSTOMER = 3;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern MSGID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    /** Why an entry is not a customer text the desk should see, or null when it is one. */
    @Nullable String skipReason() {
        if (!MSGID.matcher(msgid).matches()) {
            return "msgid";
        }
        if (origin != FROM_CUSTOMER) {
            return "not_from_customer";
        }
        if (!"text".equals(type)) {
            return "not_text";
        }
        if (!ID.matcher(externalUserId).matches() || !ID.matcher(openKfId).matches()) {
            return "ids";
        }
        if (text == null || text.isBlank()) {
            return "empty";
        }
        return null;
    }

    static KfMessage of(JsonNode m) {
        JsonNode text = m.path("text").path("content");
        return new KfMessage(m.path("msgid").asString(""), m.path("open_kfid").asString(""), m.path("external_userid").asString(""),
                m.path("origin").asInt(0), m.path("msgtype").asString(""), text.isString() ? text.asString() : null);
    }
}
