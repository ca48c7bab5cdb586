package io.siyu.coupon;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issued coupons in PostgreSQL. New coupons are written in the event log's transaction together
 * with their events ({@link #copy}); every later state change is one conditional UPDATE, so two
 * redeems of one coupon cannot both succeed, and the row names the event it still owes the log.
 */
@Repository
class Coupons {

    /** A coupon about to be stored. */
    record NewCoupon(TenantId tenant, String code, CouponTemplate template, int serial, PersonId person, String identifier,
            Instant issuedAt, Instant expiresAt, String event, @Nullable String actionId, @Nullable String device,
            @Nullable String phoneHash, @Nullable String paymentAccount) {}

    /** A row that owes the log an event. */
    record Owed(TenantId tenant, String code, String templateId, String identifier, String event, @Nullable String orderId,
            @Nullable Long discountFen) {}

    private static final String SELECT = "SELECT c.code, c.person_id, c.status, c.issued_at, c.expires_at, c.order_id, c.discount_fen, "
            + CouponTemplates.COLUMNS.replaceAll("(\\w+)", "t.$1").replace("t.\n", "\n")
            + " FROM coupons c JOIN coupon_templates t ON t.tenant_id = c.tenant_id AND t.id = c.template_id ";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;

    Coupons(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
    }

    private static final String COPY = """
            COPY coupons (tenant_id, code, template_id, serial, stock, person_id, identifier, status, issued_at, expires_at,
                action_id, device, phone_hash, payment_account) FROM STDIN (FORMAT binary)""";
    /**
     * Writes new coupons with one binary COPY on {@code connection}, in the caller's transaction
     * (the event log's, so the rows commit with their events). A repeated code, action id or
     * serial fails the whole COPY.
     */
    static void copy(java.sql.Connection connection, List<NewCoupon> coupons) throws java.sql.SQLException {
        io.siyu.platform.BinaryCopy rows = new io.siyu.platform.BinaryCopy(coupons.size() * 180 + 32);
        for (NewCoupon c : coupons) {
            rows.row(14).int4(c.tenant().value()).text(c.code()).text(c.template().id()).int4(c.serial())
                    .int4(c.template().totalStock()).uuid(c.person().value()).text(c.identifier()).text("ISSUED")
                    .timestamp(c.issuedAt()).timestamp(c.expiresAt()).text(c.actionId()).text(c.device()).text(c.phoneHash())
                    .text(c.paymentAccount());
        }
        rows.copyIn(connection, COPY);
    }

    /** Which of these codes are stored: what settles a write whose outcome was not reported. */
    java.util.Set<String> stored(TenantId tenant, List<String> codes) {
        return template.execute((org.springframework.jdbc.core.ConnectionCallback<java.util.Set<String>>) c -> {
            try (java.sql.PreparedStatement select = c.prepareStatement("SELECT code FROM coupons WHERE tenant_id = ? AND code = ANY (?)")) {
                select.setInt(1, tenant.value());
                select.setArray(2, c.createArrayOf("text", codes.toArray()));
                java.util.Set<String> found = new java.util.HashSet<>();
                try (java.sql.ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                return found;
            }
        });
    }

    /** Deletes owed batches whose events are recorded. */
    void batchesRecorded(List<Long> ids) {
        if (!ids.isEmpty()) {
            template.execute((org.springframework.jdbc.core.ConnectionCallback<Integer>) c -> {
                try (java.sql.PreparedStatement delete = c.prepareStatement("DELETE FROM coupon_owed_batches WHERE id = ANY (?)")) {
                    delete.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                    return delete.executeUpdate();
                }
            });
        }
    }

    /** An owed batch: its id and the events its coupons owe. */
    record OwedBatch(long id, List<Owed> owed) {}

    /** Owed batches older than {@code before} (younger ones are still with their writer). */
    List<OwedBatch> owedBatches(Instant before, int limit) {
        List<Long> ids = jdbc.sql("SELECT id FROM coupon_owed_batches WHERE created_at < ? ORDER BY id LIMIT ?")
                .params(Timestamp.from(before), limit).query(Long.class).list();
        return ids.stream().map(id -> new OwedBatch(id, jdbc.sql("""
                SELECT c.tenant_id, c.code, c.template_id, c.identifier, x.event
                FROM coupon_owed_batches b, unnest(b.tenant_ids, b.codes, b.events) AS x(tenant_id, code, event)
                JOIN coupons c ON c.tenant_id = x.tenant_id AND c.code = x.code
                WHERE b.id = ?""").param(id)
                .query((rs, row) -> new Owed(new TenantId(rs.getInt(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), null, null)).list())).toList();
    }

    Optional<Coupon> find(TenantId tenant, String code) {
        return jdbc.sql(SELECT + "WHERE c.tenant_id = ? AND c.code = ?").params(tenant.value(), code).query(Coupons::map).optional();
    }

    Optional<Coupon> byAction(TenantId tenant, String actionId) {
        return jdbc.sql(SELECT + "WHERE c.tenant_id = ? AND c.action_id = ?").params(tenant.value(), actionId)
                .query(Coupons::map).optional();
    }

    List<Coupon> ofPerson(TenantId tenant, PersonId person) {
        return jdbc.sql(SELECT + "WHERE c.tenant_id = ? AND c.person_id = ? ORDER BY c.issued_at, c.code")
                .params(tenant.value(), person.value()).query(Coupons::map).list();
    }

    /** Serials stored for a template, with their holders: what the in-memory stock starts from. */
    Map<Integer, PersonId> serials(TenantId tenant, String templateId) {
        Map<Integer, PersonId> out = new HashMap<>();
        jdbc.sql("SELECT serial, person_id FROM coupons WHERE tenant_id = ? AND template_id = ?")
                .params(tenant.value(), templateId)
                .query(rs -> {
                    out.put(rs.getInt(1), new PersonId(rs.getObject(2, UUID.class)));
                });
        return out;
    }

    int count(TenantId tenant, String templateId) {
        return jdbc.sql("SELECT count(*) FROM coupons WHERE tenant_id = ? AND template_id = ?").params(tenant.value(), templateId)
                .query(Integer.class).single();
    }

    /** @return false when the coupon was not ISSUED and unexpired at {@code at} */
    boolean redeem(TenantId tenant, String code, String orderId, long discountFen, Instant at) {
        return jdbc.sql("""
                UPDATE coupons SET status = 'REDEEMED', order_id = ?, discount_fen = ?, redeemed_at = ?, pending_event = 'Coupon Redeemed'
                WHERE tenant_id = ? AND code = ? AND status = 'ISSUED' AND expires_at > ?""")
                .params(orderId, discountFen, Timestamp.from(at), tenant.value(), code, Timestamp.from(at)).update() > 0;
    }

    boolean voidCoupon(TenantId tenant, String code) {
        return jdbc.sql("UPDATE coupons SET status = 'VOIDED', pending_event = 'Coupon Voided' WHERE tenant_id = ? AND code = ? AND status = 'ISSUED'")
                .params(tenant.value(), code).update() > 0;
    }

    /** Marks coupons past their end EXPIRED, at most {@code limit} at a time. */
    int expire(Instant now, int limit) {
        return jdbc.sql("""
                UPDATE coupons SET status = 'EXPIRED', pending_event = 'Coupon Expired' WHERE (tenant_id, code) IN (
                    SELECT tenant_id, code FROM coupons WHERE status = 'ISSUED' AND expires_at <= ? LIMIT ? FOR UPDATE SKIP LOCKED)""")
                .params(Timestamp.from(now), limit).update();
    }

    List<Owed> owed(int limit) {
        return jdbc.sql("""
                SELECT tenant_id, code, template_id, identifier, pending_event, order_id, discount_fen FROM coupons
                WHERE pending_event IS NOT NULL LIMIT ?""")
                .param(limit)
                .query((rs, row) -> {
                    long discount = rs.getLong(7);
                    return new Owed(new TenantId(rs.getInt(1)), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.wasNull() ? null : discount);
                }).list();
    }

    /** Clears the owed events, one statement per tenant and event name (a claim batch is one of each). */
    void recorded(List<Owed> owed) {
        Map<List<Object>, List<String>> groups = new HashMap<>();
        owed.forEach(o -> groups.computeIfAbsent(List.of(o.tenant().value(), o.event()), k -> new java.util.ArrayList<>()).add(o.code()));
        groups.forEach((key, codes) -> template.execute((org.springframework.jdbc.core.ConnectionCallback<Integer>) c -> {
            try (java.sql.PreparedStatement update = c.prepareStatement(
                    "UPDATE coupons SET pending_event = NULL WHERE tenant_id = ? AND code = ANY (?) AND pending_event = ?")) {
                update.setInt(1, (Integer) key.get(0));
                update.setArray(2, c.createArrayOf("text", codes.toArray()));
                update.setString(3, (String) key.get(1));
                return update.executeUpdate();
            }
        }));
    }

    /** Other people who claimed with this signal value (device, phone hash, payment account). */
    int otherPeople(TenantId tenant, String column, String value, PersonId person) {
        if (!List.of("device", "phone_hash", "payment_account").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.sql("SELECT count(DISTINCT person_id) FROM coupons WHERE tenant_id = ? AND " + column + " = ? AND person_id <> ?")
                .params(tenant.value(), value, person.value()).query(Integer.class).single();
    }

    private static Coupon map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        CouponTemplate t = CouponTemplates.map(rs, row, 7);
        long discount = rs.getLong(7);
        Long discountFen = rs.wasNull() ? null : discount;
        return new Coupon(rs.getString(1), t, new PersonId(rs.getObject(2, UUID.class)), Coupon.Status.valueOf(rs.getString(3)),
                rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6), discountFen);
    }
}
