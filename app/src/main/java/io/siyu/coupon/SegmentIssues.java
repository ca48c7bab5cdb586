package io.siyu.coupon;

import io.siyu.engine.Engine;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.identity.PersonId;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileView;
import io.siyu.segment.SegmentMembers;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issues a template to every member of a segment, in the background. The job is keyed by
 * (template, request key): posting the same key again answers the same job, and resumes it when it
 * stopped (failed, or the instance restarted mid-way). Each person's coupon is issued through
 * {@link CouponDesk#issue} with the action id {@code segment:<request key>:<person>}, so stock,
 * per-person limits and the no-oversell guarantees are the desk's, and nobody gets a second coupon
 * from the same key however often the job runs. Members are taken as the segment stood when the job
 * (or its resumption) started.
 */
@Service
public class SegmentIssues {

    /** A job as the API shows it; {@code skipped} counts people by reason ({@code stock:sold-out} …). */
    public record Job(String id, String templateId, String segment, String requestKey, String status, int members, int issued,
            int repeated, Map<String, Integer> skipped, @Nullable String error, Instant startedAt, @Nullable Instant finishedAt) {}

    static final int CHUNK = 1_000;
    /** Issues in flight per job: enough for the claim writer to group-commit, few enough to leave room for claims. */
    static final int IN_FLIGHT = 64;

    /** Most specific first; a phone hash cannot name a person in an event. */
    private static final List<IdentifierType> PREFERRED = List.of(IdentifierType.USER_ID, IdentifierType.UNIONID,
            IdentifierType.WECOM_EXTERNAL_USERID, IdentifierType.OPENID, IdentifierType.EMAIL, IdentifierType.ANONYMOUS_ID);

    /** A member to issue to; {@code person} is null when the member is gone (merged away, erased). */
    private record Member(@Nullable PersonId person, @Nullable String identifier) {}

    private final CouponDesk desk;
    private final Engine engine;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    SegmentIssues(CouponDesk desk, Engine engine, JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.desk = desk;
        this.engine = engine;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** What {@link #start} did: a new job, the running one, or a finished one answered as it was. */
    public record Started(Job job, boolean created) {}

    /**
     * Starts (or resumes, or answers) the job for this key.
     *
     * @throws io.siyu.platform.NotFound when the segment does not exist
     */
    public Started start(TenantId tenant, CouponTemplate template, String segment, String requestKey) {
        engine.ask(tenant.value(), state -> SegmentMembers.of(state, segment).length); // NotFound before anything is written
        String id = "cij_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        boolean created = jdbc.sql("""
                INSERT INTO coupon_issue_jobs (tenant_id, id, template_id, segment, request_key, status, started_at)
                VALUES (?, ?, ?, ?, ?, 'RUNNING', ?) ON CONFLICT (tenant_id, template_id, request_key) DO NOTHING""")
                .params(tenant.value(), id, template.id(), segment, requestKey, Timestamp.from(clock.instant())).update() > 0;
        Job existing = byKey(tenant, template.id(), requestKey).orElseThrow();
        Job job = existing;
        if (!existing.segment().equals(segment)) {
            throw new io.siyu.platform.InvalidInput("requestKey", "unique", "request key '" + requestKey + "' was used for segment '"
                    + existing.segment() + "' / 该请求键已用于另一个分群");
        }
        boolean resume = job.status().equals("FAILED") || job.status().equals("RUNNING") && !active.contains(key(tenant, job.id()));
        if (created || resume) {
            if (active.add(key(tenant, job.id()))) {
                jdbc.sql("UPDATE coupon_issue_jobs SET status = 'RUNNING', error = NULL, finished_at = NULL WHERE tenant_id = ? AND id = ?")
                        .params(tenant.value(), job.id()).update();
                runner.submit(() -> run(tenant, template, existing.id(), segment, requestKey));
                job = find(tenant, job.id()).orElseThrow();
            }
        }
        return new Started(job, created);
    }

    public Optional<Job> find(TenantId tenant, String id) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND id = ?").params(tenant.value(), id).query(this::job).optional();
    }

    private Optional<Job> byKey(TenantId tenant, String templateId, String requestKey) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND template_id = ? AND request_key = ?")
                .params(tenant.value(), templateId, requestKey).query(this::job).optional();
    }

    private void run(TenantId tenant, CouponTemplate template, String jobId, String segment, String requestKey) {
        int issued = 0, repeated = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        int[] members = new int[0];
        try {
            members = engine.ask(tenant.value(), state -> SegmentMembers.of(state, segment));
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            for (int from = 0; from < members.length; from += CHUNK) {
                int[] chunk = Arrays.copyOfRange(members, from, Math.min(members.length, from + CHUNK));
                List<Member> people = resolve(tenant, chunk);
                List<Future<String>> outcomes = new ArrayList<>(people.size());
                for (Member member : people) {
                    inFlight.acquire();
                    outcomes.add(runner.submit(() -> {
                        try {
                            return issue(tenant, template, requestKey, member);
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
                for (Future<String> outcome : outcomes) {
                    String result = join(outcome);
                    switch (result) {
                        case "issued" -> issued++;
                        case "repeated" -> repeated++;
                        default -> skipped.merge(result, 1, Integer::sum);
                    }
                }
                progress(tenant, jobId, "RUNNING", members.length, issued, repeated, skipped, null, false);
            }
            progress(tenant, jobId, "DONE", members.length, issued, repeated, skipped, null, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress(tenant, jobId, "FAILED", members.length, issued, repeated, skipped, "interrupted; post again to resume", true);
        } catch (RuntimeException e) {
            progress(tenant, jobId, "FAILED", members.length, issued, repeated, skipped,
                    e.getMessage() + "; post the same request key again to resume / 以相同请求键重新提交即可继续", true);
        } finally {
            active.remove(key(tenant, jobId));
        }
    }

    private String issue(TenantId tenant, CouponTemplate template, String requestKey, Member member) {
        if (member.person() == null) {
            return "person:gone";
        }
        if (member.identifier() == null) {
            return "person:no-identifier";
        }
        return switch (desk.issue(tenant, member.person(), member.identifier(), template.id(), false,
                "segment:" + requestKey + ":" + member.person(), CouponDesk.Signals.NONE)) {
            case CouponDesk.Outcome.Issued i -> i.repeated() ? "repeated" : "issued";
            case CouponDesk.Outcome.Refused r -> r.reason();
        };
    }

    /** Person ids and their most specific identifier, read on the tenant's partition. */
    private List<Member> resolve(TenantId tenant, int[] chunk) {
        long now = clock.millis();
        return engine.ask(tenant.value(), state -> {
            List<Member> out = new ArrayList<>(chunk.length);
            for (int person : chunk) {
                ProfileView view = state.view(person, now);
                if (view == null) {
                    out.add(new Member(null, null)); // merged away or erased since the segment was computed
                    continue;
                }
                List<Identifier> ids = state.graph().identifiersOf(person);
                String identifier = null;
                for (IdentifierType type : PREFERRED) {
                    Optional<Identifier> found = ids.stream().filter(i -> i.type() == type).findFirst();
                    if (found.isPresent()) {
                        identifier = found.get().toString();
                        break;
                    }
                }
                out.add(new Member(PersonId.parse(view.id()), identifier));
            }
            return out;
        });
    }

    private static String join(Future<String> outcome) throws InterruptedException {
        try {
            return outcome.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ServiceUnavailable unavailable) {
                throw unavailable; // the database is away: stop, a repost resumes
            }
            throw new IllegalStateException("issuing failed: " + e.getCause(), e.getCause());
        }
    }

    private void progress(TenantId tenant, String jobId, String status, int members, int issued, int repeated,
            Map<String, Integer> skipped, @Nullable String error, boolean finished) {
        jdbc.sql("""
                UPDATE coupon_issue_jobs SET status = ?, members = ?, issued = ?, repeated = ?, skipped = ?::jsonb, error = ?,
                    finished_at = ? WHERE tenant_id = ? AND id = ?""")
                .params(status, members, issued, repeated, json.writeValueAsString(skipped), error,
                        finished ? Timestamp.from(clock.instant()) : null, tenant.value(), jobId)
                .update();
    }

    private static final String SELECT = """
            SELECT id, template_id, segment, request_key, status, members, issued, repeated, skipped::text, error, started_at,
                finished_at FROM coupon_issue_jobs""";

    @SuppressWarnings("unchecked")
    private Job job(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Map<String, Integer> skipped = new TreeMap<>();
        json.readValue(rs.getString(9), Map.class).forEach((k, v) -> skipped.put((String) k, ((Number) v).intValue()));
        Timestamp finished = rs.getTimestamp(12);
        return new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getInt(7),
                rs.getInt(8), skipped, rs.getString(10), rs.getTimestamp(11).toInstant(), finished == null ? null : finished.toInstant());
    }

    private static String key(TenantId tenant, String jobId) {
        return tenant.value() + "/" + jobId;
    }
}
