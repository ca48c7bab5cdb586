package io.siyu.privacy;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Walks the whole audit chain and says where it breaks. Each finding names the sequence number and
 * what was done: {@code altered} (an entry's content no longer matches its hash), {@code removed}
 * (numbers missing), {@code reordered} (an entry stands where another was written), {@code broken-link}
 * (an entry does not follow the one before it), {@code inserted} (a number used twice, or more reads
 * than their seal counted), {@code unsealed} (reads after the last seal) or {@code truncated} (fewer
 * entries than this process wrote). Reads ({@code audit_reads}) are numbered in the same sequence
 * and checked against the seal that closes their group ({@link ReadSeal}); a finding about them
 * names the seal's number. Reads packed per group ({@code audit_read_groups}, {@link ReadGroups}) are
 * decoded and walked in the same number order; a group row that does not decode or does not hold
 * the reads its key and count say is {@code altered}.
 */
@Component
class AuditVerifier {

    /** How far around a mismatching entry to look for the position it was written at. */
    private static final int REORDER_WINDOW = 64;

    record Finding(long seq, String kind, String detail) {}

    record Report(boolean intact, long entries, long lastSeq, String headHash, List<Finding> findings) {}

    private final JdbcClient jdbc;
    private final AuditLog audit;

    AuditVerifier(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    Report verify() {
        audit.flush();
        long expectedLast = audit.writtenSeq();
        List<Finding> findings = new ArrayList<>();
        long[] count = {0};
        long[] previousSeq = {0};
        byte[][] previousHash = {AuditLog.GENESIS};
        boolean[] gapSinceChained = {false};
        ReadSeal reads = new ReadSeal();
        java.util.ArrayDeque<AuditLog.Entry> grouped = new java.util.ArrayDeque<>();
        long[] groupCursor = {Long.MIN_VALUE};
        boolean[] groupsLeft = {true};
        java.util.function.Consumer<AuditLog.Entry> visit = e -> {
            count[0]++;
            if (e.seq() <= previousSeq[0]) {
                findings.add(new Finding(e.seq(), "inserted", "entry number " + e.seq() + " is used twice"));
                return;
            }
            if (e.seq() != previousSeq[0] + 1) {
                findings.add(new Finding(e.seq(), "removed", "entries " + (previousSeq[0] + 1) + "–" + (e.seq() - 1) + " are missing"));
                gapSinceChained[0] = true;
            }
            previousSeq[0] = e.seq();
            reads.add(e.seq(), e.tenant(), e.at(), e.actor(), e.action(), e.subject(), e.detail());
        };
        // reads stored per group (audit_read_groups) are walked in number order alongside the two tables
        java.util.function.LongConsumer groupedBefore = seq -> {
            while (true) {
                if (grouped.isEmpty() && groupsLeft[0]) {
                    List<ReadGroups.Group> next = ReadGroups.after(jdbc, groupCursor[0], 16);
                    groupsLeft[0] = next.size() == 16;
                    for (ReadGroups.Group g : next) {
                        groupCursor[0] = g.firstSeq();
                        List<AuditLog.Entry> decoded;
                        try {
                            decoded = ReadGroups.decode(g.packed());
                        } catch (IllegalArgumentException ex) {
                            findings.add(new Finding(g.firstSeq(), "altered", "the group of reads is not readable: " + ex.getMessage()));
                            continue;
                        }
                        String mismatch = ReadGroups.mismatch(g, decoded);
                        if (mismatch != null) {
                            findings.add(new Finding(g.firstSeq(), "altered", mismatch));
                        }
                        grouped.addAll(decoded);
                    }
                }
                if (grouped.isEmpty() || grouped.peekFirst().seq() >= seq) {
                    return;
                }
                visit.accept(grouped.pollFirst());
            }
        };
        jdbc.sql("""
                SELECT seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log
                UNION ALL SELECT seq, tenant_id, at, actor, action, subject, detail, NULL, NULL FROM audit_reads
                ORDER BY seq""")
                .query(rs -> {
                    AuditLog.Entry e = AuditLog.map(rs, 0);
                    groupedBefore.accept(e.seq());
                    count[0]++;
                    if (e.seq() <= previousSeq[0]) {
                        findings.add(new Finding(e.seq(), "inserted", "entry number " + e.seq() + " is used twice"));
                        return;
                    }
                    if (e.seq() != previousSeq[0] + 1) {
                        findings.add(new Finding(e.seq(), "removed", "entries " + (previousSeq[0] + 1) + "–" + (e.seq() - 1) + " are missing"));
                        gapSinceChained[0] = true;
                    }
                    previousSeq[0] = e.seq();
                    if (e.hash() == null) { // a read: its group's seal vouches for it
                        reads.add(e.seq(), e.tenant(), e.at(), e.actor(), e.action(), e.subject(), e.detail());
                        return;
                    }
                    byte[] recomputed = hash(e, e.seq());
                    boolean intact = MessageDigest.isEqual(recomputed, e.hash());
                    if (!intact) {
                        long writtenAt = writtenAt(e);
                        findings.add(writtenAt > 0
                                ? new Finding(e.seq(), "reordered", "this entry was written as entry " + writtenAt)
                                : new Finding(e.seq(), "altered", "the content does not match its hash"));
                    } else if (!MessageDigest.isEqual(e.prevHash(), previousHash[0]) && !gapSinceChained[0]) {
                        findings.add(new Finding(e.seq(), "broken-link", "does not follow the entry before it"));
                    }
                    if (e.action().equals(ReadSeal.ACTION) && e.tenant() == null) {
                        ReadSeal.Claim claim = ReadSeal.parse(e.detail());
                        if (!intact || claim == null) {
                            reads.detail(); // the seal cannot be trusted (already reported): start over after it
                        } else {
                            String kind = reads.compareWith(claim);
                            if (kind != null) {
                                findings.add(new Finding(e.seq(), kind, "a read of " + claim.first() + "–" + claim.last()
                                        + " sealed here (" + claim.count() + " reads) was " + kind));
                            }
                        }
                    }
                    previousHash[0] = e.hash();
                    gapSinceChained[0] = false;
                });
        groupedBefore.accept(Long.MAX_VALUE);
        if (!reads.isEmpty()) {
            findings.add(new Finding(previousSeq[0], "unsealed", reads.count() + " reads after the last seal"));
        }
        if (previousSeq[0] < expectedLast) {
            findings.add(new Finding(previousSeq[0], "truncated", "this process wrote up to entry " + expectedLast));
        }
        return new Report(findings.isEmpty(), count[0], previousSeq[0], java.util.HexFormat.of().formatHex(previousHash[0]), findings);
    }

    private byte[] hash(AuditLog.Entry e, long seq) {
        return audit.hashOf(seq, e.tenant(), e.at(), e.actor(), e.action(), e.subject(), e.detail(), e.prevHash());
    }

    private long writtenAt(AuditLog.Entry e) {
        for (long seq = Math.max(1, e.seq() - REORDER_WINDOW); seq <= e.seq() + REORDER_WINDOW; seq++) {
            if (seq != e.seq() && MessageDigest.isEqual(hash(e, seq), e.hash())) {
                return seq;
            }
        }
        return 0;
    }
}
