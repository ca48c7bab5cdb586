package io.siyu.segment;

import io.siyu.platform.TenantId;
import io.siyu.segment.condition.ConditionParser;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Segment and rule-tag definitions, kept in PostgreSQL as canonical condition text. */
@Repository
class SegmentDefinitions {

    record Stored(int tenant, String name, Definition.Kind kind, String condition, @Nullable String group) {
        Definition definition() {
            return Definition.of(name, kind, ConditionParser.parse(condition), group);
        }
    }

    private final JdbcClient jdbc;

    SegmentDefinitions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void save(TenantId tenant, Definition definition) {
        jdbc.sql("""
                INSERT INTO segment_definitions (tenant_id, name, kind, condition, tag_group) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE SET kind = excluded.kind, condition = excluded.condition,
                    tag_group = excluded.tag_group, updated_at = now()""")
                .params(tenant.value(), definition.name(), definition.kind().name(), definition.condition().toText(),
                        definition.group())
                .update();
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.sql("DELETE FROM segment_definitions WHERE tenant_id = ? AND name = ?").params(tenant.value(), name)
                .update() > 0;
    }

    List<Stored> all() {
        return jdbc.sql("SELECT tenant_id, name, kind, condition, tag_group FROM segment_definitions ORDER BY created_at, name")
                .query((rs, row) -> new Stored(rs.getInt(1), rs.getString(2), Definition.Kind.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5)))
                .list();
    }
}
