package io.siyu.channel;

import io.siyu.platform.InvalidInput;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import me.chanjar.weixin.mp.bean.message.WxMpXmlMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official account's follower pushes as standard events, the follower identified by the
 * account's openid ({@code context.identities.openid = <appId>:<openid>}):
 *
 * <ul>
 *   <li>{@code subscribe} → Official Account Followed; a follow through a parametric QR code
 *       ({@code EventKey qrscene_<scene>}) carries the scene, and a referral scene
 *       {@code ref:<share code>} the share code, so the friend is attributed to the sharer;
 *   <li>{@code SCAN} (a follower scanned a parametric QR code) of a referral scene → Referral Link
 *       Opened (a touch; a follower is not a new friend); other scenes are not recorded;
 *   <li>{@code unsubscribe} → Official Account Unfollowed.
 * </ul>
 *
 * <p>WeChat repeats a push it got no answer to within five seconds, three times: the message id is
 * built from the push (account, event, openid, time), so the engine applies it once.
 */
final class MpFollows {

    static final String FOLLOWED = "Official Account Followed";
    static final String UNFOLLOWED = "Official Account Unfollowed";
    static final String LINK_OPENED = "Referral Link Opened";
    /** WeChat's scene_str is 1–64 characters. */
    static final int MAX_SCENE = 64;
    private static final String REFERRAL_SCENE = "ref:";
    private static final String QR_PREFIX = "qrscene_";
    private static final Pattern OPENID = Pattern.compile("[A-Za-z0-9_-]{6,64}");
    private static final Pattern SHARE_CODE = Pattern.compile("[A-Za-z0-9]{1,32}");

    private MpFollows() {}

    /**
     * The event a push amounts to, or empty for pushes that are not about following (template results,
     * menu clicks, messages) and scans of non-referral scenes.
     *
     * @throws InvalidInput when a follower push has no usable openid or an oversized scene
     */
    static Optional<ObjectNode> translate(String appId, WxMpXmlMessage push) {
        if (!"event".equals(push.getMsgType()) || push.getEvent() == null) {
            return Optional.empty();
        }
        String event = push.getEvent();
        String name;
        String scene = null;
        switch (event) {
            case "subscribe" -> {
                name = FOLLOWED;
                String key = push.getEventKey();
                if (key != null && key.startsWith(QR_PREFIX)) {
                    scene = scene(key.substring(QR_PREFIX.length()));
                }
            }
            case "SCAN" -> {
                scene = scene(push.getEventKey() == null ? "" : push.getEventKey());
                if (referralCode(scene) == null) {
                    return Optional.empty();
                }
                name = LINK_OPENED;
            }
            case "unsubscribe" -> name = UNFOLLOWED;
            default -> {
                return Optional.empty();
            }
        }
        String openid = push.getFromUser();
        if (openid == null || !OPENID.matcher(openid).matches()) {
            throw new InvalidInput("FromUserName", "pattern", "a follower push names the follower's openid (6–64 letters, digits, '-' or '_')");
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("type", "track").put("event", name);
        long createTime = push.getCreateTime() == null ? 0 : push.getCreateTime();
        message.put("messageId", String.join("-", "mp", appId, event, openid, Long.toString(createTime)));
        if (createTime > 0) {
            message.put("timestamp", Instant.ofEpochSecond(createTime).toString());
        }
        ObjectNode properties = message.putObject("properties");
        if (scene != null && !scene.isEmpty()) {
            properties.put("scene", scene);
            String code = referralCode(scene);
            if (code != null) {
                properties.put("referral_code", code);
            }
        }
        ObjectNode context = message.putObject("context");
        context.put("channel", "wechat-mp");
        context.putObject("identities").put("openid", appId + ":" + openid);
        return Optional.of(message);
    }

    private static String scene(String scene) {
        if (scene.length() > MAX_SCENE) {
            throw new InvalidInput("EventKey", "maxLength", "a QR scene is at most " + MAX_SCENE + " characters");
        }
        return scene;
    }

    private static @Nullable String referralCode(@Nullable String scene) {
        if (scene == null || !scene.startsWith(REFERRAL_SCENE)) {
            return null;
        }
        String code = scene.substring(REFERRAL_SCENE.length());
        return SHARE_CODE.matcher(code).matches() ? code : null;
    }
}
