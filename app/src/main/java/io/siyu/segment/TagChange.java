package io.siyu.segment;

import io.siyu.engine.Event;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tag named by a Tag Assigned / Tag Removed event. Tag events are rare next to behaviour
 * events, so parsing their small property JSON here costs nothing on the hot path.
 */
record TagChange(String tag, @Nullable String group) {

    private static final JsonMapper json = JsonMapper.builder().build();

    /** @return the change, or null when the event names no valid tag (the dictionary rejects those on the way in) */
    static @Nullable TagChange of(Event event) {
        if (event.properties().length == 0) {
            return null;
        }
        try {
            JsonNode properties = json.readTree(event.properties());
            JsonNode tag = properties.get("tag");
            if (tag == null || !tag.isString() || tag.stringValue().isBlank() || tag.stringValue().length() > PersonPages.MAX_NAME) {
                return null;
            }
            JsonNode group = properties.get("group");
            return new TagChange(tag.stringValue(), group != null && group.isString() && !group.stringValue().isBlank()
                    ? group.stringValue() : null);
        } catch (JacksonException e) {
            return null;
        }
    }
}
