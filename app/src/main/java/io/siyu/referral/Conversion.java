package io.siyu.referral;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A person who came through a share code did what counts (added the WeCom contact, followed, signed
 * up), as the engine saw it in log order.
 *
 * @param seq log position of the converting event
 * @param messageId the converting event's id
 * @param timestamp when it happened, epoch ms
 * @param person the person's index when it happened (follow merges with the graph's canonical)
 * @param code the share code of the person's first referral touch
 * @param via the converting event's name
 * @param existing true when the person has history from before the first touch: not a new friend
 * @param device the device id the converting or touching event carried, if any
 * @param signals the phone hashes and unionids the converting event carried ({@code phone:<hash>}, {@code unionid:<id>}):
 *     the identity graph gives each to one person only, so a second account's shared phone shows here, not in the graph
 */
record Conversion(long seq, String messageId, long timestamp, int person, String code, String via, boolean existing,
        @Nullable String device, List<String> signals) {

    Conversion {
        signals = List.copyOf(signals);
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(seq);
        out.writeUTF(messageId);
        out.writeLong(timestamp);
        out.writeInt(person);
        out.writeUTF(code);
        out.writeUTF(via);
        out.writeBoolean(existing);
        out.writeUTF(device == null ? "" : device);
        out.writeInt(signals.size());
        for (String signal : signals) {
            out.writeUTF(signal);
        }
    }

    static Conversion read(DataInput in) throws IOException {
        long seq = in.readLong();
        String messageId = in.readUTF();
        long timestamp = in.readLong();
        int person = in.readInt();
        String code = in.readUTF();
        String via = in.readUTF();
        boolean existing = in.readBoolean();
        String device = in.readUTF();
        List<String> signals = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            signals.add(in.readUTF());
        }
        return new Conversion(seq, messageId, timestamp, person, code, via, existing, device.isEmpty() ? null : device, signals);
    }
}
