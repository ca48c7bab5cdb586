package io.siyu.recommendation;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Installs the {@link ProductBook} in the engine. */
@Component
@Order(40)
class ProductExtension implements EngineExtension {

    static final String ID = "products";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new ProductBook();
    }

    @Override
    public Part read(int tenant, DataInput in) throws IOException {
        return ProductBook.read(in);
    }
}
