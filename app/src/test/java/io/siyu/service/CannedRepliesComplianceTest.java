package io.siyu.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ContentGate;
import io.siyu.platform.TenantId;
import io.siyu.service.dialogue.Answers;
import io.siyu.service.dialogue.CannedReplies;
import io.siyu.service.nlu.Intents;
import io.siyu.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every bundled canned reply, Chinese and English, passes the shipped content-compliance check: the
 * desk never sends a bot answer that does not pass, it hands the person to a human instead, so a
 * reply with an Advertising Law absolute term (the coupon reply once said 最优) turned every
 * question of its intent into a ticket.
 */
class CannedRepliesComplianceTest extends ApiTest {

    @Autowired
    ContentGate gate;

    @Test
    void everyCannedReplyPassesTheContentGate() {
        TenantId tenant = newBrand().tenant().id();
        CannedReplies canned = new CannedReplies();
        List<String> failing = new ArrayList<>();
        int checked = 0;
        for (String intent : Intents.LABELS) {
            for (String question : List.of("请问一下", "a question please")) {
                Optional<Answers.Answer> answer = canned.find(tenant, question, intent);
                if (answer.isPresent()) {
                    checked++;
                    ContentGate.Result result = gate.check(tenant, answer.get().text());
                    if (result.verdict() != ContentGate.Verdict.PASS) {
                        failing.add(intent + ": " + answer.get().text() + " → " + result.verdict() + " " + result.findings());
                    }
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
        assertThat(failing).isEmpty();
    }
}
