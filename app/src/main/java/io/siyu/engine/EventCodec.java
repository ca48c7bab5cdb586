package io.siyu.engine;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        return decode(tenant, seq, body, offset, length, null);
    }

    /**
     * As {@link #decode(int, long, byte[], int, int)}, taking the strings that repeat across events
     * (names, categories, channels, sources, sealed field names) from {@code table} when one is
     * given, as a replay does: the event is equal either way.
     */
    static Event decode(int tenant, long seq, byte[] body, int offset, int length, @Nullable StringTable table) {
        try {
            ByteReader in = new ByteReader(body, offset, length);
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("event " + seq + " has unknown codec version " + version);
            }
            EventKind kind = KINDS[in.readByte()];
            String name = in.readUTF(table);
            long timestamp = in.readLong();
            long receivedAt = in.readLong();
            String messageId = in.readUTF();
            int idCount = in.readByte();
            List<Identifier> ids;
            if (idCount == 1) {
                ids = List.of(readIdentifier(in));
            } else if (idCount == 2) {
                ids = List.of(readIdentifier(in), readIdentifier(in));
            } else {
                Identifier[] array = new Identifier[count(idCount)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = readIdentifier(in);
                }
                ids = List.of(array);
            }
            Traits traits = Traits.read(in);
            long revenue = in.readLong();
            String orderId = readNullable(in, null);
            int categoryCount = in.readByte();
            List<String> categories;
            if (count(categoryCount) == 0) {
                categories = List.of();
            } else if (categoryCount == 1) {
                categories = List.of(in.readUTF(table));
            } else {
                String[] array = new String[categoryCount];
                for (int i = 0; i < categoryCount; i++) {
                    array[i] = in.readUTF(table);
                }
                categories = List.of(array);
            }
            String channel = readNullable(in, table);
            String source = readNullable(in, table);
            int sealedCount = in.readByte();
            List<Event.Sealed> sealed;
            if (count(sealedCount) == 0) {
                sealed = List.of();
            } else {
                Event.Sealed[] array = new Event.Sealed[sealedCount];
                for (int i = 0; i < sealedCount; i++) {
                    array[i] = new Event.Sealed(in.readUTF(table), readBytes(in));
                }
                sealed = List.of(array);
            }
            byte[] properties = readBytes(in);
            byte[] context = readBytes(in);
            return new Event(tenant, seq, kind, name, timestamp, receivedAt, messageId, ids, traits, revenue,
                    orderId, categories, channel, source, sealed, properties, context);
        } catch (IOException e) {
            throw new IllegalStateException("event " + seq + " of tenant " + tenant + " is corrupt", e);
        }
    }

    private static int count(int n) throws IOException {
        if (n < 0) {
            throw new IOException("negative count " + n);
        }
        return n;
    }

    private static Identifier readIdentifier(ByteReader in) throws IOException {
        Identifier id = new Identifier(TYPES[in.readByte()], in.readUTF());
        id.value().hashCode(); // cached in the string: the identity index hashes it on the applying thread otherwise
        return id;
    }

    private static void writeNullable(DataOutputStream out, @Nullable String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static @Nullable String readNullable(ByteReader in, @Nullable StringTable table) throws IOException {
        return in.readBoolean() ? in.readUTF(table) : null;
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
