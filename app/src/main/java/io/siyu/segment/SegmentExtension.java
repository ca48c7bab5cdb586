package io.siyu.segment;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Installs the {@link SegmentBook}; after the tags it writes rule tags into. */
@Component
@Order(20)
class SegmentExtension implements EngineExtension {

    static final String ID = "segments";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new SegmentBook();
    }

    @Override
    public Part read(int tenant, DataInput in) {
        return SegmentBook.read(in);
    }
}
