package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snapshot is captured between two events and written later, on another thread, while the
 * partition goes on applying. What it writes must be the state at the capture, not a mix: the same
 * bytes as a state that never saw the later events.
 */
class SnapshotCaptureTest {

    /** Counts events per person in an array changed in place, as extensions' state is. */
    private static final class Counts implements EngineExtension {
        @Override
        public String id() {
            return "counts";
        }

        @Override
        public Part create(int tenant) {
            return new CountsPart(new int[16]);
        }

        @Override
        public Part read(int tenant, DataInput in) throws IOException {
            int[] counts = new int[in.readInt()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readInt();
            }
            return new CountsPart(counts);
        }
    }

    private static final class CountsPart implements EngineExtension.Part {
        private int[] counts;

        CountsPart(int[] counts) {
            this.counts = counts;
        }

        @Override
        public void applied(TenantState state, Event event, int person) {
            if (person >= counts.length) {
                counts = Arrays.copyOf(counts, Math.max(person + 1, counts.length * 2));
            }
            counts[person]++;
        }

        @Override
        public void write(DataOutput out) throws IOException {
            out.writeInt(counts.length);
            for (int count : counts) {
                out.writeInt(count);
            }
        }
    }

    @Test
    void aCaptureWritesTheStateAtItsSequenceWhateverIsAppliedAfterIt() throws IOException {
        List<Event> events = ReplayDecodeTest.events(20_000, 11);
        List<IdentityRules.Distinct> rules = List.of(new IdentityRules.Distinct(
                new Identifier(IdentifierType.USER_ID, "u-1"), new Identifier(IdentifierType.USER_ID, "u-2"), 0));
        List<EngineExtension> extensions = List.of(new Counts());
        TenantState live = TenantState.withRules(1, rules, extensions);
        TenantState reference = TenantState.withRules(1, rules, extensions);
        int cut = 12_000;
        for (Event event : events.subList(0, cut)) {
            live.apply(event);
            reference.apply(event);
        }
        TenantState.Capture capture = live.capture();
        for (Event event : events.subList(cut, events.size())) {
            live.apply(event);
        }
        live.graph().declareDistinct(new Identifier(IdentifierType.USER_ID, "u-3"), new Identifier(IdentifierType.USER_ID, "u-4"), 20_001);

        assertThat(live.merges()).as("people were merged after the capture").hasSizeGreaterThan(reference.merges().size());
        assertThat(live.graph().size()).as("people were created after the capture").isGreaterThan(reference.graph().size());
        assertThat(live.duplicates()).as("repeated message ids came after the capture").isGreaterThan(reference.duplicates());
        byte[] captured = bytes(capture);
        assertThat(captured).isEqualTo(snapshot(reference)).isNotEqualTo(snapshot(live));

        TenantState read = TenantState.read(new DataInputStream(new ByteArrayInputStream(captured)), extensions);
        assertThat(read.lastAppliedSeq()).isEqualTo(cut);
        assertThat(read.people()).isEqualTo(reference.people());
        assertThat(snapshot(read)).isEqualTo(captured);
    }

    private static byte[] bytes(TenantState.Capture capture) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SnapshotImage.of(capture).writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static byte[] snapshot(TenantState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
