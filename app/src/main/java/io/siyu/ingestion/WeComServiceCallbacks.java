package io.siyu.ingestion;

import io.siyu.platform.TenantId;

/**
 * Where the WeCom callback URL hands a WeCom Customer Service (微信客服) {@code kf_msg_or_event}
 * callback. That callback carries no message, only "messages are waiting for this kf account"
 * and a short-lived token for pulling them with {@code kf/sync_msg}; the customer-service module
 * implements this and pulls. The callback has been verified (signature, decryption) before.
 */
public interface WeComServiceCallbacks {

    /**
     * Messages are waiting. Must return quickly (WeCom expects an answer within five seconds): pull
     * asynchronously. The same token may arrive more than once (WeCom retries).
     *
     * @param corpId the corp the callback was signed for
     * @param openKfId the kf account ({@code OpenKfId}), checked to be 1–64 letters, digits, '-' or '_'
     * @param token the {@code Token} to pass to {@code kf/sync_msg}, checked the same way (at most 128 characters)
     */
    void messagesWaiting(TenantId tenant, String corpId, String openKfId, String token);
}
