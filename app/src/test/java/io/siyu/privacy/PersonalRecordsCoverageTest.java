package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every table the migrations create is classified for erasure: personal (erased and exported) or not, with the reason. */
class PersonalRecordsCoverageTest {

    private static final Pattern CREATE = Pattern.compile("(?i)CREATE TABLE\\s+(?:IF NOT EXISTS\\s+)?(\\w+)");

    @Test
    void everyMigrationTableIsClassifiedAndNothingElseIs() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATE.matcher(Files.readString(file));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        assertThat(created).as("tables found in the migrations").contains("membership_changes", "event_log", "coupons");
        assertThat(PersonalRecords.classified())
                .as("a table created by a migration must be in PersonalRecords.TABLES (erased, exported) or NOT_PERSONAL (why not)")
                .containsExactlyInAnyOrderElementsOf(created);
        assertThat(PersonalRecords.TABLES).noneMatch(t -> PersonalRecords.NOT_PERSONAL.containsKey(t.name()));
    }
}
