package io.siyu.engine;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentityGraph;
import io.siyu.identity.PersonId;
import io.siyu.profile.Dictionary;
import io.siyu.profile.Profile;
import io.siyu.profile.ProfileView;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the engine knows about one tenant, rebuilt from the log: identity graph, profiles,
 * dictionaries and the dedupe window. Touched only by its partition's thread.
 */
public final class TenantState {

    /** Day boundaries for windowed counters; brands here live in China Standard Time. */
    static final long ZONE_OFFSET_MS = 8 * 3_600_000L;
    private static final long DAY_MS = 86_400_000L;

    /** How one person came to be folded into another. */
    public record MergeRecord(long seq, int from, int into, String via) {}

    private final int tenant;
    private long lastAppliedSeq;
    private long applied;
    private long duplicates;
    private IdentityGraph graph;
    private Profile[] profiles;
    private final Dictionary events;
    private final Dictionary categories;
    private final Dictionary channels;
    private MessageIdWindow messageIds;
    private final List<MergeRecord> merges;
    private final Map<String, EngineExtension.Part> parts = new LinkedHashMap<>();

    TenantState(int tenant) {
        this(tenant, 0, new IdentityGraph(), new Profile[1024], new Dictionary(), new Dictionary(), new Dictionary(),
                new MessageIdWindow(), new ArrayList<>());
    }

    private TenantState(int tenant, long lastAppliedSeq, IdentityGraph graph, Profile[] profiles, Dictionary events,
            Dictionary categories, Dictionary channels, MessageIdWindow messageIds, List<MergeRecord> merges) {
        this.tenant = tenant;
        this.lastAppliedSeq = lastAppliedSeq;
        this.graph = graph;
        this.profiles = profiles;
        this.events = events;
        this.categories = categories;
        this.channels = channels;
        this.messageIds = messageIds;
        this.merges = merges;
    }

    public int tenant() {
        return tenant;
    }

    /**
     * The state of an extension for this tenant.
     *
     * @throws IllegalStateException when no extension of that id and type is installed
     */
    public <T extends EngineExtension.Part> T part(String extensionId, Class<T> type) {
        EngineExtension.Part part = parts.get(extensionId);
        if (!type.isInstance(part)) {
            throw new IllegalStateException("no engine extension '" + extensionId + "' of type " + type.getSimpleName());
        }
        return type.cast(part);
    }

    void install(List<EngineExtension> extensions) {
        for (EngineExtension extension : extensions) {
            parts.putIfAbsent(extension.id(), extension.create(tenant));
        }
    }

    void rebuiltFrom(TenantState previous, long now) {
        for (var entry : parts.entrySet()) {
            EngineExtension.Part old = previous.parts.get(entry.getKey());
            if (old != null) {
                entry.getValue().rebuiltFrom(old, this, now);
            }
        }
    }

    void tick(long now) {
        for (EngineExtension.Part part : parts.values()) {
            part.tick(this, now);
        }
    }

    /** Dictionary of product categories. */
    public Dictionary categoryNames() {
        return categories;
    }

    /** Dictionary of channels and acquisition sources. */
    public Dictionary channelNames() {
        return channels;
    }

    public long lastAppliedSeq() {
        return lastAppliedSeq;
    }

    public IdentityGraph graph() {
        return graph;
    }

    public Dictionary eventNames() {
        return events;
    }

    /** Number of people, not counting those merged into others. */
    public int people() {
        return graph.size() - merges.size();
    }

    public long applied() {
        return applied;
    }

    public long duplicates() {
        return duplicates;
    }

