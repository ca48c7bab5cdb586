package io.siyu.service.nlu;

import io.siyu.platform.TenantId;
import io.siyu.service.nlu.LanguageUnderstanding.Understanding;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/service/nlu}: what a message means, for integrations and the operator console. */
@RestController
@RequestMapping("/api/v1/service/nlu")
class NluController {

    record Request(@Nullable String text) {}

    record Response(String intent, double confidence, List<Entity> entities, Sentiment sentiment) {}

    private final LanguageUnderstanding nlu;

    NluController(LanguageUnderstanding nlu) {
        this.nlu = nlu;
    }

    @PostMapping
    Response understand(TenantId tenant, @RequestBody Request request) {
        String text = MessageText.require(request.text());
        Understanding u = nlu.understand(text);
        return new Response(u.intent(), u.confidence(), u.entities(), u.sentiment());
    }
}
