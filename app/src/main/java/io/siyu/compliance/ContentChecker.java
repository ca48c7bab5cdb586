package io.siyu.compliance;

import io.siyu.action.ContentGate;
import io.siyu.platform.TenantId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The content gate: the tenant's lexicon decides, and a human decision on the exact text overrides
 * a {@code review} verdict (approved → pass, rejected → block). Copy that still needs review is
 * queued once, so the operators see it without anyone filing it.
 */
@Component
class ContentChecker implements ContentGate {

    /** A verdict and, when the text went through the review queue, its item. */
    record Screening(Result result, ReviewQueue.@Nullable Item review) {}

    private final TenantLexicons lexicons;
    private final ReviewQueue reviews;

    ContentChecker(TenantLexicons lexicons, ReviewQueue reviews) {
        this.lexicons = lexicons;
        this.reviews = reviews;
    }

    @Override
    public Result check(TenantId tenant, String text) {
        return screen(tenant, text, ReviewQueue.Source.GATE).result();
    }

    /** The lexicon's verdict alone, without the review queue: for user-generated content. */
    Result lexiconVerdict(TenantId tenant, String text) {
        return lexicons.of(tenant).check(text);
    }

    Screening screen(TenantId tenant, String text, ReviewQueue.Source source) {
        Result result = lexiconVerdict(tenant, text);
        if (result.verdict() != Verdict.REVIEW) {
            return new Screening(result, null);
        }
        Optional<ReviewQueue.Item> decided = reviews.copy(tenant, text);
        ReviewQueue.Item item = decided.orElseGet(() -> reviews.queueCopy(tenant, source, text, result));
        return switch (item.status()) {
            case PENDING -> new Screening(result, item);
            case APPROVED -> new Screening(new Result(Verdict.PASS, result.findings()), item);
            case REJECTED -> new Screening(new Result(Verdict.BLOCK, result.findings()), item);
        };
    }
}
