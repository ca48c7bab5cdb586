package io.siyu.compliance;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Installs the {@link RiskBook} in every tenant's engine state. */
@Component
@Order(30)
class RiskExtension implements EngineExtension {

    static final String ID = "risk";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new RiskBook();
    }

    @Override
    public Part read(int tenant, DataInput in) throws IOException {
        return RiskBook.read(in);
    }
}
