package io.siyu.channel;

import io.siyu.identity.PersonId;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Where a person is reached on a channel. An explicit {@code to} parameter wins; then the action
 * context; then the profile. Phone numbers exist in the profile only as a hash and a mask, so SMS
 * needs the number in {@code to} or the context (e.g. from the triggering order event). E-mail is
 * a sealed trait, opened here to address the message (the identity holds only its blind index).
 * The official account sends to the person's {@code openid} identity at that account.
 */
@Component
class Addresses {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");
    private static final Pattern OPENID = Pattern.compile("[A-Za-z0-9_-]{6,64}");
    private static final Pattern PHONE = Pattern.compile("(\\+86)?1\\d{10}|\\+[1-9]\\d{6,14}");

    private final ProfileDirectory profiles;
    private final WebhookEndpoints endpoints;
    private final FieldCipher cipher;
    private final Channels channels;

    Addresses(ProfileDirectory profiles, WebhookEndpoints endpoints, FieldCipher cipher, Channels channels) {
        this.profiles = profiles;
        this.endpoints = endpoints;
        this.cipher = cipher;
        this.channels = channels;
    }

    Optional<String> of(TenantId tenant, PersonId person, String channel, Map<String, String> parameters,
            Map<String, Object> context) {
        return switch (channel) {
            case "email" -> valid(EMAIL, parameters.get("to"))
                    .or(() -> valid(EMAIL, context.get("email")))
                    .or(() -> profile(tenant, person).flatMap(p -> valid(EMAIL, opened(tenant, p.traits().get("email")))));
            case "sms" -> valid(PHONE, parameters.get("to")).or(() -> valid(PHONE, context.get("phone")));
            case "wechat-mp" -> valid(OPENID, parameters.get("to"))
                    .or(() -> profile(tenant, person).flatMap(this::accountOpenid));
            case "inapp" -> Optional.of(person.toString());
            case "webhook" -> Optional.ofNullable(parameters.get("endpoint")).filter(name -> endpoints.find(tenant, name).isPresent());
            case "wecom" -> welcomeCode(parameters, context).map(code -> WeCom.WELCOME + code)
                    .or(() -> profile(tenant, person).flatMap(p -> identity(p, "wecom_external_userid:")));
            default -> Optional.empty();
        };
    }

    /** A new contact's WelcomeCode (from the WeCom Contact Added event) makes the message its welcome. */
    private static Optional<String> welcomeCode(Map<String, String> parameters, Map<String, Object> context) {
        Object code = parameters.containsKey("welcome_code") ? parameters.get("welcome_code") : context.get("welcome_code");
        return code instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
    }

    /** The profile keeps e-mail sealed ({@link FieldCipher#sealText}); a shredded one is no address. */
    @Nullable Object opened(TenantId tenant, @Nullable Object value) {
        if (!FieldCipher.isSealedText(value)) {
            return value;
        }
        try {
            return cipher.openText(tenant, (String) value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Optional<ProfileView> profile(TenantId tenant, PersonId person) {
        return profiles.find(tenant, person);
    }

    /**
     * The person's openid at this official account: an openid is per app ({@code openid:<appId>:<openid>}),
     * and a mini-program's openid is no address here. An openid identity without an app is taken as
     * the account's.
     */
    private Optional<String> accountOpenid(ProfileView profile) {
        String scoped = channels.provider("wechat-mp").filter(WeChatMp.class::isInstance).map(p -> "openid:" + ((WeChatMp) p).appId() + ":")
                .orElse(null);
        Optional<String> mine = scoped == null ? Optional.empty() : identity(profile, scoped);
        return mine.or(() -> profile.identities().stream().filter(i -> i.startsWith("openid:") && i.indexOf(':', 7) < 0)
                .map(i -> i.substring(7)).findFirst()).flatMap(openid -> valid(OPENID, openid));
    }

    private static Optional<String> identity(ProfileView profile, String prefix) {
        return profile.identities().stream().filter(i -> i.startsWith(prefix)).map(i -> i.substring(prefix.length())).findFirst();
    }

    private static Optional<String> valid(Pattern pattern, @Nullable Object value) {
        return value instanceof String text && pattern.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }
}
