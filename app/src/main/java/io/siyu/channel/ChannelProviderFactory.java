package io.siyu.channel;

import java.util.List;

/**
 * Makes a {@link ChannelProvider} from configuration. Spring beans implementing this are found by
 * type; an operator selects providers with {@code siyu.channels.enabled} and configures each under
 * {@code siyu.channels.<id>.<option>}. A selected provider whose required options are missing or
 * invalid stops the application at start-up, naming the option and its help text: a broken
 * channel found at the first send of a campaign would be found too late.
 */
public interface ChannelProviderFactory {

    /** Stable id, used in templates, journey nodes and configuration; never change it once released. */
    String id();

    /** One line for operators: what this channel is and what it needs. */
    String help();

    List<ConfigOption> options();

    /**
     * @throws ChannelConfig.Invalid when a value is present but unusable (bad URL, bad port)
     */
    ChannelProvider create(ChannelConfig config);
}
