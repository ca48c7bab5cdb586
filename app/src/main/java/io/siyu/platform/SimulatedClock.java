package io.siyu.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The clock of sandboxes and tests ({@code SIYU_CLOCK=simulated}): real time plus an offset that
 * only grows. Time keeps flowing, so everything that measures intervals still works; an operator
 * moves it forward with {@code POST /api/v1/admin/clock/advance} and the journeys fire what fell due.
 * The offset is kept in a file under the data directory, so a restarted sandbox does not travel back.
 */
public final class SimulatedClock extends Clock {

    private final AtomicLong offsetMs = new AtomicLong();
    private final @Nullable Path store;

    /** A clock that forgets its offset on restart. */
    public SimulatedClock() {
        this.store = null;
    }

    /** A clock whose offset survives restarts in {@code store}. */
    public SimulatedClock(Path store) {
        this.store = store;
        try {
            if (Files.exists(store)) {
                offsetMs.set(Long.parseLong(Files.readString(store).trim()));
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("unreadable simulated clock offset in " + store, e);
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC; convert instants instead");
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMs.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    /**
     * Moves time forward.
     *
     * @throws IllegalArgumentException for a negative duration: time never goes back
     */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        long offset = offsetMs.addAndGet(by.toMillis());
        if (store != null) {
            try {
                Files.createDirectories(store.toAbsolutePath().getParent());
                Path temporary = store.resolveSibling(store.getFileName() + ".tmp");
                Files.writeString(temporary, Long.toString(offset));
                Files.move(temporary, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the simulated clock offset in " + store, e);
            }
        }
        return instant();
    }
}
