package io.siyu.ingestion.wecom;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.Unauthorized;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's WeCom self-built app as callbacks need it: the corp, and the Token and
 * EncodingAESKey set on the app's "receive messages" (接收消息) page, which sign and encrypt every
 * callback.
 */
record WeComApp(String corpId, String token, String encodingAesKey, @Nullable String agentId) {

    /**
     * The settings as an operator typed them, checked against WeCom's own rules.
     *
     * @throws InvalidInput naming every offending field
     */
    static WeComApp validated(@Nullable String corpId, @Nullable String token, @Nullable String encodingAesKey,
            @Nullable String agentId) {
        List<Violation> violations = new ArrayList<>();
        if (corpId == null || corpId.isBlank()) {
            violations.add(new Violation("corpId", "required", "corpId (企业ID, 'My company' page) is required"));
        } else if (corpId.length() > 64) {
            violations.add(new Violation("corpId", "length", "corpId is at most 64 characters"));
        }
        if (token == null || !token.matches("[A-Za-z0-9]{3,32}")) {
            violations.add(new Violation("token", "pattern", "token must be 3–32 letters or digits, as WeCom generates it"));
        }
        if (encodingAesKey == null || !encodingAesKey.matches("[A-Za-z0-9+/]{43}") || aesKey(encodingAesKey) == null) {
            violations.add(new Violation("encodingAesKey", "pattern",
                    "encodingAesKey must be the 43 base64 characters (A–Z, a–z, 0–9, +, /) WeCom generates"));
        }
        if (agentId != null && !agentId.isEmpty() && !agentId.matches("\\d{1,20}")) {
            violations.add(new Violation("agentId", "pattern", "agentId (AgentId of the app) is digits"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        return new WeComApp(corpId.trim(), token, encodingAesKey, agentId == null || agentId.isEmpty() ? null : agentId);
    }

    /**
     * Checks a callback's signature, then decrypts the payload it signs.
     *
     * @param encrypted the base64 ciphertext: the {@code echostr} of a URL check or the {@code Encrypt} of a callback
     * @param field how {@code encrypted} is named in errors
     * @throws Unauthorized when the signature is not this app's
     * @throws InvalidInput when the payload cannot be decrypted with this app's key
     */
    String open(String signature, String timestamp, String nonce, String encrypted, String field) {
        byte[] expected = SHA1.gen(token, timestamp, nonce, encrypted).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new Unauthorized("WeCom", "msg_signature does not match this tenant's WeCom token");
        }
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(encrypted);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(field, "base64", field + " is not base64");
        }
        requirePlausibleLength(ciphertext, field);
        try {
            return new WxCryptUtil(token, encodingAesKey, corpId).decrypt(encrypted);
        } catch (RuntimeException e) {
            throw undecryptable(field);
        }
    }

    /**
     * WxJava 4.7.3.B trusts the message length inside the plaintext. Under a wrong EncodingAESKey
     * that length is random, up to 2 GB, and it would allocate it; so read it from the first two
     * blocks and refuse a length the ciphertext cannot hold before handing over.
     */
    private void requirePlausibleLength(byte[] ciphertext, String field) {
        if (ciphertext.length < 32 || ciphertext.length % 16 != 0) {
            throw undecryptable(field);
        }
        byte[] key = aesKey(encodingAesKey);
        if (key == null) {
            throw new IllegalStateException("the stored EncodingAESKey of corp " + corpId + " is not base64");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            byte[] head = cipher.doFinal(ciphertext, 0, 32); // 16 random bytes, then the big-endian length
            int length = ByteBuffer.wrap(head, 16, 4).getInt();
            if (length < 0 || length > ciphertext.length - 20) {
                throw undecryptable(field);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is missing from this JDK", e);
        }
    }

    /** The 32-byte key the 43 characters stand for, or null when they are not base64. */
    private static byte @Nullable [] aesKey(String encodingAesKey) {
        try {
            return Base64.getDecoder().decode(encodingAesKey + "=");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static InvalidInput undecryptable(String field) {
        return new InvalidInput(field, "decrypt",
                field + " cannot be decrypted with this tenant's EncodingAESKey; check the key set in Siyu matches the app's");
    }

    /** Keeps the secrets out of logs and error messages. */
    @Override
    public String toString() {
        return "WeComApp[corpId=" + corpId + ", agentId=" + agentId + ", token=****, encodingAesKey=****]";
    }
}
