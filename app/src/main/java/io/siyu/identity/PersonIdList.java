package io.siyu.identity;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * Person ids of one tenant held as their dense indexes; each {@link PersonId} is minted when read.
 * A million ids cost four megabytes and no objects until someone looks at them, so listing a large
 * segment does not stall on allocation and collection.
 */
public final class PersonIdList extends AbstractList<PersonId> implements RandomAccess {

    private final int tenant;
    private final int[] indexes;

    /** Takes ownership of {@code indexes}. */
    public PersonIdList(int tenant, int[] indexes) {
        this.tenant = tenant;
        this.indexes = indexes;
    }

    @Override
    public PersonId get(int i) {
        return PersonId.of(tenant, indexes[i]);
    }

    /** The dense index of the {@code i}th person, as used by bitmaps and the engine. */
    public int index(int i) {
        return indexes[i];
    }

    @Override
    public int size() {
        return indexes.length;
    }
}
