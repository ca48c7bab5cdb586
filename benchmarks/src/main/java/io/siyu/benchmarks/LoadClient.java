package io.siyu.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The load generator of the HTTP benchmarks, measuring apparatus in the way wrk is: pre-serialised
 * requests over keep-alive connections, each an HTTP/1.1 request of its own with one request in
 * flight per connection (no pipelining), every response read and framed (status line,
 * {@code Content-Length} or chunked body, {@code Connection: close}), every status but 200 counted
 * as an error. {@link Load} gives each connection a thread and a blocking socket;
 * {@link SelectorLoad} serves all connections from one or two selector threads, so on a machine
 * whose cores the client shares with the server it takes less of them.
 *
 * <p>Closed loop measures the most the server sustains: the next request on a connection goes as
 * soon as the response to the last is in. Open loop sends at a fixed rate and measures latency from
 * when each request was <em>due</em>, so a stalled server cannot hide its stall by slowing the
 * client (coordinated omission).
 */
sealed interface LoadClient permits Load, SelectorLoad {

    /** What one run did. */
    record Result(long requests, long events, long errors, double seconds, Histogram latencyMicros, long reconnects,
            long startEpochMillis, List<Histogram> perSecond) {
        double eventsPerSecond() {
            return events / seconds;
        }
    }

    /**
     * @param requests sent in turn, connection {@code c} taking every {@code connections}-th from the
     *     {@code c}-th; at least one per connection
     */
    Result closedLoop(List<Payloads.Request> requests, int connections, double seconds);

    /** @param requestsPerSecond total over all connections, each connection at an equal share */
    Result openLoop(List<Payloads.Request> requests, int connections, double seconds, double requestsPerSecond);

    /**
     * When a run starts and ends and when each connection's first request is due. Open loop spreads
     * the connections' schedules evenly over one interval, so the requests arrive at a steady rate
     * rather than in bursts of one per connection.
     */
    record Schedule(long start, long startEpochMillis, long end, long interval, int connections) {

        /** A run starting 50 ms from now; {@code rate} 0 for a closed loop. */
        static Schedule of(List<Payloads.Request> requests, int connections, double seconds, double rate) {
            if (requests.size() < connections) {
                throw new IllegalArgumentException("need at least one request per connection");
            }
            long start = System.nanoTime() + 50_000_000L;
            return new Schedule(start, System.currentTimeMillis() + 50, start + (long) (seconds * 1e9),
                    rate > 0 ? (long) (1e9 * connections / rate) : 0, connections);
        }

        boolean openLoop() {
            return interval > 0;
        }

        /** When connection {@code c} sends its first request. */
        long first(int c) {
            return start + interval * c / connections;
        }

        /** The requests connection {@code c} sends in turn. */
        List<Payloads.Request> share(List<Payloads.Request> requests, int c) {
            List<Payloads.Request> own = new ArrayList<>();
            for (int i = c; i < requests.size(); i += connections) {
                own.add(requests.get(i));
            }
            return own;
        }

        /** Seconds of the run, each with a latency histogram of the requests due in it. */
        int seconds() {
            return (int) Math.ceil((end - start) / 1e9);
        }
    }
}
