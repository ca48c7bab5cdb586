package io.siyu.channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The channel providers selected for this installation ({@code siyu.channels.enabled}, default
 * {@code inapp,webhook}, which need no settings), each made once at start-up from its
 * {@code siyu.channels.<id>.*} settings. Construction fails, and so the application does not start,
 * when a selected provider is unknown or misconfigured.
 */
@Component
public class Channels {

    /** A provider as the configuration listing shows it; secrets are never listed. */
    public record Described(String id, String help, boolean enabled, List<ConfigOption> options) {}

    private final Map<String, ChannelProvider> enabled = new LinkedHashMap<>();
    private final List<Described> described = new ArrayList<>();

    public Channels(List<ChannelProviderFactory> factories, Environment environment) {
        Map<String, ChannelProviderFactory> byId = new LinkedHashMap<>();
        for (ChannelProviderFactory factory : factories) {
            if (byId.put(factory.id(), factory) != null) {
                throw new IllegalStateException("two channel provider factories claim the id '" + factory.id() + "'");
            }
        }
        List<String> selected = Arrays.stream(environment.getProperty("siyu.channels.enabled", "inapp,webhook").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<String> problems = new ArrayList<>();
        for (String id : selected) {
            ChannelProviderFactory factory = byId.get(id);
            if (factory == null) {
                problems.add("siyu.channels.enabled names '" + id + "', but the known channels are " + byId.keySet());
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            boolean missing = false;
            for (ConfigOption option : factory.options()) {
                String value = environment.getProperty("siyu.channels." + id + "." + option.name(), option.defaultValue() == null ? "" : option.defaultValue());
                if (!value.isBlank()) {
                    values.put(option.name(), value);
                } else if (option.required()) {
                    problems.add("siyu.channels." + id + "." + option.name() + " is required: " + option.help());
                    missing = true;
                }
            }
            if (missing) {
                continue;
            }
            try {
                enabled.put(id, factory.create(new ChannelConfig(id, values)));
            } catch (ChannelConfig.Invalid e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("channel configuration is incomplete / 渠道配置不完整: " + String.join("; ", problems));
        }
        byId.values().forEach(f -> described.add(new Described(f.id(), f.help(), enabled.containsKey(f.id()), f.options())));
    }

    public Optional<ChannelProvider> provider(String id) {
        return Optional.ofNullable(enabled.get(id));
    }

    public boolean isEnabled(String id) {
        return enabled.containsKey(id);
    }

    public List<Described> describe() {
        return List.copyOf(described);
    }
}
