package io.siyu.segment;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Installs the {@link RfmBook}; after the tags, whose RFM group it rewrites. */
@Component
@Order(10)
class RfmExtension implements EngineExtension {

    static final String ID = "rfm";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new RfmBook();
    }

    @Override
    public Part read(int tenant, DataInput in) throws IOException {
        return RfmBook.read(in);
    }
}
