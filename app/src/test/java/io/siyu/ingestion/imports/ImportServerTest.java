package io.siyu.ingestion.imports;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The whole server on a random port and the embedded PostgreSQL, one context for every import test
 * class. The import limit is lowered to 64 MB so that the over-the-limit case is cheap to produce.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "siyu.data-dir=target/test-data/${random.uuid}",
        "siyu.admin-token=" + ImportApi.ADMIN_TOKEN,
        "siyu.import.max-size=64MB"})
@interface ImportServerTest {}
