package io.siyu.privacy;

import io.siyu.action.Consent;
import io.siyu.action.Purpose;
import io.siyu.engine.Engine;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.platform.Caller;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.Role;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileView;
import io.siyu.segment.SegmentMembers;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * CSV export of a segment's people for a purpose, the only bulk path out: the file is watermarked
 * (a first line naming who exported it and when, and the export's id in every row, so even a few
 * leaked rows lead back to it), it leaves out people whose consent for the purpose is not
 * {@link Consent#ALL} and people who were erased, personal fields are masked for every role but
 * admin, the export is audited before it is sent, and {@link ExportWatch} may refuse it and freeze
 * the caller.
 */
@RestController
class SegmentExport {

    private static final int CHUNK = 1_000;
    private static final String HEADER = "person_id,user_id,phone,email,order_count,total_spend,last_seen,watermark";

    private final Engine engine;
    private final ExportWatch watch;
    private final AuditLog audit;
    private final Erasures erasures;
    private final FieldCipher cipher;

    SegmentExport(Engine engine, ExportWatch watch, AuditLog audit, Erasures erasures, FieldCipher cipher) {
        this.cipher = cipher;
        this.engine = engine;
        this.watch = watch;
        this.audit = audit;
        this.erasures = erasures;
    }

    @GetMapping("/api/v1/segments/{name}/export")
    ResponseEntity<String> export(TenantId tenant, Caller caller, @PathVariable String name,
            @RequestParam(defaultValue = "marketing") String purpose) {
        if (name.isBlank() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("name", "format", "names are 1–64 characters without control characters");
        }
        Purpose forPurpose = ConsentBook.purpose(purpose);
        if (forPurpose == null) {
            throw new InvalidInput("purpose", "enum", "purpose must be marketing, personalisation or analytics");
        }
        long now = engine.clock().millis();
        int[] members = engine.ask(tenant.value(), state -> SegmentMembers.of(state, name));
        String exportId = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(java.util.concurrent.ThreadLocalRandom.current().nextLong()).array());
        StringBuilder rows = new StringBuilder();
        int[] counts = new int[2]; // exported, left out
        boolean unmasked = caller.role() == Role.ADMIN;
        for (int from = 0; from < members.length; from += CHUNK) {
            int[] chunk = Arrays.copyOfRange(members, from, Math.min(members.length, from + CHUNK));
            java.util.List<Map.Entry<ProfileView, java.util.List<Identifier>>> kept = new java.util.ArrayList<>(chunk.length);
            engine.ask(tenant.value(), state -> {
                ConsentBook consent = state.part(ConsentExtension.ID, ConsentBook.class);
                for (int person : chunk) {
                    ProfileView view = state.view(person, now);
                    if (view == null || consent.consentOf(person, forPurpose) != Consent.ALL || erasures.isErased(tenant, view.id())) {
                        counts[1]++;
                        continue;
                    }
                    kept.add(Map.entry(view, state.graph().identifiersOf(person)));
                    counts[0]++;
                }
                return null;
            });
            // sealed traits are opened off the partition thread: a data key may have to be read from the database
            for (Map.Entry<ProfileView, java.util.List<Identifier>> person : kept) {
                ProfileView view = person.getKey();
                row(rows, unmasked ? SealedTraits.open(cipher, tenant, view) : ProfileMasks.mask(view), person.getValue(), exportId);
            }
        }
        watch.admit(tenant, caller, "segment " + name, counts[0]);
        audit.recordAndWait(tenant, caller.actor(), "segment.exported", "segment:" + name,
                "export=" + exportId + " rows=" + counts[0] + " leftOut=" + counts[1] + " purpose=" + ConsentController.key(forPurpose));
        String at = Instant.ofEpochMilli(now).toString();
        String csv = "\uFEFF# 导出人 exported by: " + caller.actor() + " · 时间 at: " + at + " · 导出编号 export: " + exportId
                + " · 用途 purpose: " + ConsentController.key(forPurpose) + " · 未含未授权 left out: " + counts[1] + "\n"
                + HEADER + "\n" + rows;
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"segment-" + exportId + ".csv\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("X-Siyu-Export", exportId).body(csv);
    }

    private static void row(StringBuilder out, ProfileView view, java.util.List<Identifier> identifiers, String exportId) {
        String userId = identifiers.stream().filter(i -> i.type() == IdentifierType.USER_ID).map(Identifier::value).findFirst()
                .orElse("");
        Map<String, Object> traits = view.traits();
        out.append(cell(view.id())).append(',').append(cell(userId)).append(',').append(cell(text(traits.get("phone"))))
                .append(',').append(cell(text(traits.get("email")))).append(',').append(view.stats().orderCount()).append(',')
                .append(view.stats().totalSpend().toPlainString()).append(',')
                .append(view.stats().lastSeen() == null ? "" : view.stats().lastSeen().toString()).append(',').append(exportId)
                .append('\n');
    }

    private static String text(@Nullable Object value) {
        return value == null ? "" : value.toString();
    }

    /** Quotes when needed, and defuses spreadsheet formulas (CSV injection). */
    static String cell(String value) {
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

}
