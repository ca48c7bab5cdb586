package io.siyu.ingestion.wecom;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import me.chanjar.weixin.cp.bean.message.WxCpXmlMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates a decrypted WeCom callback into Segment-shaped track messages named for the standard
 * dictionary's WeCom events, the customer identified by {@code context.identities.wecom_external_userid}.
 *
 * <p>WeCom retries a callback it got no timely answer to, three times. Message ids are therefore
 * built from the callback itself, never random, so the engine's dedupe window applies each change once.
 */
final class CallbackEvents {

    /** What a callback amounts to; {@code type} is WeCom's most specific name for it, for metrics. */
    sealed interface Translation {

        String type();

        /** Standard events to ingest; empty when, say, only staff joined a group. */
        record Events(String type, List<ObjectNode> messages) implements Translation {}

        /** Nothing Siyu records (yet): plain messages, other events, unknown change types. */
        record Ignored(String type) implements Translation {}
    }

    private CallbackEvents() {}

    static Translation translate(String corpId, WxCpXmlMessage callback) {
        if (!"event".equals(callback.getMsgType())) {
            return new Translation.Ignored(orEmpty(callback.getMsgType()));
        }
        String event = orEmpty(callback.getEvent());
        return switch (event) {
            case "change_external_contact" -> contact(corpId, callback);
            case "change_external_chat" -> chat(corpId, callback);
            default -> new Translation.Ignored(event);
        };
    }

    private static Translation contact(String corpId, WxCpXmlMessage callback) {
        String change = orEmpty(callback.getChangeType());
        String name = switch (change) {
            case "add_external_contact", "add_half_external_contact" -> "WeCom Contact Added";
            case "edit_external_contact" -> "WeCom Contact Updated";
            case "del_external_contact", "del_follow_user" -> "WeCom Contact Removed";
            default -> null;
        };
        if (name == null) {
            return new Translation.Ignored(change);
        }
        String customer = callback.getExternalUserId();
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        putIfPresent(properties, "external_userid", customer);
        putIfPresent(properties, "staff_id", callback.getUserId());
        switch (change) {
            case "add_external_contact", "add_half_external_contact" -> {
                putIfPresent(properties, "state", callback.getState());
                putIfPresent(properties, "welcome_code", callback.getWelcomeCode());
            }
            case "del_external_contact" -> properties.put("removed_by", "staff");
            case "del_follow_user" -> properties.put("removed_by", "customer");
            default -> {
                // an edit carries no more than who and by whom
            }
        }
        // The staff member is in the id: a customer adding two staff within one second is two events.
        String messageId = messageId(corpId, change, customer, callback.getUserId(), callback.getCreateTime());
        return new Translation.Events(change,
                List.of(track(name, customer, properties, callback.getCreateTime(), messageId)));
    }

    private static Translation chat(String corpId, WxCpXmlMessage callback) {
        String detail = orEmpty(callback.getUpdateDetail());
        boolean joined = detail.equals("add_member");
        if (!"update".equals(callback.getChangeType()) || !(joined || detail.equals("del_member"))) {
            return new Translation.Ignored(detail.isEmpty() ? orEmpty(callback.getChangeType()) : detail);
        }
        List<ObjectNode> messages = new ArrayList<>();
        for (String member : members(callback)) {
            if (!isExternal(member)) {
                continue; // staff join groups too; profiles here are the brand's customers
            }
            ObjectNode properties = JsonNodeFactory.instance.objectNode();
            putIfPresent(properties, "chat_id", callback.getChatId());
            Integer scene = number(joined ? callback.getJoinScene() : callback.getQuitScene());
            if (scene != null) {
                properties.put(joined ? "join_scene" : "quit_scene", scene);
            }
            String messageId = messageId(corpId, detail, callback.getChatId(), member, callback.getCreateTime());
            messages.add(track(joined ? "Group Joined" : "Group Left", member, properties, callback.getCreateTime(),
                    messageId));
        }
        return new Translation.Events(detail, messages);
    }

    /** External contacts' ids start with wm (customers on WeChat) or wo (on WeCom); staff ids do not. */
    static boolean isExternal(String userId) {
        return userId.startsWith("wm") || userId.startsWith("wo");
    }

    /**
     * The user ids in {@code MemChangeList}. WxJava 4.7.3.B has no field for it, only the generic
     * map, where one {@code Item} is a string and several are a list.
     */
    private static List<String> members(WxCpXmlMessage callback) {
        Map<String, Object> all = callback.getAllFieldsMap();
        Object list = all == null ? null : all.get("MemChangeList");
        Object items = list instanceof Map<?, ?> map ? map.get("Item") : null;
        if (items instanceof List<?> many) {
            return many.stream().map(String::valueOf).toList();
        }
        return items == null ? List.of() : List.of(String.valueOf(items));
    }

    private static ObjectNode track(String event, @Nullable String customer, ObjectNode properties,
            @Nullable Long createTime, String messageId) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("type", "track");
        message.put("event", event);
        message.put("messageId", messageId);
        if (createTime != null) {
            message.put("timestamp", Instant.ofEpochSecond(createTime).toString());
        }
        message.set("properties", properties);
        ObjectNode context = message.putObject("context");
        context.put("channel", "wecom");
        if (customer != null && !customer.isBlank()) {
            context.putObject("identities").put("wecom_external_userid", customer);
        }
        return message; // without a customer id the normaliser quarantines it, with the reason
    }

    private static String messageId(String corpId, String change, @Nullable String subject, @Nullable String other,
            @Nullable Long createTime) {
        return String.join("-", "wecom", corpId, change, orEmpty(subject), orEmpty(other),
                createTime == null ? "" : createTime.toString());
    }

    private static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static @Nullable Integer number(@Nullable String value) {
        return value != null && value.matches("\\d{1,9}") ? Integer.valueOf(value) : null;
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