    /**
     * Applies one event. Events at or below the last applied sequence are ignored, which is what
     * makes replay after a snapshot, and a rebuild racing the live queue, apply each event once.
     *
     * @return the person the event was attributed to, or -1 when it was not applied
     */
    int apply(Event event) {
        if (event.seq() <= lastAppliedSeq) {
            return -1;
        }
        lastAppliedSeq = event.seq();
        if (!messageIds.firstTime(event.messageId(), event.receivedAt())) {
            duplicates++;
            return -1;
        }
        applied++;
        if (event.kind() == EventKind.MERGE) {
            IdentityGraph.Merge merge = graph.mergeByOperator(event.identifiers().get(0), event.identifiers().get(1), event.seq());
            if (merge == null) {
                return -1;
            }
            absorb(merge, event.seq());
            for (EngineExtension.Part part : parts.values()) {
                part.applied(this, event, merge.into());
            }
            return merge.into();
        }
        IdentityGraph.Resolution resolution = graph.resolve(event.identifiers());
        for (IdentityGraph.Merge merge : resolution.merges()) {
            absorb(merge, event.seq());
        }
        Profile profile = profileFor(resolution.person());
        if (!event.traits().isEmpty()) {
            profile.traits().setAll(event.traits());
        }
        int eventId = events.id(statName(event));
        int channel = event.channel() == null ? -1 : channels.id(event.channel());
        int source = event.source() == null ? -1 : channels.id(event.source());
        int day = epochDay(event.timestamp());
        profile.recordEvent(eventId, event.timestamp(), day, channel, source);
        if (event.revenueFen() > 0) {
            profile.recordAmount(day, eventId, event.revenueFen());
        }
        for (String category : event.categories()) {
            profile.recordCategoryEvent(day, eventId, categories.id(category));
        }
        int categoryWeight = switch (event.name()) {
            case "Order Completed" -> {
                profile.recordOrder(Math.max(0, event.revenueFen()), event.timestamp());
                yield 5;
            }
            case "Order Refunded" -> {
                profile.recordRefund(Math.max(0, event.revenueFen()));
                yield 0;
            }
            case "Product Added", "Product Added to Wishlist" -> 2;
            case "Product Viewed", "Product Clicked" -> 1;
            default -> 0;
        };
        if (categoryWeight > 0) {
            for (String category : event.categories()) {
                profile.recordCategory(categories.id(category), categoryWeight);
            }
        }
        for (EngineExtension.Part part : parts.values()) {
            part.applied(this, event, resolution.person());
        }
        return resolution.person();
    }

    private static String statName(Event event) {
        return switch (event.kind()) {
            case TRACK -> event.name();
            case PAGE -> "Page Viewed";
            case SCREEN -> "Screen Viewed";
            case IDENTIFY -> "Identified";
            case GROUP -> "Group Joined";
            case ALIAS -> "Aliased";
            case MERGE -> "Merged";
        };
    }

    /** The day of an instant in the tenant's zone, as days since 1970-01-01. */
    public static int epochDayOf(long timestamp) {
        return epochDay(timestamp);
    }

    static int epochDay(long timestamp) {
        return (int) Math.floorDiv(timestamp + ZONE_OFFSET_MS, DAY_MS);
    }

    private void absorb(IdentityGraph.Merge merge, long seq) {
        for (EngineExtension.Part part : parts.values()) {
            part.merged(this, merge.from(), merge.into());
        }
        Profile from = profiles[merge.from()];
        if (from != null) {
            profileFor(merge.into()).absorb(from);
            profiles[merge.from()] = null;
        }
        merges.add(new MergeRecord(seq, merge.from(), merge.into(), merge.via().toString()));
    }

    private Profile profileFor(int person) {
        if (person >= profiles.length) {
            profiles = Arrays.copyOf(profiles, Math.max(person + 1, profiles.length * 2));
        }
        Profile profile = profiles[person];
        if (profile == null) {
            profile = new Profile();
            profiles[person] = profile;
        }
        return profile;
    }

    /** Every merge so far, oldest first. */
    public List<MergeRecord> merges() {
        return java.util.Collections.unmodifiableList(merges);
    }

    /** The merges that folded someone into the person whose canonical index is {@code canonical}, oldest first. */
    public List<MergeRecord> mergesInto(int canonical) {
        return merges.stream().filter(m -> graph.canonical(m.into()) == canonical).toList();
    }

