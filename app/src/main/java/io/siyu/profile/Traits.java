package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Free-form attributes of a person (name, gender, birthday, city, ...), kept as two parallel
 * arrays because a map per person costs more heap than the values in it.
 *
 * <p>Values are {@link String}, {@link Long}, {@link Double}, {@link Boolean} or {@link Json} for
 * nested objects and arrays. Setting a key to null removes it.
 */
public final class Traits {

    /** A nested JSON value kept as text; traits are matched on scalars only. */
    public record Json(String text) {}

    private static final String[] NO_KEYS = {};
    private static final Object[] NO_VALUES = {};

    private String[] keys = NO_KEYS;
    private Object[] values = NO_VALUES;
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public @Nullable Object get(String key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /**
     * Sets or, with a null value, removes a trait.
     *
     * @throws IllegalArgumentException when the value is not one of the supported types
     */
    public void set(String key, @Nullable Object value) {
        Objects.requireNonNull(key, "key");
        int i = indexOf(key);
        if (value == null) {
            if (i >= 0) {
                System.arraycopy(keys, i + 1, keys, i, size - i - 1);
                System.arraycopy(values, i + 1, values, i, size - i - 1);
                size--;
                keys[size] = null;
                values[size] = null;
            }
            return;
        }
        if (!(value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean || value instanceof Json)) {
            throw new IllegalArgumentException("trait " + key + " has unsupported type " + value.getClass().getName());
        }
        if (i >= 0) {
            values[i] = value;
            return;
        }
        if (size == keys.length) {
            int capacity = Math.max(4, size * 2);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        keys[size] = key.intern();
        values[size] = value;
        size++;
    }

    /** Applies every trait of {@code other} on top of these (null values in {@code other} remove). */
    public void setAll(Traits other) {
        for (int i = 0; i < other.size; i++) {
            set(other.keys[i], other.values[i]);
        }
    }

    public String keyAt(int i) {
        return keys[i];
    }

    public Object valueAt(int i) {
        return values[i];
    }

    /** A copy as an ordered map, for views. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(keys[i], values[i] instanceof Json json ? json : values[i]);
        }
        return map;
    }

    private int indexOf(String key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static final byte STRING = 1, LONG = 2, DOUBLE = 3, TRUE = 4, FALSE = 5, JSON = 6, NULL = 7;

    /**
     * Writes traits; a null value (a removal carried by an event) is written as such so that
     * {@link #setAll} replays it.
     */
    public void write(DataOutput out) throws IOException {
        out.writeShort(size);
        for (int i = 0; i < size; i++) {
            out.writeUTF(keys[i]);
            writeValue(out, values[i]);
        }
    }

    public static Traits read(DataInput in) throws IOException {
        Traits traits = new Traits();
        int n = in.readShort();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            traits.setRaw(key, readValue(in));
        }
        return traits;
    }

    /** Like {@link #set} but keeps null as an explicit removal marker, for traits carried by events. */
    public void setRaw(String key, @Nullable Object value) {
        if (value != null) {
            set(key, value);
            return;
        }
        int i = indexOf(key);
        if (i < 0) {
            if (size == keys.length) {
                int capacity = Math.max(4, size * 2);
                keys = Arrays.copyOf(keys, capacity);
                values = Arrays.copyOf(values, capacity);
            }
            i = size++;
            keys[i] = key.intern();
        }
        values[i] = null;
    }

    private static void writeValue(DataOutput out, @Nullable Object value) throws IOException {
        switch (value) {
            case null -> out.writeByte(NULL);
            case String s -> {
                out.writeByte(STRING);
                writeLongString(out, s);
            }
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case Double d -> {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            }
            case Boolean b -> out.writeByte(b ? TRUE : FALSE);
            case Json j -> {
                out.writeByte(JSON);
                writeLongString(out, j.text());
            }
            default -> throw new IllegalStateException("unsupported trait value " + value.getClass());
        }
    }

    private static @Nullable Object readValue(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case STRING -> readLongString(in);
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case JSON -> new Json(readLongString(in));
            case NULL -> null;
            default -> throw new IOException("corrupt trait value tag " + tag);
        };
    }

    static void writeLongString(DataOutput out, String s) throws IOException {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readLongString(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
