package io.siyu.segment;

import io.siyu.identity.PersonId;
import io.siyu.identity.PersonIdList;
import io.siyu.platform.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.BatchIterator;
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
        PersonIdList ids = first(tenant, members, after, limit);
        List<String> people = new ArrayList<>(ids.size());
        for (PersonId id : ids) {
            people.add(id.toString());
        }
        int last = ids.isEmpty() ? after : ids.index(ids.size() - 1);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", members.getLongCardinality());
        page.put("people", people);
        page.put("next", !members.isEmpty() && last < members.last() ? last : -1);
        return page;
    }

    /** The first {@code limit} members after person index {@code after} (-1: from the start). */
    static PersonIdList first(int tenant, RoaringBitmap members, int after, int limit) {
        int[] indexes = new int[(int) Math.min(limit, members.getLongCardinality())];
        int n = 0;
        BatchIterator batches = members.getBatchIterator();
        batches.advanceIfNeeded(after + 1);
        int[] batch = new int[Math.max(1, Math.min(4_096, indexes.length))];
        while (n < indexes.length && batches.hasNext()) {
            int take = Math.min(batches.nextBatch(batch), indexes.length - n);
            System.arraycopy(batch, 0, indexes, n, take);
            n += take;
        }
        return new PersonIdList(tenant, n == indexes.length ? indexes : java.util.Arrays.copyOf(indexes, n));
    }
}
