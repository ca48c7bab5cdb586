package io.siyu.segment;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Installs the {@link SegmentBook}; after the tags it writes rule tags into. */
@Component
@Order(20)
class SegmentExtension implements EngineExtension {

    static final String ID = "segments";

    private final MembershipListener listeners;

    /** Without listeners, for engines built by hand (tests, benchmarks). */
    SegmentExtension() {
        this.listeners = (state, name, tag, person, entered, at) -> { };
    }

    @Autowired
    SegmentExtension(ObjectProvider<MembershipListener> listeners) {
        java.util.List<MembershipListener> all = listeners.orderedStream().toList();
        this.listeners = (state, name, tag, person, entered, at) -> {
            for (MembershipListener listener : all) {
                listener.changed(state, name, tag, person, entered, at);
            }
        };
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new SegmentBook(listeners);
    }

    @Override
    public Part read(int tenant, DataInput in) {
        return SegmentBook.read(in, listeners);
    }
}
