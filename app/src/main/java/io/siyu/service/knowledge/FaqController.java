package io.siyu.service.knowledge;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** FAQ CRUD, a search preview with confidence, hit-rate figures and suggested FAQs from unanswered questions. */
@RestController
@RequestMapping("/api/v1/service/faqs")
class FaqController {

    record FaqBody(@Nullable String question, @Nullable String answer, @Nullable List<String> alternates) {}

    record Query(@Nullable String text) {}

    private final KnowledgeBase knowledge;
    private final Faqs faqs;

    FaqController(KnowledgeBase knowledge, Faqs faqs) {
        this.knowledge = knowledge;
        this.faqs = faqs;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Faqs.Faq create(TenantId tenant, @RequestBody FaqBody body) {
        return knowledge.create(tenant, body.question(), body.answer(), body.alternates());
    }

    @GetMapping
    List<Faqs.Faq> list(TenantId tenant) {
        return faqs.all(tenant);
    }

    @GetMapping("/{id}")
    Faqs.Faq get(TenantId tenant, @PathVariable long id) {
        return faqs.require(tenant, id);
    }

    @PutMapping("/{id}")
    Faqs.Faq update(TenantId tenant, @PathVariable long id, @RequestBody FaqBody body) {
        return knowledge.update(tenant, id, body.question(), body.answer(), body.alternates());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(TenantId tenant, @PathVariable long id) {
        knowledge.delete(tenant, id);
    }

    /** What the bot would answer from the FAQ alone (counts as a lookup). */
    @PostMapping("/answer")
    Map<String, Object> answer(TenantId tenant, @RequestBody Query query) {
        String text = io.siyu.service.nlu.MessageText.require(query.text());
        return knowledge.find(tenant, text, "")
                .<Map<String, Object>>map(a -> Map.of("answered", true, "answer", a.text(), "confidence", a.confidence(), "source", a.source()))
                .orElse(Map.of("answered", false));
    }

    @GetMapping("/stats")
    Map<String, Object> stats(TenantId tenant) {
        return knowledge.stats(tenant);
    }

    @GetMapping("/suggestions")
    List<UnansweredClusters.Cluster> suggestions(TenantId tenant, @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 200) {
            throw new InvalidInput("limit", "range", "limit 须为 1–200 / limit must be 1 to 200");
        }
        return knowledge.suggestions(tenant, limit);
    }
}
