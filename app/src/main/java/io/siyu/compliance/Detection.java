package io.siyu.compliance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A detector fired for a person at the event with log position {@code seq}: what the engine hands
 * to the case table. (detector, seq) identifies it, so the same detection found again by a replay
 * is recognised.
 */
record Detection(String detector, Detector.Action action, int person, long seq, long at, String evidence) {

    void write(DataOutput out) throws IOException {
        out.writeUTF(detector);
        out.writeByte(action.ordinal());
        out.writeInt(person);
        out.writeLong(seq);
        out.writeLong(at);
        out.writeUTF(evidence);
    }

    static Detection read(DataInput in) throws IOException {
        return new Detection(in.readUTF(), Detector.Action.values()[in.readByte()], in.readInt(), in.readLong(),
                in.readLong(), in.readUTF());
    }
}
