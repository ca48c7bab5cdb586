package io.siyu.compliance;

import io.siyu.engine.EngineExtension;
import io.siyu.engine.Event;
import io.siyu.engine.TenantState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant's risk detectors inside the engine: their windows, and the detections not yet stored
 * as cases. Definitions and pending detections are part of the snapshot, so a replay after a crash
 * finds the same detections again (same detector, same log position) and nothing is lost between
 * detection and storage.
 */
final class RiskBook implements EngineExtension.Part {

    private static final byte VERSION = 1;

    private final Map<String, Watch> watches = new LinkedHashMap<>();
    private final Map<String, List<Watch>> byEvent = new HashMap<>();
    private final List<Detection> pending = new ArrayList<>();

    /** Installs or replaces a detector; an unchanged definition keeps its windows. */
    void define(Detector detector) {
        Watch current = watches.get(detector.name());
        if (current != null && current.detector.equals(detector)) {
            return;
        }
        watches.put(detector.name(), Watch.of(detector));
        index();
    }

    boolean remove(String name) {
        boolean removed = watches.remove(name) != null;
        index();
        return removed;
    }

    /** Keeps exactly these detectors (the stored definitions), each windows intact when unchanged. */
    void defineAll(List<Detector> detectors) {
        Map<String, Detector> wanted = new LinkedHashMap<>();
        detectors.forEach(d -> wanted.put(d.name(), d));
        watches.keySet().removeIf(name -> !wanted.containsKey(name));
        wanted.values().forEach(this::define);
        index();
    }

    private void index() {
        byEvent.clear();
        for (Watch watch : watches.values()) {
            byEvent.computeIfAbsent(watch.detector.event(), e -> new ArrayList<>()).add(watch);
            if (watch.detector.outEvent() != null) {
                byEvent.computeIfAbsent(watch.detector.outEvent(), e -> new ArrayList<>()).add(watch);
            }
        }
    }

    @Override
    public void applied(TenantState state, Event event, int person) {
        List<Watch> interested = byEvent.get(event.name());
        if (interested == null) {
            return;
        }
        for (Watch watch : interested) {
            String evidence = watch.observe(person, event.name(), event.timestamp(), event.revenueFen());
            if (evidence != null) {
                pending.add(new Detection(watch.detector.name(), watch.detector.action(), person, event.seq(),
                        event.timestamp(), evidence));
            }
        }
    }

    @Override
    public void merged(TenantState state, int from, int into) {
        watches.values().forEach(watch -> watch.merged(from, into));
    }

    @Override
    public void tick(TenantState state, long now) {
        watches.values().forEach(watch -> watch.expire(now));
    }

    @Override
    public void rebuiltFrom(EngineExtension.Part previous, TenantState state, long now) {
        RiskBook old = (RiskBook) previous;
        old.watches.values().forEach(watch -> define(watch.detector));
        pending.addAll(old.pending);
    }

    /** Detections not yet stored, oldest first. */
    List<Detection> pending() {
        return List.copyOf(pending);
    }

    /** The first {@code count} pending detections are stored: forget them. */
    void stored(int count) {
        pending.subList(0, count).clear();
    }

    /** People each detector currently watches, for the API. */
    Map<String, Integer> watched() {
        Map<String, Integer> people = new LinkedHashMap<>();
        watches.forEach((name, watch) -> people.put(name, watch.people()));
        return people;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(VERSION);
        out.writeInt(watches.size());
        for (Watch watch : watches.values()) {
            watch.detector.write(out);
            watch.writeState(out);
        }
        out.writeInt(pending.size());
        for (Detection detection : pending) {
            detection.write(out);
        }
    }

    static RiskBook read(DataInput in) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("risk book snapshot version " + version + " is not " + VERSION);
        }
        RiskBook book = new RiskBook();
        for (int n = in.readInt(); n > 0; n--) {
            Watch watch = Watch.of(Detector.read(in));
            watch.readState(in);
            book.watches.put(watch.detector.name(), watch);
        }
        book.index();
        for (int n = in.readInt(); n > 0; n--) {
            book.pending.add(Detection.read(in));
        }
        return book;
    }
}
