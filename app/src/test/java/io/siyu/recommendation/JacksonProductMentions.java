package io.siyu.recommendation;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first reading of {@link ProductMentions} (a Jackson streaming parser), kept as the reference
 * the hand-written scanner must agree with. The products an event's properties name, as the Segment e-commerce spec writes them: a top-level
 * {@code product_id} (Product Viewed, Added, ...) or {@code products[].product_id} (Order
 * Completed). Read with a streaming parser that looks at nothing else, because it runs on the
 * engine's hot path for the most frequent events there are.
 */
final class JacksonProductMentions {

    /** A product named by an event, with the category and name the event gave it, if any. */
    

    /** Longer ids are not product ids anyone types; they are skipped rather than interned. */
    static final int MAX_ID = ProductMentions.MAX_ID;
    static final int MAX_NAME = ProductMentions.MAX_NAME;
    /** An order naming more products than this is a bulk import, not a basket; the rest are ignored. */
    static final int MAX_PER_EVENT = ProductMentions.MAX_PER_EVENT;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JacksonProductMentions() {}

    /** The products named by {@code properties}; empty when none or when the body is unreadable. */
    static List<ProductMentions.Mention> of(byte[] properties) {
        if (properties.length == 0) {
            return List.of();
        }
        List<ProductMentions.Mention> mentions = new ArrayList<>(1);
        try (JsonParser parser = JSON.createParser(properties)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            Fields top = new Fields();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("products") && value == JsonToken.START_ARRAY) {
                    while ((value = parser.nextToken()) != JsonToken.END_ARRAY && value != null) {
                        if (value == JsonToken.START_OBJECT) {
                            Fields item = new Fields();
                            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                                String name = parser.currentName();
                                item.take(name, parser.nextToken(), parser);
                            }
                            if (mentions.size() < MAX_PER_EVENT) {
                                item.addTo(mentions);
                            }
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    top.take(field, value, parser);
                }
            }
            if (token == JsonToken.END_OBJECT) {
                top.addTo(mentions);
            }
        } catch (JacksonException e) {
            return List.of(); // the log holds what ingestion accepted; an unreadable body names no product
        }
        return mentions;
    }

    /** The three fields of one product object; everything else is skipped unread. */
    private static final class Fields {
        @Nullable String id;
        @Nullable String category;
        @Nullable String name;

        void take(String field, @Nullable JsonToken value, JsonParser parser) {
            boolean wanted = field.equals("product_id") || field.equals("category") || field.equals("name");
            // ids arrive as strings, and from some SDKs as integers; anything else is skipped unread
            boolean text = value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT && field.equals("product_id");
            if (!wanted || !text) {
                parser.skipChildren();
                return;
            }
            switch (field) {
                case "product_id" -> id = parser.getString();
                case "category" -> category = parser.getString();
                default -> name = parser.getString();
            }
        }

        void addTo(List<ProductMentions.Mention> mentions) {
            String trimmed = id == null ? null : id.strip();
            if (trimmed == null || trimmed.isEmpty() || trimmed.length() > MAX_ID) {
                return;
            }
            String c = category == null || category.isBlank() ? null : category.trim(); // as ingestion interns categories
            String n = name == null || name.isBlank() ? null : abbreviate(name.strip());
            mentions.add(new ProductMentions.Mention(trimmed, c, n));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
    }
}