    /** The live profile of a person index, or null when unknown or merged away. */
    public @Nullable Profile profile(int person) {
        return person >= 0 && person < profiles.length ? profiles[person] : null;
    }

    /** Builds the API view of a person; merged-away indexes answer with their survivor. */
    public @Nullable ProfileView view(int person, long now) {
        int canonical = graph.canonical(person);
        Profile profile = profile(canonical);
        if (profile == null) {
            return null;
        }
        List<String> identities = graph.identifiersOf(canonical).stream().map(Identifier::toString).toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Integer> last7 = new LinkedHashMap<>();
        Map<String, Integer> last30 = new LinkedHashMap<>();
        int today = epochDay(now);
        for (int id = 0; id < profile.eventIdLimit(); id++) {
            int n = profile.count(id);
            if (n > 0) {
                String name = events.name(id);
                counts.put(name, n);
                int week = profile.daily().sum(id, today - 6, today);
                int month = profile.daily().sum(id, today - 29, today);
                if (week > 0) {
                    last7.put(name, week);
                }
                if (month > 0) {
                    last30.put(name, month);
                }
            }
        }
        int[] top = profile.topCategories(5);
        List<ProfileView.CategoryWeight> preference = new ArrayList<>();
        for (int i = 0; i < top.length; i += 2) {
            preference.add(new ProfileView.CategoryWeight(categories.name(top[i]), top[i + 1]));
        }
        List<String> mergedFrom = merges.stream().filter(m -> m.into() == canonical)
                .map(m -> PersonId.of(tenant, m.from()).toString()).toList();
        var stats = new ProfileView.Stats(
                instant(profile.firstSeen()), instant(profile.lastSeen()), profile.eventCount(), counts, last7, last30,
                profile.daily().activeDays(today - 29, today), profile.orderCount(), yuan(profile.totalSpendFen()),
                yuan(profile.averageOrderFen()), instant(profile.lastOrderAt()), profile.refundCount(),
                yuan(profile.refundedFen()), preference,
                profile.originChannel() < 0 ? null : channels.name(profile.originChannel()),
                profile.originSource() < 0 ? null : channels.name(profile.originSource()));
        List<String> tags = new ArrayList<>();
        Map<String, Object> scores = new LinkedHashMap<>();
        for (EngineExtension.Part part : parts.values()) {
            part.tagsOf(canonical, tags);
            part.scoresOf(canonical, scores);
        }
        return new ProfileView(PersonId.of(tenant, canonical).toString(), identities, profile.traits().asMap(), stats,
                tags, scores, mergedFrom);
    }

    private static @Nullable Instant instant(long epochMs) {
        return epochMs == Long.MAX_VALUE || epochMs == Long.MIN_VALUE ? null : Instant.ofEpochMilli(epochMs);
    }

    private static BigDecimal yuan(long fen) {
        return BigDecimal.valueOf(fen, 2);
    }

    /** A fresh state with the operators' "distinct" rulings in force from the first event. */
    static TenantState withRules(int tenant, List<IdentityRules.Distinct> rules, List<EngineExtension> extensions) {
        TenantState state = new TenantState(tenant);
        state.install(extensions);
        for (IdentityRules.Distinct rule : rules) {
            state.graph.declareDistinct(rule.a(), rule.b(), rule.sinceSeq());
        }
        return state;
    }

    private static final int SNAPSHOT_MAGIC = 0x5359_5531; // "SYU1"

    void write(DataOutput out) throws IOException {
        capture().writeTo(out);
    }

