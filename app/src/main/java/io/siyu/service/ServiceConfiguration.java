package io.siyu.service;

import io.siyu.service.nlu.LanguageUnderstanding;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the customer-service centre: the NLU is loaded once from the committed model artefact. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

    @Bean
    LanguageUnderstanding languageUnderstanding(Clock clock) {
        return LanguageUnderstanding.bundled(clock);
    }
}
