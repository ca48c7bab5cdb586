package io.siyu.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The non-blocking load client ({@code --client nio}): one thread per selector (one by default),
 * each serving its share of the connections with a state machine per connection: write the
 * request, read and frame the response as it arrives ({@link ResponseParser}), record, then send
 * the next request at once (closed loop) or when it is due (open loop). A request costs the client
 * a write, a read and a share of one {@code epoll_wait}, where a thread per connection costs a
 * context switch or two as well; buffers are direct and reused, and nothing is allocated per
 * request.
 *
 * <p>The server sees what it sees from {@link Load}: keep-alive connections with one request in
 * flight on each, a new connection when a response says {@code Connection: close}, and in the open
 * loop latency is measured from when each request was due. Selectors wait in milliseconds, so for
 * the last millisecond before a due time the thread polls in steps of at most
 * {@value #POLL_NANOS} ns: a request goes out at most that much late and a response is seen at most
 * that much late, and either only adds to the latency recorded.
 */
final class SelectorLoad implements LoadClient {

    private static final long POLL_NANOS = 100_000;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int MAX_FAILURES_PER_CONNECTION = 100;

    private final InetSocketAddress server;
    private final AtomicLong ids;
    private final int threads;

    /**
     * @param ids the source of message-id numbers, shared by every run against one server
     * @param threads selector threads, each with an equal share of the connections
     */
    SelectorLoad(InetSocketAddress server, AtomicLong ids, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one selector thread, not " + threads);
        }
        this.server = server;
        this.ids = ids;
        this.threads = threads;
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
        int n = Math.min(threads, connections);
        List<EventLoop> loops = new ArrayList<>();
        try {
            for (int t = 0; t < n; t++) {
                List<Connection> own = new ArrayList<>();
                for (int c = t; c < connections; c += n) {
                    own.add(new Connection(schedule.share(requests, c), schedule.first(c)));
                }
                loops.add(new EventLoop(schedule, own));
            }
        } catch (IOException e) {
            loops.forEach(EventLoop::close);
            throw new IllegalStateException("could not open a selector", e);
        }
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            started.add(Thread.ofPlatform().name("load-selector-" + t).start(loops.get(t)));
        }
        try {
            for (Thread thread : started) {
                thread.join(TimeUnit.SECONDS.toMillis((long) seconds + 120));
            }
            // An open loop against a server far slower than its rate is still sending what fell due
            // long ago; stop it, so that the tallies are no longer written and the next run starts alone.
            for (int t = 0; t < n; t++) {
                if (started.get(t).isAlive()) {
                    loops.get(t).abandon();
                }
            }
            for (Thread thread : started) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        for (EventLoop loop : loops) {
            if (loop.failure != null) {
                throw new IllegalStateException("load client failed: " + loop.failure.getMessage(), loop.failure);
            }
        }
        return Tally.merge(schedule, loops.stream().map(l -> l.tally).toList());
    }

    /** One connection's requests, schedule, socket and response in progress. */
    private static final class Connection {
        final Payloads.Request[] own;
        final ByteBuffer out;
        final ResponseParser response = new ResponseParser();
        int next;
        long due;
        long sent;
        Payloads.Request request;
        boolean inFlight;
        int failures;
        SocketChannel channel;
        SelectionKey key;

        Connection(List<Payloads.Request> own, long first) {
            this.own = own.toArray(Payloads.Request[]::new);
            this.out = ByteBuffer.allocateDirect(own.stream().mapToInt(r -> r.bytes().length).max().orElse(0));
            this.due = first;
        }
    }

    /** A selector thread and the connections it serves. */
    private final class EventLoop implements Runnable {
        final Schedule schedule;
        final List<Connection> connections;
        final Tally tally;
        final Selector selector;
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        /** Connections whose next request is not yet due, the earliest first. */
        final PriorityQueue<Connection> waiting = new PriorityQueue<>(Comparator.comparingLong(c -> c.due));
        final Consumer<SelectionKey> onReady = this::ready;
        int active;
        long nextTimeoutScan;
        volatile boolean abandoned;
        volatile Throwable failure;

        EventLoop(Schedule schedule, List<Connection> connections) throws IOException {
            this.schedule = schedule;
            this.connections = connections;
            this.tally = new Tally(schedule);
            this.selector = Selector.open();
        }

        @Override
        public void run() {
            try {
                waiting.addAll(connections);
                active = connections.size();
                nextTimeoutScan = schedule.start() + TimeUnit.SECONDS.toNanos(1);
                while (active > 0 && !abandoned) {
                    long now = System.nanoTime();
                    while (!waiting.isEmpty() && waiting.peek().due <= now) {
                        Connection c = waiting.poll();
                        if (!schedule.openLoop()) {
                            c.due = now;
                        }
                        send(c, now);
                    }
                    if (active == 0) {
                        break;
                    }
                    if (now >= nextTimeoutScan) {
                        timeouts(now);
                        nextTimeoutScan = now + TimeUnit.SECONDS.toNanos(1);
                    }
                    long wait = waiting.isEmpty() ? TimeUnit.SECONDS.toNanos(1) : waiting.peek().due - now;
                    if (wait >= 1_000_000) {
                        selector.select(onReady, Math.min(wait / 1_000_000, 1_000));
                    } else {
                        if (wait > 0) {
                            LockSupport.parkNanos(Math.min(wait, POLL_NANOS));
                        }
                        selector.selectNow(onReady);
                    }
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                close();
            }
        }

        /** Sends the connection's next request, unless the run is over. */
        private void send(Connection c, long now) {
            if (c.due >= schedule.end()) {
                finish(c);
                return;
            }
            Payloads.Request request = c.own[c.next];
            c.next = c.next + 1 == c.own.length ? 0 : c.next + 1;
            request.stamp(ids.getAndIncrement() * 128);
            c.request = request;
            c.out.clear();
            c.out.put(request.bytes()).flip();
            c.response.reset();
            c.inFlight = true;
            c.sent = now;
            try {
                if (c.channel == null) {
                    connect(c);
                    if (c.channel.isConnectionPending()) {
                        return;
                    }
                }
                write(c);
            } catch (IOException e) {
                failed(c, e, now);
            }
        }

        private void connect(Connection c) throws IOException {
            SocketChannel channel = SocketChannel.open();
            c.channel = channel;
            tally.connected();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(server);
            c.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, c);
        }

        private void write(Connection c) throws IOException {
            c.channel.write(c.out);
            c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void ready(SelectionKey key) {
            Connection c = (Connection) key.attachment();
            if (!key.isValid() || c.key != key) {
                return;
            }
            try {
                int ops = key.readyOps();
                if ((ops & SelectionKey.OP_CONNECT) != 0) {
                    if (c.channel.finishConnect()) {
                        write(c);
                    }
                } else if ((ops & SelectionKey.OP_WRITE) != 0) {
                    write(c);
                } else if ((ops & SelectionKey.OP_READ) != 0) {
                    read(c);
                }
            } catch (IOException e) {
                if (c.inFlight) {
                    failed(c, e, System.nanoTime());
                } else {
                    dropIdle(c, e);
                }
            }
        }

        private void read(Connection c) throws IOException {
            in.clear();
            int n = c.channel.read(in);
            if (n < 0) {
                if (!c.inFlight) {
                    closeChannel(c); // the server closed an idle keep-alive connection; the next request reconnects
                } else if (c.response.closed()) {
                    complete(c);
                } else {
                    throw new EOFException("the server closed the connection mid-response");
                }
                return;
            }
            in.flip();
            if (!c.inFlight) {
                throw new ProtocolException("the server sent " + n + " bytes with no request outstanding");
            }
            if (c.response.consume(in)) {
                if (in.hasRemaining()) {
                    throw new ProtocolException("the server sent " + in.remaining() + " bytes after the response");
                }
                complete(c);
            }
        }

        private void complete(Connection c) {
            long done = System.nanoTime();
            c.inFlight = false;
            tally.response(c.due, done, c.response.status(), c.request.events());
            if (c.response.closeAfter()) {
                closeChannel(c);
            }
            c.due = schedule.openLoop() ? c.due + schedule.interval() : done;
            next(c, done);
        }

        /**
         * The request got no response. As in {@link Load}, the next request goes at once, due when
         * the failed one was in the open loop, so the failure's time counts in the latency.
         */
        private void failed(Connection c, IOException e, long now) {
            tally.failure();
            closeChannel(c);
            c.inFlight = false;
            if (++c.failures > MAX_FAILURES_PER_CONNECTION) {
                throw new IllegalStateException("too many connection errors, last: " + e, e);
            }
            if (!schedule.openLoop()) {
                c.due = now;
            }
            next(c, now);
        }

        /** Bytes or an error on a connection with no request outstanding: count it and start afresh. */
        private void dropIdle(Connection c, IOException e) {
            tally.failure();
            closeChannel(c);
            if (++c.failures > MAX_FAILURES_PER_CONNECTION) {
                throw new IllegalStateException("too many connection errors, last: " + e, e);
            }
        }

        private void next(Connection c, long now) {
            if (c.due >= schedule.end()) {
                finish(c);
            } else if (c.due <= now) {
                send(c, now);
            } else {
                waiting.add(c);
            }
        }

        /** Fails requests that have waited longer than the blocking client's read timeout. */
        private void timeouts(long now) {
            for (Connection c : connections) {
                if (c.inFlight && now - c.sent > TIMEOUT_NANOS) {
                    failed(c, new SocketTimeoutException("no response in 60 s"), now);
                }
            }
        }

        private void finish(Connection c) {
            closeChannel(c);
            active--;
        }

        private void closeChannel(Connection c) {
            if (c.channel != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing a connection we are abandoning; nothing to recover
                }
                c.channel = null;
                c.key = null;
            }
        }

        /** Ends the loop at its next turn, with whatever requests are in flight unanswered. */
        void abandon() {
            abandoned = true;
            selector.wakeup();
        }

        void close() {
            connections.forEach(this::closeChannel);
            try {
                selector.close();
            } catch (IOException ignored) {
                // the selector's own file descriptors; nothing to recover
            }
        }
    }
}
