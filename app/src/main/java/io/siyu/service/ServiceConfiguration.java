package io.siyu.service;

import io.siyu.service.connector.TenantConnectors;
import io.siyu.service.dialogue.Answers;
import io.siyu.service.dialogue.Bot;
import io.siyu.service.dialogue.CannedReplies;
import io.siyu.service.nlu.LanguageUnderstanding;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Wires the customer-service centre: the NLU from the committed model artefact, the bot and its answer sources. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

    @Bean
    LanguageUnderstanding languageUnderstanding(Clock clock) {
        return LanguageUnderstanding.bundled(clock);
    }

    /** Last resort among the answer sources; the knowledge base comes first. */
    @Bean
    @Order(100)
    CannedReplies cannedReplies() {
        return new CannedReplies();
    }

    @Bean
    Bot bot(TenantConnectors connectors, LanguageUnderstanding nlu, List<Answers> answers) {
        return new Bot(connectors, connectors, nlu.catalogue(), answers);
    }
}
