package io.siyu.engine;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The log's binary form of an {@link Event}. Versioned by its first byte so that old logs stay
 * readable when the format grows.
 */
public final class EventCodec {

    private static final byte VERSION = 1;
    private static final EventKind[] KINDS = EventKind.values();
    private static final IdentifierType[] TYPES = IdentifierType.values();

    private EventCodec() {}

    public static byte[] encode(Event event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + event.properties().length + event.context().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            encode(event, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the log form of {@code event} to {@code out}, as the log writer does straight into its COPY buffer. */
    static void encode(Event event, DataOutputStream out) throws IOException {
        out.writeByte(VERSION);
        out.writeByte(event.kind().ordinal());
        out.writeUTF(event.name());
        out.writeLong(event.timestamp());
        out.writeLong(event.receivedAt());
        out.writeUTF(event.messageId());
        out.writeByte(event.identifiers().size());
        for (Identifier id : event.identifiers()) {
            out.writeByte(id.type().ordinal());
            out.writeUTF(id.value());
        }
        event.traits().write(out);
        out.writeLong(event.revenueFen());
        writeNullable(out, event.orderId());
        out.writeByte(event.categories().size());
        for (String category : event.categories()) {
            out.writeUTF(category);
        }
        writeNullable(out, event.channel());
        writeNullable(out, event.source());
        out.writeByte(event.sealed().size());
        for (Event.Sealed s : event.sealed()) {
            out.writeUTF(s.field());
            writeBytes(out, s.ciphertext());
        }
        writeBytes(out, event.properties());
        writeBytes(out, event.context());
    }

    /**
     * @throws IllegalStateException when the bytes are not an event of a known version
     */
    public static Event decode(int tenant, long seq, byte[] body) {
        return decode(tenant, seq, body, 0, body.length);
    }

    /**
     * Decodes the event in {@code body[offset, offset + length)}, as replay finds it inside a log row.
     *
     * @throws IllegalStateException when the bytes are not an event of a known version
     */
    public static Event decode(int tenant, long seq, byte[] body, int offset, int length) {
        try {
            ByteReader in = new ByteReader(body, offset, length);
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("event " + seq + " has unknown codec version " + version);
            }
            EventKind kind = KINDS[in.readByte()];
            String name = in.readUTF();
            long timestamp = in.readLong();
            long receivedAt = in.readLong();
            String messageId = in.readUTF();
            int idCount = in.readByte();
            List<Identifier> ids = new ArrayList<>(idCount);
            for (int i = 0; i < idCount; i++) {
                ids.add(new Identifier(TYPES[in.readByte()], in.readUTF()));
            }
            Traits traits = Traits.read(in);
            long revenue = in.readLong();
            String orderId = readNullable(in);
            int categoryCount = in.readByte();
            List<String> categories = new ArrayList<>(categoryCount);
            for (int i = 0; i < categoryCount; i++) {
                categories.add(in.readUTF());
            }
            String channel = readNullable(in);
            String source = readNullable(in);
            int sealedCount = in.readByte();
            List<Event.Sealed> sealed = new ArrayList<>(sealedCount);
            for (int i = 0; i < sealedCount; i++) {
                sealed.add(new Event.Sealed(in.readUTF(), readBytes(in)));
            }
            byte[] properties = readBytes(in);
            byte[] context = readBytes(in);
            return new Event(tenant, seq, kind, name, timestamp, receivedAt, messageId, ids, traits, revenue,
                    orderId, categories, channel, source, sealed, properties, context);
        } catch (IOException e) {
            throw new IllegalStateException("event " + seq + " of tenant " + tenant + " is corrupt", e);
        }
    }

    private static void writeNullable(DataOutputStream out, @Nullable String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static @Nullable String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
