package io.siyu.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocking load client ({@code --client blocking}): one thread and one blocking socket per
 * connection. The threads are platform threads unless {@code --client-threads virtual}: with 256
 * connections, 256 platform threads cost the client a kernel context switch per request, while
 * virtual threads park on the JDK's poller and share a couple of carriers. What the server sees
 * (connections, one request in flight on each, no pipelining) is the same either way; on the
 * shared machine neither was clearly cheaper (docs/benchmarks.md, issue 2 session 5).
 */
final class Load implements LoadClient {

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

    @Override
    public Result closedLoop(List<Payloads.Request> requests, int connections, double seconds) {
        return run(requests, connections, seconds, 0);
    }

    @Override
    public Result openLoop(List<Payloads.Request> requests, int connections, double seconds, double requestsPerSecond) {
        return run(requests, connections, seconds, requestsPerSecond);
    }

    private Result run(List<Payloads.Request> requests, int connections, double seconds, double rate) {
        Schedule schedule = Schedule.of(requests, connections, seconds, rate);
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(new Worker(schedule, schedule.share(requests, c), schedule.first(c)));
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
        return Tally.merge(schedule, workers.stream().map(w -> w.tally).toList());
    }

    private final class Worker implements Runnable {
        final List<Payloads.Request> own;
        final long first;
        final long end;
        final long interval;
        final HttpConnection connection = new HttpConnection(server);
        final Tally tally;
        long errors;

        Worker(Schedule schedule, List<Payloads.Request> own, long first) {
            this.own = own;
            this.tally = new Tally(schedule);
            this.first = first;
            this.end = schedule.end();
            this.interval = schedule.interval();
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
                        tally.failure();
                        if (++errors > 100) {
                            throw new IllegalStateException("too many connection errors, last: " + e, e);
                        }
                        continue;
                    }
                    if (status != 200) {
                        errors++;
                    }
                    tally.response(due, System.nanoTime(), status, request.events());
                    if (interval > 0) {
                        due += interval;
                    }
                }
            } finally {
                connection.close();
                tally.connected(connection.reconnects());
            }
        }
    }
}
