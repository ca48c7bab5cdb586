package io.siyu.service.desk;

import io.siyu.platform.TenantId;
import io.siyu.service.dialogue.Answers;
import io.siyu.service.nlu.LanguageUnderstanding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reply suggestions for the agent on a ticket: answers (FAQ first, then canned) to the person's
 * latest messages, plus the queue's opening line. The agent edits and sends; nothing goes out
 * unreviewed.
 */
@Component
class Suggestions {

    record Suggestion(String text, String source, double confidence) {}

    private final LanguageUnderstanding nlu;
    private final List<Answers> answers;

    Suggestions(LanguageUnderstanding nlu, List<Answers> answers) {
        this.nlu = nlu;
        this.answers = answers;
    }

    List<Suggestion> forTicket(TenantId tenant, Tickets.Ticket ticket) {
        List<Suggestion> out = new ArrayList<>();
        out.add(new Suggestion(opening(ticket), "canned", 1.0));
        Set<String> seen = new LinkedHashSet<>();
        JsonNode transcript = ticket.transcript();
        for (int i = transcript.size() - 1; i >= 0 && out.size() < 5; i--) {
            JsonNode message = transcript.get(i);
            if (!message.path("sender").asString("").equals("person")) {
                continue;
            }
            String text = message.path("text").asString("");
            String intent = nlu.understand(text).topIntent();
            for (Answers source : answers) {
                Optional<Answers.Answer> answer = source.find(tenant, text, intent);
                if (answer.isPresent() && seen.add(answer.get().text())) {
                    out.add(new Suggestion(answer.get().text(), answer.get().source(), answer.get().confidence()));
                }
            }
        }
        return out;
    }

    private static String opening(Tickets.Ticket ticket) {
        return switch (ticket.reason()) {
            case "angry", "complaint" -> "非常抱歉给您带来不好的体验，我是客服专员，马上为您处理。";
            case "return_request" -> "您好，我是售后专员，已收到您的退货申请，我来为您跟进。";
            default -> "您好，我是人工客服，已了解您的问题，请稍等，我马上为您处理。";
        };
    }
}
