package io.siyu.compliance;

import io.siyu.action.ContentGate.Result;
import io.siyu.platform.Caller;
import io.siyu.platform.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Checking copy, submitting user-generated content, and the human review queue. */
@RestController
@RequestMapping("/api/v1/compliance")
class ContentController {

    record Text(@Nullable String text) {}

    record Submission(@Nullable String text, @Nullable String reference) {}

    record Decision(@Nullable String note) {}

    private final ContentChecker checker;
    private final ReviewQueue reviews;

    ContentController(ContentChecker checker, ReviewQueue reviews) {
        this.checker = checker;
        this.reviews = reviews;
    }

    @PostMapping("/check")
    Map<String, Object> check(TenantId tenant, @RequestBody Text body) {
        ContentChecker.Screening screening = checker.screen(tenant, Inputs.text(body.text()), ReviewQueue.Source.CHECK);
        Map<String, Object> answer = verdict(screening.result());
        if (screening.review() != null) {
            answer.put("review", Map.of("id", screening.review().id(), "status", lower(screening.review().status())));
        }
        return answer;
    }

    @PostMapping("/reviews")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> submit(TenantId tenant, @RequestBody Submission body) {
        String text = Inputs.text(body.text());
        String reference = Inputs.optionalText("reference", body.reference(), 200);
        return view(reviews.submit(tenant, reference, text, checker.lexiconVerdict(tenant, text)));
    }

    @GetMapping("/reviews")
    Map<String, Object> list(TenantId tenant, @RequestParam(defaultValue = "pending") String status,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") long after) {
        List<ReviewQueue.Item> items = reviews.list(tenant, Inputs.choice("status", status, ReviewQueue.Status.class),
                Inputs.limit(limit), after);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items.stream().map(ContentController::view).toList());
        page.put("next", items.size() == limit ? items.getLast().id() : -1);
        return page;
    }

    @GetMapping("/reviews/{id}")
    Map<String, Object> one(TenantId tenant, @PathVariable long id) {
        return view(reviews.find(tenant, id));
    }

    @PostMapping("/reviews/{id}/approve")
    Map<String, Object> approve(TenantId tenant, Caller caller, @PathVariable long id, @RequestBody(required = false) @Nullable Decision body) {
        return decide(tenant, caller, id, ReviewQueue.Status.APPROVED, body);
    }

    @PostMapping("/reviews/{id}/reject")
    Map<String, Object> reject(TenantId tenant, Caller caller, @PathVariable long id, @RequestBody(required = false) @Nullable Decision body) {
        return decide(tenant, caller, id, ReviewQueue.Status.REJECTED, body);
    }

    private Map<String, Object> decide(TenantId tenant, Caller caller, long id, ReviewQueue.Status decision,
            @Nullable Decision body) {
        String note = body == null ? null : Inputs.optionalText("note", body.note(), 1_000);
        return view(reviews.decide(tenant, id, decision, Inputs.who(caller), note));
    }

    private static Map<String, Object> verdict(Result result) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("verdict", lower(result.verdict()));
        answer.put("findings", result.findings());
        return answer;
    }

    private static Map<String, Object> view(ReviewQueue.Item item) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", item.id());
        view.put("source", item.source());
        view.put("reference", item.reference());
        view.put("text", item.text());
        view.put("verdict", lower(item.verdict()));
        view.put("findings", item.findings());
        view.put("status", lower(item.status()));
        view.put("createdAt", item.createdAt());
        view.put("decidedAt", item.decidedAt());
        view.put("decidedBy", item.decidedBy());
        view.put("note", item.note());
        return view;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
