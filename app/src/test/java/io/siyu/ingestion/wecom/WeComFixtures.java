package io.siyu.ingestion.wecom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * Builds callbacks the way WeCom does, with WxJava's reference encryption: AES-256-CBC under the
 * EncodingAESKey, SHA-1 over the sorted token, timestamp, nonce and ciphertext.
 */
final class WeComFixtures {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WeComFixtures() {}

    /** A WeCom app as an operator would copy it from the admin console. */
    record App(String corpId, String token, String encodingAesKey, String agentId) {

        static App random() {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            String encodingAesKey = Base64.getEncoder().withoutPadding().encodeToString(key);
            return new App("ww" + alphanumeric(16).toLowerCase(), alphanumeric(24), encodingAesKey, "1000002");
        }

        String settingsJson() {
            return """
                    {"corpId": "%s", "token": "%s", "encodingAesKey": "%s", "agentId": "%s"}"""
                    .formatted(corpId, token, encodingAesKey, agentId);
        }

        String encrypt(String plaintext) {
            return new WxCryptUtil(token, encodingAesKey, corpId).encrypt(alphanumeric(16), plaintext);
        }

        /** The query string WeCom signs a callback with. */
        String signedQuery(String encrypted, long timestamp) {
            String nonce = alphanumeric(10);
            String signature = SHA1.gen(token, Long.toString(timestamp), nonce, encrypted);
            return "msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce;
        }

        /** The POST body around an encrypted message. */
        String envelope(String encrypted) {
            return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                    + "]]></Encrypt><AgentID><![CDATA[" + agentId + "]]></AgentID></xml>";
        }

        /** A signed callback carrying {@code xml}. */
        Callback callback(String xml, long timestamp) {
            String encrypted = encrypt(xml);
            return new Callback(signedQuery(encrypted, timestamp), envelope(encrypted));
        }

        /** The URL-verification query WeCom sends when the callback URL is saved. */
        String verificationQuery(String echo, long timestamp) {
            String encrypted = encrypt(echo);
            return signedQuery(encrypted, timestamp) + "&echostr=" + URLEncoder.encode(encrypted, StandardCharsets.UTF_8);
        }
    }

    record Callback(String query, String body) {}

    static String contactChange(App app, String changeType, String externalUserId, String staff, long createTime,
            String extra) {
        return """
                <xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>\
                <CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType>\
                <Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[%s]]></ChangeType>\
                <UserID><![CDATA[%s]]></UserID><ExternalUserID><![CDATA[%s]]></ExternalUserID>%s</xml>"""
                .formatted(app.corpId(), createTime, changeType, staff, externalUserId, extra);
    }

    static String contactAdded(App app, String externalUserId, String staff, String state, long createTime) {
        return contactChange(app, "add_external_contact", externalUserId, staff, createTime,
                "<State><![CDATA[" + state + "]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>");
    }

    static String groupChange(App app, String updateDetail, String chatId, long createTime, String... members) {
        StringBuilder items = new StringBuilder();
        for (String member : members) {
            items.append("<Item><![CDATA[").append(member).append("]]></Item>");
        }
        return """
                <xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>\
                <CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType>\
                <Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[%s]]></ChatId>\
                <ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[%s]]></UpdateDetail>\
                <JoinScene>3</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>%d</MemChangeCnt>\
                <MemChangeList>%s</MemChangeList></xml>"""
                .formatted(app.corpId(), createTime, chatId, updateDetail, members.length, items);
    }

    static String textMessage(App app, String from, long createTime) {
        return """
                <xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>\
                <CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[在吗]]></Content>\
                <MsgId>1234567890123456</MsgId><AgentID>1000002</AgentID></xml>"""
                .formatted(app.corpId(), from, createTime);
    }

    static String alphanumeric(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
