package io.siyu.service.desk;

import io.siyu.platform.TenantId;
import io.siyu.service.desk.Conversations.Message;
import java.util.UUID;

/**
 * A channel that carries what the desk says (bot replies, agent replies, system notes) back to the
 * person, beside the web widget's stream: called inside the transaction that stores the message,
 * so an implementation can queue it atomically with the transcript.
 */
public interface ConversationOutbound {

    void said(TenantId tenant, UUID conversation, Message message);
}
