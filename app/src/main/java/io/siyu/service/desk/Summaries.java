package io.siyu.service.desk;

import io.siyu.service.desk.Conversations.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An extractive summary for the agent who takes over: the person's most informative messages in
 * their original order, scored by what they carry (order numbers and other digits, negative
 * feeling, length) and prefixed by the intent and feeling of the conversation.
 */
final class Summaries {

    static final int MAX_SENTENCES = 3;
    private static final Pattern DIGITS = Pattern.compile("\\d{6,}");

    private Summaries() {}

    static String summarise(List<Message> transcript, String reason) {
        List<Message> person = transcript.stream().filter(m -> m.sender().equals("person")).toList();
        if (person.isEmpty()) {
            return "转人工原因 / reason: " + reason;
        }
        List<Message> picked = new ArrayList<>(person.stream().sorted(Comparator.comparingDouble(Summaries::score).reversed())
                .limit(MAX_SENTENCES).toList());
        picked.sort(Comparator.comparingInt(Message::seq));
        Message last = person.getLast();
        StringBuilder out = new StringBuilder();
        out.append("转人工原因: ").append(reason)
                .append("；最近意图: ").append(last.intent() == null ? "未知" : last.intent())
                .append("；情绪: ").append(last.sentiment() == null ? "未知" : last.sentiment()).append('\n');
        for (Message m : picked) {
            out.append("· ").append(m.text().length() > 140 ? m.text().substring(0, 140) + "…" : m.text()).append('\n');
        }
        return out.toString().strip();
    }

    private static double score(Message m) {
        double score = Math.min(m.text().length(), 60) / 60.0;
        if (DIGITS.matcher(m.text()).find()) {
            score += 1;
        }
        if (m.sentimentScore() != null && m.sentimentScore() < 0) {
            score += -m.sentimentScore();
        }
        if (m.intent() != null && !m.intent().equals("greeting") && !m.intent().equals("goodbye") && !m.intent().equals("fallback")) {
            score += 0.5;
        }
        return score;
    }
}
