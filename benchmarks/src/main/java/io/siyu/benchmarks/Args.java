package io.siyu.benchmarks;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} and {@code --flag} options of a bench subcommand. */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final String[] raw;

    Args(String[] args, int from) {
        this.raw = java.util.Arrays.copyOfRange(args, from, args.length);
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; options look like --name value");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    /** The options as given, for printing the command that produced a figure. */
    String[] raw() {
        return raw.clone();
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
