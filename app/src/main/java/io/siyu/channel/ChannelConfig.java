package io.siyu.channel;

import java.net.URI;
import java.util.Map;

/** The configuration of one provider, already checked for its required options. */
public final class ChannelConfig {

    /** A configuration value that is present but unusable; stops the application at start-up. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    private final String provider;
    private final Map<String, String> values;

    public ChannelConfig(String provider, Map<String, String> values) {
        this.provider = provider;
        this.values = Map.copyOf(values);
    }

    public String get(String option) {
        String value = values.get(option);
        if (value == null) {
            throw new Invalid("siyu.channels." + provider + "." + option + " is not set");
        }
        return value;
    }

    /** The value, or null when the option is not set. */
    public @org.jspecify.annotations.Nullable String optional(String option) {
        return values.get(option);
    }

    public int integer(String option) {
        try {
            return Integer.parseInt(get(option).trim());
        } catch (NumberFormatException e) {
            throw new Invalid("siyu.channels." + provider + "." + option + " must be a whole number, was '" + get(option) + "'");
        }
    }

    public URI uri(String option) {
        String text = get(option);
        try {
            URI uri = URI.create(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new Invalid("siyu.channels." + provider + "." + option + " must be an http(s) URL, was '" + text + "'");
        }
    }
}
