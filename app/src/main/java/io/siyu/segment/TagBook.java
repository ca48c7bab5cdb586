package io.siyu.segment;

import io.siyu.engine.EngineExtension;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.TenantState;
import io.siyu.profile.Dictionary;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.roaringbitmap.RoaringBitmap;

/**
 * The tags of one tenant: a Roaring bitmap of person indexes per tag, so "who has tag X" is a
 * bitmap and "how many have X and Y but not Z" is a few word-wise operations over millions of
 * people. Changed only on the partition's thread by logged events ({@value #ASSIGNED},
 * {@value #REMOVED}), hence rebuilt exactly by replay.
 */
public final class TagBook implements EngineExtension.Part {

    /** The event that gives a person a tag; property {@code tag}, optional {@code group}. */
    public static final String ASSIGNED = "Tag Assigned";
    /** The event that takes a tag away; property {@code tag}. */
    public static final String REMOVED = "Tag Removed";

    private final Dictionary names;
    private RoaringBitmap[] members;
    /** Group id per tag id, -1 when the tag is in no group; tags of one group exclude each other. */
    private int[] groups;
    private final Dictionary groupNames;

    TagBook() {
        this(new Dictionary(), new RoaringBitmap[16], new int[16], new Dictionary());
        Arrays.fill(groups, -1);
    }

    private TagBook(Dictionary names, RoaringBitmap[] members, int[] groups, Dictionary groupNames) {
        this.names = names;
        this.members = members;
        this.groups = groups;
        this.groupNames = groupNames;
    }

    @Override
    public void applied(TenantState state, Event event, int person) {
        if (event.kind() != EventKind.TRACK || !(event.name().equals(ASSIGNED) || event.name().equals(REMOVED))) {
            return;
        }
        TagChange change = TagChange.of(event);
        if (change == null) {
            return;
        }
        if (event.name().equals(ASSIGNED)) {
            assign(person, change.tag(), change.group());
        } else {
            remove(person, change.tag());
        }
    }

    /**
     * Gives a person a tag; in a group, the person's other tags of that group are removed.
     *
     * @return true when the person did not have it
     */
    public boolean assign(int person, String tag, @Nullable String group) {
        int id = idOf(tag);
        if (group != null) {
            int groupId = groupNames.id(group);
            groups[id] = groupId;
            for (int other = 0; other < names.size(); other++) {
                if (other != id && groups[other] == groupId && members[other] != null) {
                    members[other].remove(person);
                }
            }
        }
        return members[id].checkedAdd(person);
    }

    /**
     * Replaces the members of every tag of a group at once, as a recomputation (RFM, a model)
     * does; tags of the group missing from {@code members} end up empty.
     */
    public void replaceGroup(String group, java.util.Map<String, RoaringBitmap> members) {
        int groupId = groupNames.id(group);
        for (int id = 0; id < names.size(); id++) {
            if (groups[id] == groupId && this.members[id] != null) {
                this.members[id] = new RoaringBitmap();
            }
        }
        members.forEach((tag, bitmap) -> {
            int id = idOf(tag);
            groups[id] = groupId;
            this.members[id] = bitmap.clone();
        });
    }

    /** Replaces the members of one tag (a rule tag's recomputation). */
    public void replaceTag(String tag, RoaringBitmap people) {
        int id = idOf(tag); // may grow the arrays: index only after
        members[id] = people.clone();
    }

    /** @return true when the person had the tag */
    public boolean remove(int person, String tag) {
        int id = names.find(tag);
        return id >= 0 && members[id] != null && members[id].checkedRemove(person);
    }

    public boolean has(int person, String tag) {
        int id = names.find(tag);
        return id >= 0 && members[id] != null && members[id].contains(person);
    }

    /** The people holding a tag; an empty bitmap for unknown tags. Do not modify the result. */
    public RoaringBitmap members(String tag) {
        int id = names.find(tag);
        return id < 0 || members[id] == null ? new RoaringBitmap() : members[id];
    }

    /** Names of all tags ever used, with their member counts. */
    public List<TagCount> counts() {
        List<TagCount> counts = new ArrayList<>();
        for (int id = 0; id < names.size(); id++) {
            counts.add(new TagCount(names.name(id), groups[id] < 0 ? null : groupNames.name(groups[id]),
                    members[id] == null ? 0 : members[id].getLongCardinality()));
        }
        return counts;
    }

    /** A tag, its group and how many people hold it. */
    public record TagCount(String tag, @Nullable String group, long people) {}

    @Override
    public void merged(TenantState state, int from, int into) {
        for (int id = 0; id < names.size(); id++) {
            RoaringBitmap bitmap = members[id];
            if (bitmap != null && bitmap.checkedRemove(from)) {
                bitmap.add(into);
            }
        }
    }

    @Override
    public void tagsOf(int person, List<String> into) {
        for (int id = 0; id < names.size(); id++) {
            if (members[id] != null && members[id].contains(person)) {
                into.add(names.name(id));
            }
        }
    }

    private int idOf(String tag) {
        int id = names.id(tag);
        if (id >= members.length) {
            members = Arrays.copyOf(members, Math.max(id + 1, members.length * 2));
            int old = groups.length;
            groups = Arrays.copyOf(groups, members.length);
            Arrays.fill(groups, old, groups.length, -1);
        }
        if (members[id] == null) {
            members[id] = new RoaringBitmap();
        }
        return id;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        names.write(out);
        groupNames.write(out);
        for (int id = 0; id < names.size(); id++) {
            out.writeInt(groups[id]);
            RoaringBitmap bitmap = members[id] == null ? new RoaringBitmap() : members[id];
            bitmap.runOptimize();
            bitmap.serialize(out);
        }
    }

    static TagBook read(DataInput in) throws IOException {
        Dictionary names = Dictionary.read(in);
        Dictionary groupNames = Dictionary.read(in);
        int n = Math.max(16, names.size());
        RoaringBitmap[] members = new RoaringBitmap[n];
        int[] groups = new int[n];
        Arrays.fill(groups, -1);
        for (int id = 0; id < names.size(); id++) {
            groups[id] = in.readInt();
            members[id] = new RoaringBitmap();
            members[id].deserialize(in);
        }
        return new TagBook(names, members, groups, groupNames);
    }
}
