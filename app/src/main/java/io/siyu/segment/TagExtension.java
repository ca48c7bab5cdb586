package io.siyu.segment;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Installs the {@link TagBook} into the engine. */
@Component
@Order(0)
class TagExtension implements EngineExtension {

    static final String ID = "tags";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new TagBook();
    }

    @Override
    public Part read(int tenant, DataInput in) throws IOException {
        return TagBook.read(in);
    }
}