    /**
     * Takes what a snapshot of this state needs, on the owning thread between two events: a
     * consistent copy at {@link #lastAppliedSeq()} that {@link Capture#writeTo} can write on another
     * thread while this state goes on applying events. What can be copied cheaply is copied (the
     * identity graph's slots, the message-id sets, the merges); what cannot (profiles and the
     * extensions' state, which change in place) is serialised now, and that is what the partition
     * pauses for.
     */
    Capture capture() throws IOException {
        SnapshotImage dictionaries = new SnapshotImage(tenant);
        events.write(dictionaries);
        categories.write(dictionaries);
        channels.write(dictionaries);
        SnapshotImage people = new SnapshotImage(tenant);
        int n = graph.size();
        for (int p = 0; p < n; p++) {
            Profile profile = profile(p);
            people.writeBoolean(profile != null);
            if (profile != null) {
                profile.write(people);
            }
        }
        Map<String, SnapshotImage> sections = new LinkedHashMap<>();
        for (var entry : parts.entrySet()) {
            SnapshotImage section = new SnapshotImage(tenant);
            entry.getValue().write(section);
            sections.put(entry.getKey(), section);
        }
        return new Capture(tenant, lastAppliedSeq, applied, duplicates, dictionaries, graph.freeze(), people,
                messageIds.copy(), List.copyOf(merges), sections);
    }

    /** A tenant's state as {@link #capture()} took it; the one definition of the snapshot format, which {@link #read} reads. */
    record Capture(int tenant, long lastAppliedSeq, long applied, long duplicates, SnapshotImage dictionaries,
            IdentityGraph.Frozen graph, SnapshotImage profiles, MessageIdWindow messageIds, List<MergeRecord> merges,
            Map<String, SnapshotImage> parts) {

        void writeTo(DataOutput out) throws IOException {
            out.writeInt(SNAPSHOT_MAGIC);
            out.writeInt(tenant);
            out.writeLong(lastAppliedSeq);
            out.writeLong(applied);
            out.writeLong(duplicates);
            dictionaries.writeTo(out);
            graph.write(out);
            profiles.writeTo(out);
            messageIds.write(out);
            out.writeInt(merges.size());
            for (MergeRecord m : merges) {
                out.writeLong(m.seq());
                out.writeInt(m.from());
                out.writeInt(m.into());
                out.writeUTF(m.via());
            }
            out.writeInt(parts.size());
            for (var entry : parts.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeInt(Math.toIntExact(entry.getValue().size()));
                entry.getValue().writeTo(out);
            }
        }
    }

    /**
     * @throws IOException when the snapshot is unreadable or lacks an installed extension (then
     *     only a full replay can rebuild that extension's state)
     */
    static TenantState read(DataInput in, List<EngineExtension> extensions) throws IOException {
        if (in.readInt() != SNAPSHOT_MAGIC) {
            throw new IOException("not a Siyu snapshot of this version");
        }
        int tenant = in.readInt();
        long lastApplied = in.readLong();
        long applied = in.readLong();
        long duplicates = in.readLong();
        Dictionary events = Dictionary.read(in);
        Dictionary categories = Dictionary.read(in);
        Dictionary channels = Dictionary.read(in);
        IdentityGraph graph = IdentityGraph.read(in);
        Profile[] profiles = new Profile[Math.max(1024, graph.size())];
        for (int p = 0; p < graph.size(); p++) {
            if (in.readBoolean()) {
                profiles[p] = Profile.read(in);
            }
        }
        MessageIdWindow window = MessageIdWindow.read(in);
        int mergeCount = in.readInt();
        List<MergeRecord> merges = new ArrayList<>(mergeCount);
        for (int i = 0; i < mergeCount; i++) {
            merges.add(new MergeRecord(in.readLong(), in.readInt(), in.readInt(), in.readUTF()));
        }
        TenantState state = new TenantState(tenant, lastApplied, graph, profiles, events, categories, channels, window, merges);
        state.applied = applied;
        state.duplicates = duplicates;
        int sections = in.readInt();
        Map<String, EngineExtension> byId = new LinkedHashMap<>();
        extensions.forEach(e -> byId.put(e.id(), e));
        for (int i = 0; i < sections; i++) {
            String id = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            EngineExtension extension = byId.get(id);
            if (extension != null) {
                state.parts.put(id, extension.read(tenant, new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))));
            }
        }
        for (String id : byId.keySet()) {
            if (!state.parts.containsKey(id)) {
                throw new IOException("snapshot of tenant " + tenant + " has no state for extension '" + id + "'");
            }
        }
        return state;
    }
}
