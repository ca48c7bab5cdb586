package io.siyu;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Siyu: one process that collects, unifies and acts on a brand's private-domain customer data. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SiyuApplication {

    public static void main(String[] args) {
        SpringApplication.run(SiyuApplication.class, args);
    }
}
