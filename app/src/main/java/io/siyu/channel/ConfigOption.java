package io.siyu.channel;

import org.jspecify.annotations.Nullable;

/**
 * One configuration option a channel provider declares.
 *
 * @param secret masked in the configuration listing
 * @param defaultValue used when the option is absent; null for none
 */
public record ConfigOption(String name, String help, boolean required, boolean secret, @Nullable String defaultValue) {

    public static ConfigOption required(String name, String help) {
        return new ConfigOption(name, help, true, false, null);
    }

    public static ConfigOption secret(String name, String help) {
        return new ConfigOption(name, help, true, true, null);
    }

    public static ConfigOption optional(String name, String help, String defaultValue) {
        return new ConfigOption(name, help, false, false, defaultValue);
    }
}
