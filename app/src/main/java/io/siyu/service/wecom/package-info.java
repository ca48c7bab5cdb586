/**
 * Conversations over WeCom Customer Service (微信客服). A {@code kf_msg_or_event} callback (verified
 * by the WeCom callback URL, handed over through {@link io.siyu.ingestion.WeComServiceCallbacks})
 * makes {@link io.siyu.service.wecom.KfInbox} pull the waiting messages with {@code kf/sync_msg}
 * (stored cursor, paging, each msgid taken once), map each customer text to the person
 * ({@code wecom_external_userid}) and one conversation per kf account and customer
 * ({@link io.siyu.service.wecom.KfStore}), and hand it to the service desk. Bot and agent replies
 * are queued in the same transaction as the transcript and sent with {@code kf/send_msg} by
 * {@link io.siyu.service.wecom.KfOutbox}; {@link io.siyu.service.wecom.KfClient} speaks the HTTP API
 * with the brand's kf secret ({@link io.siyu.service.wecom.KfSettings}).
 */
@NullMarked
package io.siyu.service.wecom;

import org.jspecify.annotations.NullMarked;
