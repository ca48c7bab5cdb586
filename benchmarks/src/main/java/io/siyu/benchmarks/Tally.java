package io.siyu.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one load thread counted during a run: written by that thread only, merged into a
 * {@link LoadClient.Result} after the thread has ended.
 */
final class Tally {

    private final long start;
    private final Histogram latency = new Histogram(60_000_000L, 3);
    /** Latencies by the second (since the run's start) in which each request was due. */
    private final Histogram[] perSecond;
    private long requests;
    private long events;
    private long errors;
    private long reconnects;
    private long finished;

    Tally(LoadClient.Schedule schedule) {
        this.start = schedule.start();
        this.perSecond = new Histogram[schedule.seconds()];
        for (int s = 0; s < perSecond.length; s++) {
            perSecond[s] = new Histogram(60_000_000L, 2);
        }
    }

    /** A response with {@code status} arrived at {@code done} to a request of {@code events} due at {@code due}. */
    void response(long due, long done, int status, int events) {
        long micros = Math.min(60_000_000L, Math.max(1, (done - due) / 1_000));
        latency.recordValue(micros);
        perSecond[(int) Math.min(perSecond.length - 1, Math.max(0, (due - start) / 1_000_000_000L))].recordValue(micros);
        if (status == 200) {
            requests++;
            this.events += events;
        } else {
            errors++;
        }
        finished = done;
    }

    /** A request got no response: the connection failed or the response could not be parsed. */
    void failure() {
        errors++;
    }

    void connected() {
        reconnects++;
    }

    void connected(long count) {
        reconnects += count;
    }

    static LoadClient.Result merge(LoadClient.Schedule schedule, List<Tally> tallies) {
        Histogram latency = new Histogram(60_000_000L, 3);
        List<Histogram> perSecond = new ArrayList<>();
        for (int s = 0; s < schedule.seconds(); s++) {
            perSecond.add(new Histogram(60_000_000L, 2));
        }
        long requests = 0, events = 0, errors = 0, reconnects = 0, last = schedule.start();
        for (Tally t : tallies) {
            latency.add(t.latency);
            for (int s = 0; s < perSecond.size(); s++) {
                perSecond.get(s).add(t.perSecond[s]);
            }
            requests += t.requests;
            events += t.events;
            errors += t.errors;
            reconnects += t.reconnects;
            last = Math.max(last, t.finished);
        }
        return new LoadClient.Result(requests, events, errors, (last - schedule.start()) / 1e9, latency, reconnects,
                schedule.startEpochMillis(), perSecond);
    }
}
