package io.siyu.segment;

import io.siyu.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Installs the stored definitions into the engine once it has caught up with the log. */
@Component
class SegmentInstaller implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SegmentInstaller.class);

    private final SegmentDefinitions definitions;
    private final Engine engine;

    SegmentInstaller(SegmentDefinitions definitions, Engine engine) {
        this.definitions = definitions;
        this.engine = engine;
    }

    @Override
    public void run(ApplicationArguments args) {
        long now = engine.clock().millis();
        for (SegmentDefinitions.Stored stored : definitions.all()) {
            try {
                Definition definition = stored.definition();
                engine.ask(stored.tenant(), state -> state.part(SegmentExtension.ID, SegmentBook.class)
                        .define(state, definition, now));
            } catch (RuntimeException e) {
                log.error("Could not install {} '{}' of tenant {}", stored.kind(), stored.name(), stored.tenant(), e);
            }
        }
    }
}
