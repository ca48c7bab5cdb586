package io.siyu.privacy;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Installs the {@link ConsentBook} in the engine. */
@Component
@Order(20)
class ConsentExtension implements EngineExtension {

    static final String ID = "consent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new ConsentBook();
    }

    @Override
    public Part read(int tenant, DataInput in) throws IOException {
        return ConsentBook.read(in);
    }
}
