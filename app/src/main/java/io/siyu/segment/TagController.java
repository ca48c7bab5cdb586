package io.siyu.segment;

import io.siyu.engine.Engine;
import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Manual tags: operators and systems give and take tags by identifier. Every change goes through
 * the log as a Tag Assigned / Tag Removed event, so it is durable, replayable and visible to
 * journeys like any other event.
 */
@RestController
@RequestMapping("/api/v1/tags")
class TagController {

    record People(@Nullable List<String> identifiers, @Nullable String group) {}

    private final Engine engine;
    private final ManualTags manualTags;

    TagController(Engine engine, ManualTags manualTags) {
        this.engine = engine;
        this.manualTags = manualTags;
    }

    @GetMapping
    List<TagBook.TagCount> tags(TenantId tenant) {
        return engine.ask(tenant.value(), state -> state.part(TagExtension.ID, TagBook.class).counts());
    }

    @PostMapping("/{tag}/people")
    Map<String, Object> assign(TenantId tenant, @PathVariable String tag, @RequestBody People people) {
        return change(tenant, tag, people, TagBook.ASSIGNED);
    }

    @PostMapping("/{tag}/people/remove")
    Map<String, Object> remove(TenantId tenant, @PathVariable String tag, @RequestBody People people) {
        return change(tenant, tag, people, TagBook.REMOVED);
    }

    @GetMapping("/{tag}/people")
    Map<String, Object> members(TenantId tenant, @PathVariable String tag, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(defaultValue = "-1") int after) {
        PersonPages.requireName("tag", tag);
        PersonPages.requireLimit(limit);
        return engine.ask(tenant.value(), state -> {
            Map<String, Object> page = PersonPages.page(tenant.value(),
                    state.part(TagExtension.ID, TagBook.class).members(tag), limit, after);
            page.put("tag", tag);
            return page;
        });
    }

    private Map<String, Object> change(TenantId tenant, String tag, People people, String eventName) {
        return manualTags.change(tenant, tag, people.identifiers(), people.group(), eventName);
    }
}
