package io.siyu.segment;

import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/** What the tag and segment endpoints share: names, and paging through a bitmap of people. */
final class PersonPages {

    static final int MAX_LIMIT = 10_000;
    static final int MAX_NAME = 64;

    private PersonPages() {}

    /** @throws InvalidInput naming {@code field} unless the name is 1–64 characters without control characters */
    static void requireName(String field, String name) {
        if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput(field, "format", "names are 1–" + MAX_NAME + " characters without control characters");
        }
    }

    /** @throws InvalidInput unless 1 ≤ limit ≤ 10,000 */
    static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInput("limit", "range", "limit must be 1–" + MAX_LIMIT);
        }
    }

    /**
     * Up to {@code limit} person ids after person index {@code after} (-1: from the start), with the
     * total and the {@code next} cursor (-1 at the end).
     */
    static Map<String, Object> page(int tenant, RoaringBitmap members, int limit, int after) {
        List<String> ids = new ArrayList<>(Math.min(limit, members.getCardinality()));
        PeekableIntIterator it = members.getIntIterator();
        it.advanceIfNeeded(after + 1);
        int last = after;
        while (it.hasNext() && ids.size() < limit) {
            last = it.next();
            ids.add(PersonId.of(tenant, last).toString());
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", members.getLongCardinality());
        page.put("people", ids);
        page.put("next", it.hasNext() ? last : -1);
        return page;
    }
}
