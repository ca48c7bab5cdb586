package io.siyu.ingestion;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets browsers on the brand's own sites call the collection API, as analytics.js does. The write
 * key is public by design (it ships in page source) and only allows writing events, so any origin
 * may post; the management API gets no CORS and stays server-to-server.
 */
@Configuration(proxyBeanMethods = false)
class BrowserAccess implements WebMvcConfigurer {

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/v1/**").allowedOriginPatterns("*").allowedMethods("POST", "OPTIONS")
                .allowedHeaders("Content-Type", "Authorization", "Content-Encoding").maxAge(86_400);
    }
}
