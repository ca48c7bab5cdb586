package io.siyu.identity;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The identity graph of one tenant: which identifiers belong to which person. Single-writer and
 * deterministic, so replaying the same log always yields the same people.
 *
 * <p>Rules, in the order they are applied to the identifiers of one event:
 * <ol>
 *   <li>The event's person is the owner of its user id if it has one, else of its first strong
 *       identifier, else of its first identifier; a new person is created when none is known.</li>
 *   <li>Unknown identifiers join that person unless the person already holds the cap for their
 *       type (a user id, a unionid: cap 1) or an operator said they are different people.</li>
 *   <li>A known identifier of another person merges that person into the event's person, unless
 *       both hold different values of a capped-at-one type (two user ids are never merged
 *       automatically) or an operator said they are different people.</li>
 * </ol>
 * Merges move identifiers, never delete them; the merged-away person's id keeps resolving to the
 * survivor.
 */
public final class IdentityGraph {

    private final IdentifierIndex index = new IdentifierIndex();
    private Identifier[][] identifiers = new Identifier[1024][];
    private int[] mergedInto = new int[1024]; // survivor + 1; 0 while the person is its own
    private int size;
    private final Map<Identifier, Map<Identifier, Long>> distinct = new HashMap<>();

    /** What resolving one event's identifiers did. */
    public record Resolution(int person, boolean created, List<Merge> merges) {}

    /** Person {@code from} was folded into person {@code into}. */
    public record Merge(int from, int into, Identifier via) {}

    /** Number of people ever created, merged-away ones included. */
    public int size() {
        return size;
    }

    /** Number of identifiers known. */
    public int identifierCount() {
        return index.size();
    }

    /**
     * Finds the person holding an identifier.
     *
     * @return the person's index, or -1 when nobody holds it
     */
    public int lookup(Identifier identifier) {
        return index.get(identifier);
    }

    /** Follows merges to the person that now stands for {@code person}; -1 when unknown. */
    public int canonical(int person) {
        if (person < 0 || person >= size) {
            return -1;
        }
        int p = person;
        while (mergedInto[p] != 0) {
            p = mergedInto[p] - 1;
        }
        return p;
    }

    public boolean isMerged(int person) {
        return mergedInto[person] != 0;
    }

    /** The identifiers of a person, in the order they were learnt. */
    public List<Identifier> identifiersOf(int person) {
        Identifier[] ids = identifiers[person];
        return ids == null ? List.of() : List.of(ids);
    }

