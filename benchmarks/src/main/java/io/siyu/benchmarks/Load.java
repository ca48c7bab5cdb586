package io.siyu.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives pre-serialised requests over keep-alive connections, one thread and one request in
 * flight per connection. The threads are platform threads unless {@code --client-threads virtual}:
 * with 256 connections, 256 platform threads cost the client a kernel context switch per request,
 * while virtual threads park on the JDK's poller and share a couple of carriers. What the server
 * sees (connections, one request in flight on each, no pipelining) is the same either way; on the
 * shared machine neither was clearly cheaper (docs/benchmarks.md, issue 2 session 5). Closed loop
 * measures the most the server sustains; open loop
 * sends at a fixed rate and measures latency from when each request was <em>due</em>, so a
 * stalled server cannot hide its stall by slowing the client (coordinated omission).
 */
final class Load {

    /** What one run did. */
    record Result(long requests, long events, long errors, double seconds, Histogram latencyMicros, long reconnects,
            long startEpochMillis, List<Histogram> perSecond) {
        double eventsPerSecond() {
            return events / seconds;
        }
    }

    private final InetSocketAddress server;
    private final AtomicLong ids;
    private final boolean virtualThreads;

    /**
     * @param ids the source of message-id numbers, shared by every run against one server
     * @param virtualThreads one virtual thread per connection rather than a platform thread
     */
    Load(InetSocketAddress server, AtomicLong ids, boolean virtualThreads) {
        this.server = server;
        this.ids = ids;
        this.virtualThreads = virtualThreads;
    }

    Result closedLoop(List<Payloads.Request> requests, int connections, double seconds) {
        return run(requests, connections, seconds, 0);
    }

    /** @param requestsPerSecond total over all connections */
    Result openLoop(List<Payloads.Request> requests, int connections, double seconds, double requestsPerSecond) {
        return run(requests, connections, seconds, requestsPerSecond);
    }

    private Result run(List<Payloads.Request> requests, int connections, double seconds, double rate) {
        if (requests.size() < connections) {
            throw new IllegalArgumentException("need at least one request per connection");
        }
        long start = System.nanoTime() + 50_000_000L;
        long startEpochMillis = System.currentTimeMillis() + 50;
        long end = start + (long) (seconds * 1e9);
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            List<Payloads.Request> own = new ArrayList<>();
            for (int i = c; i < requests.size(); i += connections) {
                own.add(requests.get(i));
            }
            long interval = rate > 0 ? (long) (1e9 * connections / rate) : 0;
            long first = start + (rate > 0 ? interval * c / connections : 0);
            workers.add(new Worker(own, start, first, end, interval));
        }
        List<Thread> threads = workers.stream()
                .map(w -> virtualThreads ? Thread.ofVirtual().name("load").start(w) : Thread.ofPlatform().name("load").start(w))
                .toList();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis((long) seconds + 120));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Histogram latency = new Histogram(60_000_000L, 3);
        long requestsDone = 0, events = 0, errors = 0, reconnects = 0, last = start;
        List<Histogram> perSecond = new ArrayList<>();
        for (int s = 0; s < (int) Math.ceil(seconds); s++) {
            perSecond.add(new Histogram(60_000_000L, 2));
        }
        for (Worker w : workers) {
            latency.add(w.latency);
            for (int s = 0; s < perSecond.size(); s++) {
                perSecond.get(s).add(w.perSecond[s]);
            }
            requestsDone += w.requests;
            events += w.events;
            errors += w.errors;
            reconnects += w.connection.reconnects();
            last = Math.max(last, w.finished);
        }
        return new Result(requestsDone, events, errors, (last - start) / 1e9, latency, reconnects, startEpochMillis, perSecond);
    }

    private final class Worker implements Runnable {
        final List<Payloads.Request> own;
        final long first;
        final long end;
        final long interval;
        final HttpConnection connection = new HttpConnection(server);
        final Histogram latency = new Histogram(60_000_000L, 3);
        /** Latencies by the second (since the run's start) in which each request was due. */
        final Histogram[] perSecond;
        final long start;
        long requests;
        long events;
        long errors;
        long finished;

        Worker(List<Payloads.Request> own, long start, long first, long end, long interval) {
            this.own = own;
            this.start = start;
            this.perSecond = new Histogram[(int) Math.ceil((end - start) / 1e9)];
            for (int s = 0; s < perSecond.length; s++) {
                perSecond[s] = new Histogram(60_000_000L, 2);
            }
            this.first = first;
            this.end = end;
            this.interval = interval;
        }

        @Override
        public void run() {
            int next = 0;
            long due = first;
            try {
                while (true) {
                    long now = System.nanoTime();
                    if (interval > 0) {
                        while (now < due) {
                            LockSupport.parkNanos(due - now);
                            now = System.nanoTime();
                        }
                    } else {
                        due = Math.max(now, first);
                        while (now < due) {
                            LockSupport.parkNanos(due - now);
                            now = System.nanoTime();
                        }
                    }
                    if (due >= end) {
                        break;
                    }
                    Payloads.Request request = own.get(next);
                    next = next + 1 == own.size() ? 0 : next + 1;
                    request.stamp(ids.getAndIncrement() * 128);
                    int status;
                    try {
                        status = connection.exchange(request.bytes());
                    } catch (IOException e) {
                        errors++;
                        if (errors > 100) {
                            throw new IllegalStateException("too many connection errors, last: " + e, e);
                        }
                        continue;
                    }
                    long done = System.nanoTime();
                    long micros = Math.min(60_000_000L, Math.max(1, (done - due) / 1_000));
                    latency.recordValue(micros);
                    perSecond[(int) Math.min(perSecond.length - 1, Math.max(0, (due - start) / 1_000_000_000L))].recordValue(micros);
                    if (status == 200) {
                        requests++;
                        events += request.events();
                    } else {
                        errors++;
                    }
                    finished = done;
                    if (interval > 0) {
                        due += interval;
                    }
                }
            } finally {
                connection.close();
            }
        }
    }
}
