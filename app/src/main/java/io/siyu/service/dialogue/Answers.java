package io.siyu.service.dialogue;

import io.siyu.platform.TenantId;
import java.util.Optional;

/** Where the bot finds an answer to a question that is not a task: the knowledge base, canned replies. */
public interface Answers {

    record Answer(String text, double confidence, String source) {}

    Optional<Answer> find(TenantId tenant, String question, String intent);
}