    /**
     * Resolves the identifiers of one event to a person, creating, linking and merging as the
     * rules above say.
     *
     * @param ids at least one identifier
     * @throws IllegalArgumentException when {@code ids} is empty
     */
    public Resolution resolve(List<Identifier> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("an event needs at least one identifier");
        }
        Identifier primary = primaryOf(ids);
        int person = index.get(primary);
        boolean created = false;
        if (person < 0) {
            person = create(primary);
            created = true;
        }
        List<Merge> merges = List.of();
        for (Identifier id : ids) {
            if (id.equals(primary)) {
                continue;
            }
            int owner = index.get(id);
            if (owner == person) {
                continue;
            }
            if (owner < 0) {
                if (canLink(person, id)) {
                    link(person, id);
                }
            } else if (canMerge(person, owner)) {
                if (merges.isEmpty()) {
                    merges = new ArrayList<>(1);
                }
                merge(owner, person);
                merges.add(new Merge(owner, person, id));
            }
        }
        return new Resolution(person, created, merges);
    }

    /**
     * Merges the owners of two identifiers because an operator said they are one person; this
     * overrides the automatic caps and lifts any earlier "distinct" ruling between them. A ruling
     * made after the merge (at a higher log position) wins: the merge is then skipped.
     *
     * @param seq the log position of the operator's merge
     * @return the merge, or null when both already belong to the same person
     * @throws IllegalArgumentException when either identifier is unknown
     */
    public @Nullable Merge mergeByOperator(Identifier survivorId, Identifier otherId, long seq) {
        int survivor = requireKnown(survivorId);
        int other = requireKnown(otherId);
        if (survivor == other) {
            return null;
        }
        for (Identifier a : identifiersOf(survivor)) {
            for (Identifier b : identifiersOf(other)) {
                Map<Identifier, Long> rulings = distinct.get(a);
                Long since = rulings == null ? null : rulings.get(b);
                if (since != null && since >= seq) {
                    return null; // a later ruling undid this merge
                }
            }
        }
        for (Identifier a : identifiersOf(survivor)) {
            for (Identifier b : identifiersOf(other)) {
                forget(a, b);
                forget(b, a);
            }
        }
        merge(other, survivor);
        return new Merge(other, survivor, otherId);
    }

    /**
     * Records that two identifiers belong to different people. Applied from the start of a replay,
     * this splits a wrong merge: history carrying {@code b} no longer joins the holder of {@code a}.
     */
    public void declareDistinct(Identifier a, Identifier b, long sinceSeq) {
        distinct.computeIfAbsent(a, k -> new HashMap<>()).put(b, sinceSeq);
        distinct.computeIfAbsent(b, k -> new HashMap<>()).put(a, sinceSeq);
    }

    private void forget(Identifier a, Identifier b) {
        Map<Identifier, Long> rulings = distinct.get(a);
        if (rulings != null) {
            rulings.remove(b);
        }
    }

    private int requireKnown(Identifier id) {
        int p = index.get(id);
        if (p < 0) {
            throw new IllegalArgumentException("no person holds " + id);
        }
        return p;
    }

    private static Identifier primaryOf(List<Identifier> ids) {
        Identifier strong = null;
        for (Identifier id : ids) {
            if (id.type() == IdentifierType.USER_ID) {
                return id;
            }
            if (strong == null && id.type().strong()) {
                strong = id;
            }
        }
        return strong != null ? strong : ids.getFirst();
    }

    private int create(Identifier first) {
        if (size == identifiers.length) {
            identifiers = Arrays.copyOf(identifiers, size * 2);
            mergedInto = Arrays.copyOf(mergedInto, size * 2);
        }
        int person = size++;
        identifiers[person] = new Identifier[] {first};
        index.put(first, person);
        return person;
    }

    private boolean canLink(int person, Identifier id) {
        int count = 0;
        for (Identifier held : identifiers[person]) {
            if (held.type() == id.type()) {
                count++;
            }
            if (isDistinct(held, id)) {
                return false;
            }
        }
        return count < id.type().cap();
    }

    private boolean canMerge(int survivor, int other) {
        for (Identifier a : identifiers[survivor]) {
            for (Identifier b : identifiers[other]) {
                if (a.type() == b.type() && a.type().cap() == 1 && !a.value().equals(b.value())) {
                    return false;
                }
                if (isDistinct(a, b)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean isDistinct(Identifier a, Identifier b) {
        if (distinct.isEmpty()) {
            return false;
        }
        Map<Identifier, Long> rulings = distinct.get(a);
        return rulings != null && rulings.containsKey(b);
    }

    private void link(int person, Identifier id) {
        Identifier[] held = identifiers[person];
        Identifier[] grown = Arrays.copyOf(held, held.length + 1);
        grown[held.length] = id;
        identifiers[person] = grown;
        index.put(id, person);
    }

    private void merge(int from, int into) {
        Identifier[] moving = identifiers[from];
        Identifier[] held = identifiers[into];
        Identifier[] joined = Arrays.copyOf(held, held.length + moving.length);
        System.arraycopy(moving, 0, joined, held.length, moving.length);
        identifiers[into] = joined;
        identifiers[from] = new Identifier[0];
        for (Identifier id : moving) {
            index.put(id, into);
        }
        mergedInto[from] = into + 1;
    }

    /** Writes the graph for a snapshot; {@link #read} restores it. */
    public void write(DataOutput out) throws IOException {
        freeze().write(out);
    }

    /**
     * The graph as it is now, for a snapshot written later on another thread while this one goes
     * on changing. Cheap: a person's identifiers are never changed in place (linking and merging
     * put a new array in the slot) and identifiers are immutable, so copying the two arrays of
     * slots, plus the operators' few rulings, is a consistent copy.
     */
    public Frozen freeze() {
        Map<Identifier, Map<Identifier, Long>> rulings = new LinkedHashMap<>();
        distinct.forEach((id, others) -> rulings.put(id, new LinkedHashMap<>(others)));
        return new Frozen(Arrays.copyOf(identifiers, size), Arrays.copyOf(mergedInto, size), rulings);
    }

    /** A copy of the graph at one moment; see {@link #freeze()}. Safe to write from any thread. */
    public static final class Frozen {
        private final Identifier[][] identifiers;
        private final int[] mergedInto;
        private final Map<Identifier, Map<Identifier, Long>> distinct;

        private Frozen(Identifier[][] identifiers, int[] mergedInto, Map<Identifier, Map<Identifier, Long>> distinct) {
            this.identifiers = identifiers;
            this.mergedInto = mergedInto;
            this.distinct = distinct;
        }

        /** Writes the graph for a snapshot; {@link IdentityGraph#read} restores it. */
        public void write(DataOutput out) throws IOException {
            out.writeInt(identifiers.length);
            for (int p = 0; p < identifiers.length; p++) {
                out.writeInt(mergedInto[p]);
                Identifier[] ids = identifiers[p];
                out.writeShort(ids.length);
                for (Identifier id : ids) {
                    writeIdentifier(out, id);
                }
            }
            out.writeInt(distinct.size());
            for (var entry : distinct.entrySet()) {
                writeIdentifier(out, entry.getKey());
                out.writeInt(entry.getValue().size());
                for (var other : entry.getValue().entrySet()) {
                    writeIdentifier(out, other.getKey());
                    out.writeLong(other.getValue());
                }
            }
        }
    }

    public static IdentityGraph read(DataInput in) throws IOException {
        IdentityGraph graph = new IdentityGraph();
        int size = in.readInt();
        int capacity = Math.max(1024, Integer.highestOneBit(Math.max(1, size)) << 1);
        graph.identifiers = new Identifier[capacity][];
        graph.mergedInto = new int[capacity];
        IdentifierType[] types = IdentifierType.values();
        for (int p = 0; p < size; p++) {
            graph.mergedInto[p] = in.readInt();
            Identifier[] ids = new Identifier[in.readShort()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = new Identifier(types[in.readByte()], in.readUTF());
                graph.index.put(ids[i], p);
            }
            graph.identifiers[p] = ids;
        }
        graph.size = size;
        int distinctCount = in.readInt();
        for (int i = 0; i < distinctCount; i++) {
            Identifier key = readIdentifier(in);
            int n = in.readInt();
            Map<Identifier, Long> rulings = new HashMap<>();
            for (int j = 0; j < n; j++) {
                rulings.put(readIdentifier(in), in.readLong());
            }
            graph.distinct.put(key, rulings);
        }
        return graph;
    }

    private static void writeIdentifier(DataOutput out, Identifier id) throws IOException {
        out.writeByte(id.type().ordinal());
        out.writeUTF(id.value());
    }

    private static Identifier readIdentifier(DataInput in) throws IOException {
        return new Identifier(IdentifierType.values()[in.readByte()], in.readUTF());
    }
}
