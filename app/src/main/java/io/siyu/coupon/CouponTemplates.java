package io.siyu.coupon;

import io.siyu.platform.TenantId;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Coupon templates in PostgreSQL. Templates never change once created (coupons refer to their rules). */
@Repository
class CouponTemplates {

    private record Key(int tenant, String id) {}

    private final JdbcClient jdbc;
    private final ConcurrentHashMap<Key, CouponTemplate> cache = new ConcurrentHashMap<>();

    CouponTemplates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when a template with this id exists already */
    boolean create(TenantId tenant, CouponTemplate t) {
        return jdbc.sql("""
                INSERT INTO coupon_templates (tenant_id, id, name, kind, amount_fen, percent_off, threshold_fen, total_stock,
                    per_person_limit, valid_from, valid_until, valid_for_secs, categories, products, stacks_with_member_discount)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::text[], ?) ON CONFLICT DO NOTHING""")
                .params(tenant.value(), t.id(), t.name(), t.kind().name(), t.amountFen(), t.percentOff(), t.thresholdFen(),
                        t.totalStock(), t.perPersonLimit(), t.validFrom() == null ? null : Timestamp.from(t.validFrom()),
                        t.validUntil() == null ? null : Timestamp.from(t.validUntil()),
                        t.validFor() == null ? null : t.validFor().toSeconds(), array(t.categories()), array(t.products()),
                        t.stacksWithMemberDiscount())
                .update() > 0;
    }

    Optional<CouponTemplate> find(TenantId tenant, String id) {
        // computeIfAbsent: a flash sale's first ten thousand claims ask the database once, not ten thousand times;
        // unknown ids are not cached, so hostile ids cannot grow the map
        return Optional.ofNullable(cache.computeIfAbsent(new Key(tenant.value(), id), k -> jdbc
                .sql("SELECT " + COLUMNS + " FROM coupon_templates WHERE tenant_id = ? AND id = ?")
                .params(k.tenant(), k.id()).query(CouponTemplates::map).optional().orElse(null)));
    }

    List<CouponTemplate> all(TenantId tenant) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM coupon_templates WHERE tenant_id = ? ORDER BY created_at, id")
                .param(tenant.value()).query(CouponTemplates::map).list();
    }

    static final String COLUMNS = """
            id, name, kind, amount_fen, percent_off, threshold_fen, total_stock, per_person_limit, valid_from, valid_until,
            valid_for_secs, categories, products, stacks_with_member_discount""";

    static CouponTemplate map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return map(rs, row, 0);
    }

    /** Maps the template columns starting at {@code offset} + 1. */
    static CouponTemplate map(java.sql.ResultSet rs, int row, int offset) throws java.sql.SQLException {
        Timestamp from = rs.getTimestamp(offset + 9);
        Timestamp until = rs.getTimestamp(offset + 10);
        long forSecs = rs.getLong(offset + 11);
        boolean relative = !rs.wasNull();
        return new CouponTemplate(rs.getString(offset + 1), rs.getString(offset + 2),
                CouponTemplate.Kind.valueOf(rs.getString(offset + 3)), rs.getLong(offset + 4), rs.getInt(offset + 5),
                rs.getLong(offset + 6), rs.getInt(offset + 7), rs.getInt(offset + 8), from == null ? null : from.toInstant(),
                until == null ? null : until.toInstant(), relative ? Duration.ofSeconds(forSecs) : null,
                strings(rs.getArray(offset + 12)), strings(rs.getArray(offset + 13)), rs.getBoolean(offset + 14));
    }

    private static java.util.Set<String> strings(Array array) throws java.sql.SQLException {
        return array == null ? java.util.Set.of() : new HashSet<>(Arrays.asList((String[]) array.getArray()));
    }

    private static String array(java.util.Set<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (String v : values.stream().sorted().toList()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }
}
