package io.siyu.platform;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings, bound from {@code siyu.*} properties and from the environment ({@code SIYU_DATA_DIR},
 * {@code SIYU_DB_URL}, {@code SIYU_DB_USER}, {@code SIYU_DB_PASSWORD}, {@code SIYU_ADMIN_TOKEN},
 * {@code SIYU_DEMO_WRITE_KEY}, {@code SIYU_CLOCK}).
 *
 * @param dataDir where the embedded database, snapshots and keys live
 * @param db an external PostgreSQL; when its url is blank Siyu starts the embedded one
 * @param adminToken bootstrap bearer token for the management API; generated and stored under
 *     {@code dataDir} when blank
 * @param demo the demo tenant loaded by {@code ./siyu demo}
 * @param engine tuning of the event engine
 */
@ConfigurationProperties("siyu")
public record SiyuProperties(
        Path dataDir, Db db, @Nullable String adminToken, Demo demo, Engine engine) {

    public SiyuProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        db = db == null ? new Db(null, null, null) : db;
        demo = demo == null ? new Demo(false, null, 100_000, 2_000_000) : demo;
        engine = engine == null ? new Engine(50_000, 2_000) : engine;
    }

    /** External database; all three blank means embedded. */
    public record Db(@Nullable String url, @Nullable String user, @Nullable String password) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    /** Demo tenant; the write key is generated when blank. */
    public record Demo(boolean enabled, @Nullable String writeKey, int people, int events) {}

    /**
     * @param snapshotEvery events applied to a tenant between two snapshots
     * @param maxGroupCommit most events written in one log transaction
     */
    public record Engine(int snapshotEvery, int maxGroupCommit) {}
}
