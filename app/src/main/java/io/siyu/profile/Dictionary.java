package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns the strings that repeat across people (event names, categories, channels) as small ints. */
public final class Dictionary {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    public int id(String name) {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        int next = names.size();
        names.add(name);
        ids.put(name, next);
        return next;
    }

    /** @return the id, or -1 when the name was never interned */
    public int find(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    public String name(int id) {
        return names.get(id);
    }

    public int size() {
        return names.size();
    }

    public void write(DataOutput out) throws IOException {
        out.writeInt(names.size());
        for (String name : names) {
            out.writeUTF(name);
        }
    }

    public static Dictionary read(DataInput in) throws IOException {
        Dictionary dictionary = new Dictionary();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            dictionary.id(in.readUTF());
        }
        return dictionary;
    }
}
