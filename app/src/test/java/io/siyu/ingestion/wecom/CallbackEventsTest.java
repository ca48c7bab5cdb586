package io.siyu.ingestion.wecom;

import static io.siyu.ingestion.wecom.WeComFixtures.contactAdded;
import static io.siyu.ingestion.wecom.WeComFixtures.contactChange;
import static io.siyu.ingestion.wecom.WeComFixtures.groupChange;
import static io.siyu.ingestion.wecom.WeComFixtures.textMessage;
import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.ingestion.EventDictionary;
import io.siyu.ingestion.wecom.CallbackEvents.Translation;
import io.siyu.ingestion.wecom.WeComFixtures.App;
import java.util.List;
import me.chanjar.weixin.cp.bean.message.WxCpXmlMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CallbackEventsTest {

    private final App app = App.random();

    @Test
    void turnsAnAddedContactIntoAValidDictionaryEvent() {
        ObjectNode message = only(translate(contactAdded(app, "wmCustomer", "zhangsan", "qr-store-12", 1764057600)));

        assertThat(message.path("type").asString()).isEqualTo("track");
        assertThat(message.path("event").asString()).isEqualTo("WeCom Contact Added");
        assertThat(message.has("userId")).isFalse();
        assertThat(message.path("timestamp").asString()).isEqualTo("2025-11-25T08:00:00Z");
        assertThat(message.path("context").path("channel").asString()).isEqualTo("wecom");
        assertThat(message.path("context").path("identities").path("wecom_external_userid").asString()).isEqualTo("wmCustomer");
        assertThat(message.path("properties").path("staff_id").asString()).isEqualTo("zhangsan");
        assertThat(message.path("properties").path("state").asString()).isEqualTo("qr-store-12");
        assertThat(message.path("properties").path("welcome_code").asString()).isEqualTo("WELCOMECODE");
        assertThat(EventDictionary.validate("WeCom Contact Added", message.path("properties"), "")).isEmpty();
    }

    @Test
    void givesARetryTheSameMessageIdAndAnotherStaffMemberAnother() {
        String first = only(translate(contactAdded(app, "wmCustomer", "zhangsan", "s", 1764057600))).path("messageId").asString();
        String retry = only(translate(contactAdded(app, "wmCustomer", "zhangsan", "s", 1764057600))).path("messageId").asString();
        String otherStaff = only(translate(contactAdded(app, "wmCustomer", "lisi", "s", 1764057600))).path("messageId").asString();

        assertThat(retry).isEqualTo(first).startsWith("wecom-" + app.corpId() + "-add_external_contact-wmCustomer-");
        assertThat(otherStaff).isNotEqualTo(first);
    }

    @Test
    void tellsWhoRemovedTheContact() {
        ObjectNode byStaff = only(translate(contactChange(app, "del_external_contact", "wmC", "zhangsan", 1, "")));
        ObjectNode byCustomer = only(translate(contactChange(app, "del_follow_user", "wmC", "zhangsan", 1, "")));

        assertThat(byStaff.path("event").asString()).isEqualTo("WeCom Contact Removed");
        assertThat(byStaff.path("properties").path("removed_by").asString()).isEqualTo("staff");
        assertThat(byCustomer.path("properties").path("removed_by").asString()).isEqualTo("customer");
    }

    @Test
    void emitsGroupEventsForExternalMembersOnly() {
        Translation translation = translate(groupChange(app, "add_member", "wrChat", 1, "wmA", "zhangsan", "woB"));

        List<ObjectNode> messages = ((Translation.Events) translation).messages();
        assertThat(messages).extracting(m -> m.path("context").path("identities").path("wecom_external_userid").asString())
                .containsExactly("wmA", "woB");
        assertThat(messages.getFirst().path("event").asString()).isEqualTo("Group Joined");
        assertThat(messages.getFirst().path("properties").path("chat_id").asString()).isEqualTo("wrChat");
        assertThat(messages.getFirst().path("properties").path("join_scene").isInt()).isTrue();
        assertThat(EventDictionary.validate("Group Joined", messages.getFirst().path("properties"), "")).isEmpty();
    }

    @Test
    void readsASingleLeavingMember() {
        Translation translation = translate(groupChange(app, "del_member", "wrChat", 1, "wmA"));

        ObjectNode message = only(translation);
        assertThat(message.path("event").asString()).isEqualTo("Group Left");
        assertThat(message.path("properties").path("quit_scene").asInt()).isZero();
    }

    @Test
    void ignoresPlainMessagesAndUnknownChanges() {
        assertThat(translate(textMessage(app, "wmA", 1))).isEqualTo(new Translation.Ignored("text"));
        assertThat(translate(contactChange(app, "transfer_fail", "wmA", "zhangsan", 1, "")))
                .isEqualTo(new Translation.Ignored("transfer_fail"));
    }

    private Translation translate(String xml) {
        return CallbackEvents.translate(app.corpId(), WxCpXmlMessage.fromXml(xml, app.agentId()));
    }

    private static ObjectNode only(Translation translation) {
        assertThat(translation).isInstanceOf(Translation.Events.class);
        List<ObjectNode> messages = ((Translation.Events) translation).messages();
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }
}
