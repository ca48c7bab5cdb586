package io.siyu.segment;

import io.siyu.engine.TenantState;
import io.siyu.platform.NotFound;

/** The members of a segment or rule tag, for other capabilities (the privacy capability's audited export). */
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
}
