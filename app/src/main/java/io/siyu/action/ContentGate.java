package io.siyu.action;

import io.siyu.platform.TenantId;
import java.util.List;

/**
 * Content compliance (Advertising Law and the tenant's own lists), applied to every outgoing
 * text: journey messages, agent replies, bot answers, generated text. The compliance capability
 * provides the real one; until a bean exists, callers pass everything.
 */
public interface ContentGate {

    enum Verdict { PASS, REVIEW, BLOCK }

    record Finding(String category, String term, int start, int end, String rule) {}

    record Result(Verdict verdict, List<Finding> findings) {
        public Result {
            findings = List.copyOf(findings);
        }

        public static final Result PASSED = new Result(Verdict.PASS, List.of());
    }

    Result check(TenantId tenant, String text);
}
