package io.siyu.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tenant state snapshots on local disk, one file per tenant, replaced atomically. A snapshot is
 * only a shortcut: losing or corrupting one costs a longer replay, never data.
 */
public final class SnapshotStore {

    private final Path directory;

    public SnapshotStore(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot directory " + directory, e);
        }
    }

    void write(TenantState state) throws IOException {
        write(SnapshotImage.of(state));
    }

    /** Writes a tenant's serialised state to its file, fsynced, then renamed over the previous one. */
    void write(SnapshotImage image) throws IOException {
        Path target = directory.resolve("tenant-" + image.tenant() + ".snap");
        Path temp = directory.resolve("tenant-" + image.tenant() + ".snap.tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            BufferedOutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
            image.writeTo(new java.io.DataOutputStream(out));
            out.flush();
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads every readable snapshot; unreadable ones are reported and skipped (replay covers them). */
    List<TenantState> readAll(List<String> problems, List<EngineExtension> extensions) {
        List<TenantState> states = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".snap")).toList()) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                    states.add(TenantState.read(in, extensions));
                } catch (IOException | RuntimeException e) {
                    problems.add(file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + directory, e);
        }
        return states;
    }

    /**
     * Records that every tenant of a partition has a snapshot covering the log up to {@code seq}.
     * Written after the tenant files, so a crash in between leaves the older, still valid marker.
     */
    void writeMarker(int partition, int partitions, long seq) throws IOException {
        Path target = directory.resolve("partition-" + partition + "-of-" + partitions + ".seq");
        Path temp = directory.resolve(target.getFileName() + ".tmp");
        Files.writeString(temp, Long.toString(seq), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The log position from which replay must start so that every tenant is complete: the lowest
     * partition marker, or 0 when any partition has none (for example after the partition count
     * changed).
     */
    long replayFrom(int partitions) {
        long from = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            Path marker = directory.resolve("partition-" + p + "-of-" + partitions + ".seq");
            try {
                from = Math.min(from, Long.parseLong(Files.readString(marker).trim()));
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }
        return from == Long.MAX_VALUE ? 0 : from;
    }
}
