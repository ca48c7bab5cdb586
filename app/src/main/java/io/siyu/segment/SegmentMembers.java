package io.siyu.segment;

import io.siyu.engine.TenantState;
import io.siyu.identity.PersonIdList;
import io.siyu.platform.NotFound;
import org.roaringbitmap.RoaringBitmap;

/** The members of a segment or tag, for other capabilities (the privacy capability's audited export, bulk sends). */
public final class SegmentMembers {

    private SegmentMembers() {}

    /**
     * Person indexes of the members, ascending. Call on the tenant's partition (inside
     * {@code engine.ask}).
     *
     * @throws NotFound when the tenant has no segment or rule tag of that name
     */
    public static int[] of(TenantState state, String name) {
        SegmentBook book = state.part(SegmentExtension.ID, SegmentBook.class);
        if (book.definitions().stream().noneMatch(d -> d.name().equals(name))) {
            throw new NotFound("no segment or rule tag '" + name + "'");
        }
        return book.members(state, name).toArray();
    }

    /**
     * Up to {@code limit} members of a segment, rule tag or tag after person index {@code after}
     * (-1: from the start), ascending; an unknown tag has none. Call on the tenant's partition.
     */
    public static PersonIdList list(TenantState state, String name, int after, int limit) {
        SegmentBook book = state.part(SegmentExtension.ID, SegmentBook.class);
        RoaringBitmap members = book.definitions().stream().anyMatch(d -> d.name().equals(name))
                ? book.members(state, name) : state.part(TagExtension.ID, TagBook.class).members(name);
        return PersonPages.first(state.tenant(), members, after, limit);
    }
}
