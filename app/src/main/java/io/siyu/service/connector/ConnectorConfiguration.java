package io.siyu.service.connector;

import java.net.URI;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/** Builds HTTP remotes from settings, naming the setting when a URL is not absolute http(s). */
final class ConnectorConfiguration {

    private ConnectorConfiguration() {}

    static HttpRemote remote(String setting, String url, String token, Duration timeout, JsonMapper json) {
        try {
            return new HttpRemote(setting, URI.create(url.strip()), token, timeout, json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is set but invalid: " + e.getMessage(), e);
        }
    }
}
