package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

class ChannelsTest {

    private static final List<ChannelProviderFactory> FACTORIES = List.of(new EmailChannel(),
            new SmsChannel(JsonMapper.builder().build()));

    @Test
    void refusesToStartWhenASelectedChannelMissesRequiredSettingsNamingEachWithItsHelp() {
        MockEnvironment env = new MockEnvironment().withProperty("siyu.channels.enabled", "email,sms")
                .withProperty("siyu.channels.sms.api-key", "k").withProperty("siyu.channels.sms.signature", "【思域】");
        assertThatThrownBy(() -> new Channels(FACTORIES, env)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("siyu.channels.email.host is required: SMTP relay host name")
                .hasMessageContaining("siyu.channels.email.from is required");
    }

    @Test
    void refusesUnknownChannelsAndUnusableValues() {
        assertThatThrownBy(() -> new Channels(FACTORIES, new MockEnvironment().withProperty("siyu.channels.enabled", "fax")))
                .hasMessageContaining("'fax'").hasMessageContaining("[email, sms]");
        MockEnvironment badPort = new MockEnvironment().withProperty("siyu.channels.enabled", "email")
                .withProperty("siyu.channels.email.host", "smtp.x.cn").withProperty("siyu.channels.email.from", "a@x.cn")
                .withProperty("siyu.channels.email.port", "twenty-five");
        assertThatThrownBy(() -> new Channels(FACTORIES, badPort)).hasMessageContaining("port must be a whole number");
    }

    @Test
    void startsSelectedChannelsAndListsTheOthersAsDisabled() {
        MockEnvironment env = new MockEnvironment().withProperty("siyu.channels.enabled", "sms")
                .withProperty("siyu.channels.sms.api-key", "k").withProperty("siyu.channels.sms.signature", "【思域】");
        Channels channels = new Channels(FACTORIES, env);
        assertThat(channels.isEnabled("sms")).isTrue();
        assertThat(channels.isEnabled("email")).isFalse();
        assertThat(channels.describe()).extracting(Channels.Described::id, Channels.Described::enabled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("email", false), org.assertj.core.groups.Tuple.tuple("sms", true));
    }
}
