package io.siyu.service.connector;

import java.net.URI;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Selects the HTTP connectors when their URL is set ({@code siyu.service.oms.url},
 * {@code siyu.service.inventory.url}); a URL that is not absolute http(s) stops the start with a
 * message naming the setting. Without a URL the bot tells people the lookup is unavailable and
 * offers a human.
 */
@Configuration(proxyBeanMethods = false)
class ConnectorConfiguration {

    @Bean
    @ConditionalOnProperty("siyu.service.oms.url")
    OrderSystem httpOrderSystem(@Value("${siyu.service.oms.url}") String url, @Value("${siyu.service.oms.token:}") String token,
            @Value("${siyu.service.connector-timeout:2s}") Duration timeout, JsonMapper json) {
        return HttpOrderSystem.connect(url, token, timeout, json);
    }

    @Bean
    @ConditionalOnProperty("siyu.service.inventory.url")
    Inventory httpInventory(@Value("${siyu.service.inventory.url}") String url, @Value("${siyu.service.inventory.token:}") String token,
            @Value("${siyu.service.connector-timeout:2s}") Duration timeout, JsonMapper json) {
        return HttpInventory.connect(url, token, timeout, json);
    }

    static HttpRemote remote(String setting, String url, String token, Duration timeout, JsonMapper json) {
        try {
            return new HttpRemote(setting, URI.create(url.strip()), token, timeout, json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is set but invalid: " + e.getMessage(), e);
        }
    }
}
