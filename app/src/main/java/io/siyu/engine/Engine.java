package io.siyu.engine;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event engine. Two stages, each a single thread:
 * <ol>
 *   <li>the <em>log writer</em> numbers submitted events and writes them to the {@link EventLog}
 *       in groups (one commit for everything that arrived while the previous commit ran); only then
 *       are the submitters acknowledged;</li>
 *   <li>a <em>partition</em> applies logged events in order to the state of its tenants, and runs
 *       queries between events so readers see a consistent state without locks.</li>
 * </ol>
 * On start the state is restored from snapshots and the log is replayed past them.
 */
public final class Engine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** Events handed from the replay reader to the replay applier at a time. */
    private static final int REPLAY_BATCH = 1_024;
    /**
     * Batches the replay reader may be ahead of the applier. Few: the applier is the slower side, so
     * the queue stays full, and every event waiting in it is live data each young collection copies
     * (64 batches held ≈ 130 MB and made the collections of a replay take seconds).
     */
    private static final int REPLAY_QUEUE = 4;

    /** Tuning. */
    public record Settings(int partitions, int maxGroupCommit, int snapshotEvery, int queueCapacity, boolean pipelinedLogWriter) {
        /**
         * With the pipelined log writer off unless {@code -Dsiyu.engine.pipelined-log-writer=true}:
         * on the shared machine it has not yet shown a gain (smaller groups), so it stays opt-in
         * until a quiet-machine comparison (docs/benchmarks.md, session 4).
         */
        public Settings(int partitions, int maxGroupCommit, int snapshotEvery, int queueCapacity) {
            this(partitions, maxGroupCommit, snapshotEvery, queueCapacity, Boolean.getBoolean("siyu.engine.pipelined-log-writer"));
        }

        public static Settings defaults() {
            return new Settings(1, 2_000, 50_000, 8_192);
        }
    }

    /** Why a submission was not accepted. */
    public static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("the event engine is saturated; retry shortly");
        }
    }

    private record Submission(List<Event> events, EventLog.@Nullable Attached attached, CompletableFuture<Long> ack,
            long submittedNanos) {}

    /** Put in the queue by a finished commit to wake the log writer; never acknowledged. */
    private static final Submission WAKE = new Submission(List.of(), null, new CompletableFuture<>(), 0);

    private final EventLog eventLog;
    private final IdentityRules rules;
    private final SnapshotStore snapshots;
    private final Clock clock;
    private final Settings settings;
    private final EngineListener listener;
    private final List<EngineExtension> extensions;
    private final BlockingQueue<Submission> pending;
    private final Partition[] partitions;
    private final AtomicLong appendedEvents = new AtomicLong();
    private final AtomicLong groupCommits = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private volatile long replayTarget;
    /** Where the writer reports how long each commit took and how long each submission waited for its ack. */
    private volatile Timings timings = Timings.NONE;
    private volatile long lastSeq;
    private volatile boolean running;
    /** True after a write failure whose outcome the log could not confirm; only the writer touches it. */
    private boolean outOfSync;
    private final AtomicLong applyErrors = new AtomicLong();
    private Thread writer;
    private java.util.concurrent.ScheduledExecutorService ticker;
    /**
     * Writes the snapshots the partitions capture, one at a time and in the order captured, so
     * that a partition pauses only to serialise its tenants in memory, not for the files and fsync.
     */
    private final java.util.concurrent.ExecutorService snapshotWriter = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("siyu-snapshot-writer").daemon(true).factory());

    public Engine(EventLog eventLog, IdentityRules rules, SnapshotStore snapshots, Clock clock, Settings settings,
            EngineListener listener) {
        this(eventLog, rules, snapshots, clock, settings, listener, List.of());
    }

    public Engine(EventLog eventLog, IdentityRules rules, SnapshotStore snapshots, Clock clock, Settings settings,
            EngineListener listener, List<EngineExtension> extensions) {
        this.extensions = List.copyOf(extensions);
        this.eventLog = eventLog;
        this.rules = rules;
        this.snapshots = snapshots;
        this.clock = clock;
        this.settings = settings;
        this.listener = listener;
        this.pending = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.partitions = new Partition[settings.partitions()];
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = new Partition(i);
        }
    }

    /** Restores state (snapshots, then the log past them) and starts the threads. Blocks until caught up. */
    public synchronized void start() {
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<TenantState> restored = snapshots.readAll(problems, extensions);
        problems.forEach(p -> log.warn("Ignoring unreadable snapshot {}", p));
        long replayFrom = problems.isEmpty() ? snapshots.replayFrom(partitions.length) : 0;
        if (replayFrom > 0) {
            for (TenantState state : restored) {
                partitionOf(state.tenant()).tenants.put(state.tenant(), state);
            }
        }
        lastSeq = eventLog.lastSeq();
        replayTarget = lastSeq - replayFrom;
        replay(replayFrom);
        log.info("Engine restored to seq {} in {} ms ({} events replayed from seq {})", lastSeq,
                (System.nanoTime() - started) / 1_000_000, replayed.get(), replayFrom);
        running = true;
        for (Partition partition : partitions) {
            partition.start();
        }
        writer = Thread.ofPlatform().name("siyu-log-writer").daemon(true).start(this::writeLoop);
        if (!extensions.isEmpty()) {
            ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("siyu-ticker").daemon(true).factory());
            ticker.scheduleWithFixedDelay(this::tick, 60, 60, TimeUnit.SECONDS);
        }
    }

    /**
     * Lets every extension of every tenant react to the passing of time (rules such as "no
     * interaction for 30 days"). Runs on the partitions; returns when all have ticked.
     */
    public void tick() {
        long now = clock.millis();
        onEveryPartition(partition -> partition.tenants.values().forEach(state -> state.tick(now)));
    }

    /**
     * Replays the log past {@code afterSeq} on two threads: this one reads and decodes, a second
     * applies in log order. Reading, decoding and applying each cost about the same per event, so
     * overlapping them is what lets a restart keep up with PostgreSQL streaming the log out.
     */
    private void replay(long afterSeq) {
        BlockingQueue<List<Event>> batches = new ArrayBlockingQueue<>(REPLAY_QUEUE);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread applier = Thread.ofPlatform().name("siyu-replay-apply").start(() -> {
            int tenant = 0;
            TenantState state = null; // of the last event's tenant: logs are mostly runs of one tenant
            while (true) {
                List<Event> batch;
                try {
                    batch = batches.take();
                } catch (InterruptedException e) {
                    continue; // only the empty batch ends the applier, so the reader can never block forever
                }
                if (batch.isEmpty()) {
                    return;
                }
                if (failure.get() != null) {
                    continue; // drain after a failure; the reader stops at its next event
                }
                try {
                    for (Event event : batch) {
                        if (event.tenant() != tenant || state == null) {
                            tenant = event.tenant();
                            state = partitionOf(tenant).stateOf(tenant);
                        }
                        state.apply(event);
                    }
                    replayed.addAndGet(batch.size());
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        });
        List<Event> batch = new ArrayList<>(REPLAY_BATCH);
        try {
            eventLog.replay(afterSeq, 0, event -> {
                RuntimeException failed = failure.get();
                if (failed != null) {
                    throw failed;
                }
                batch.add(event);
                if (batch.size() == REPLAY_BATCH) {
                    handOver(batches, List.copyOf(batch));
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) {
                handOver(batches, List.copyOf(batch));
            }
        } finally {
            handOver(batches, List.of());
            try {
                applier.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while replaying the event log", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void handOver(BlockingQueue<List<Event>> batches, List<Event> batch) {
        try {
            batches.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying the event log", e);
        }
    }

    /**
     * Submits events of one request. The future completes with the last sequence number once the
     * events are durable, or exceptionally when the log could not be written.
     *
     * @throws Overloaded when the engine's queue stays full
     */
    public CompletableFuture<Long> submit(List<Event> events) {
        return submit(events, null);
    }

    /**
     * Submits events together with a write to other tables that commits in the same transaction as
     * the events, or not at all ({@link EventLog.Attached}). When the group it was written with
     * fails, the writer tries the group's other submissions again without it and then each attached
     * write on its own, so a failing attached write fails only its own submission.
     *
     * @param events at least one event when {@code attached} is given
     * @throws Overloaded when the engine's queue stays full
     */
    public CompletableFuture<Long> submit(List<Event> events, EventLog.@Nullable Attached attached) {
        if (attached != null && events.isEmpty()) {
            throw new IllegalArgumentException("an attached write needs events to go with");
        }
        if (!running) {
            throw new IllegalStateException("the engine is not running");
        }
        CompletableFuture<Long> ack = new CompletableFuture<>();
        if (events.isEmpty()) {
            ack.complete(lastSeq);
            return ack;
        }
        try {
            if (!pending.offer(new Submission(events, attached, ack, System.nanoTime()), 5, TimeUnit.SECONDS)) {
                throw new Overloaded();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded();
        }
        return ack;
    }

    /**
     * Runs a read (or an operator command) on the thread that owns the tenant, after every event
     * acknowledged before this call.
     */
    public <T> CompletableFuture<T> query(int tenant, Function<TenantState, T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Partition partition = partitionOf(tenant);
        partition.enqueue((Runnable) () -> {
            try {
                answer.complete(question.apply(partition.stateOf(tenant)));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /**
     * Like {@link #query} but waits for the answer, rethrowing the question's own exception as is.
     */
    public <T> T ask(int tenant, Function<TenantState, T> question) {
        try {
            return query(tenant, question).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Rebuilds one tenant's state from the log with the operators' current identity rules in
     * force from the first event: how an un-merge splits history that was joined by mistake.
     */
    public CompletableFuture<Long> rebuild(int tenant) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Partition partition = partitionOf(tenant);
        partition.enqueue((Runnable) () -> {
            try {
                long upTo = partition.stateOf(tenant).lastAppliedSeq();
                TenantState fresh = TenantState.withRules(tenant, rules.distinctFor(tenant), extensions);
                eventLog.replay(0, tenant, event -> {
                    if (event.seq() <= upTo) {
                        fresh.apply(event);
                    }
                });
                fresh.rebuiltFrom(partition.stateOf(tenant), clock.millis());
                partition.tenants.put(tenant, fresh);
                partition.snapshotAll().join(); // durable before "done": the old snapshot holds the joined history
                done.complete(fresh.lastAppliedSeq());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    public IdentityRules rules() {
        return rules;
    }

    public Clock clock() {
        return clock;
    }

    /** Highest sequence number acknowledged. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Events acknowledged but not yet applied, over all partitions. */
    public long lag() {
        long applied = 0;
        for (Partition partition : partitions) {
            applied = Math.max(applied, partition.appliedSeq);
        }
        return Math.max(0, lastSeq - applied);
    }

    /** Events that failed to apply since start (they remain in the log). */
    public long applyErrors() {
        return applyErrors.get();
    }

    public long appendedEvents() {
        return appendedEvents.get();
    }

    public long groupCommits() {
        return groupCommits.get();
    }

    /**
     * What the log writer measures for the operator: each group's write (encoding and sending its
     * rows, before the commit) and commit (the fsync) and, per submission, the time from
     * {@link #submit} to its acknowledgement. Called on the writer's threads, so implementations
     * must be cheap and thread-safe.
     */
    public interface Timings {
        Timings NONE = new Timings() {
            @Override
            public void written(long nanos) {}

            @Override
            public void committed(long nanos) {}

            @Override
            public void acknowledged(long nanos) {}
        };

        void written(long nanos);

        void committed(long nanos);

        void acknowledged(long nanos);
    }

    public void reportTimings(Timings timings) {
        this.timings = timings;
    }

    /** Fraction of the start-up replay done, 1.0 once caught up. */
    public double replayProgress() {
        long target = replayTarget;
        return target <= 0 || running ? 1.0 : Math.min(1.0, (double) replayed.get() / target);
    }

    public long replayedEvents() {
        return replayed.get();
    }

    /** Writes a snapshot of every tenant now (also done on close); returns once the files are durable. */
    public void snapshotAll() {
        onEveryPartition(partition -> partition.snapshotAll().join());
    }

    /**
     * Waits until every snapshot the partitions have captured so far is written (tests and tools:
     * periodic snapshots are captured on the partition and written on another thread).
     */
    public void awaitSnapshots() {
        onEveryPartition(partition -> {}); // a capture queued behind the last applied batch is taken by now
        CompletableFuture.runAsync(() -> {}, snapshotWriter).join();
    }

    /** Runs a task on every partition's own thread and waits for all of them. */
    private void onEveryPartition(java.util.function.Consumer<Partition> task) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Partition partition : partitions) {
            CompletableFuture<Void> finished = new CompletableFuture<>();
            partition.enqueue((Runnable) () -> {
                try {
                    task.accept(partition);
                } finally {
                    finished.complete(null);
                }
            });
            done.add(finished);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        writer.interrupt();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Partition partition : partitions) {
            partition.enqueue(Partition.STOP);
        }
        for (Partition partition : partitions) {
            try {
                partition.thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        snapshotWriter.shutdown();
    }

    private Partition partitionOf(int tenant) {
        return partitions[Math.floorMod(tenant, partitions.length)];
    }

    /** A group whose COPY is done and whose commit runs on the committer thread. */
    private record InFlight(List<Submission> group, List<Event> numbered, long lastSeq, CompletableFuture<Void> committed) {}

    /**
     * The log writer. While one group's commit (the fsync) runs on the committer thread, the next
     * group is gathered, numbered and COPYed on a second connection; it is committed only once the
     * previous commit is settled. So at most one commit is ever unsettled, acknowledgements and
     * dispatch stay strictly in sequence order, and a failed commit is settled exactly as before
     * (the log's highest seq tells whether it happened). When it did not, the group COPYed behind
     * it is rolled back and failed too, and its sequence numbers are reused by nobody but the
     * next group. A group with attached writes ({@link EventLog.Attached}) that fails is
     * {@linkplain #isolate isolated} instead, so one failing attached write fails only its own
     * submission.
     */
    private void writeLoop() {
        java.util.concurrent.ExecutorService committer = java.util.concurrent.Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("siyu-log-commit").daemon(true).factory());
        InFlight inFlight = null;
        try {
            while (running || !pending.isEmpty() || inFlight != null) {
                List<Submission> group = new ArrayList<>();
                try {
                    // a finished commit offers WAKE, so this returns for whichever comes first
                    Submission first = pending.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null || first == WAKE) {
                        if (inFlight != null && inFlight.committed().isDone()) {
                            settle(inFlight, null);
                            inFlight = null;
                        }
                        continue;
                    }
                    group.add(first);
                } catch (InterruptedException e) {
                    if (!running) {
                        continue;
                    }
                    Thread.currentThread().interrupt();
                    return;
                }
                int count = group.getFirst().events().size();
                Submission next;
                while (count < settings.maxGroupCommit() && (next = pending.poll()) != null) {
                    if (next != WAKE) {
                        group.add(next);
                        count += next.events().size();
                    }
                }
                if (inFlight != null && inFlight.committed().isDone()) {
                    settle(inFlight, null); // acknowledge it now rather than after this group's write
                    inFlight = null;
                }
                if (inFlight == null && !inSyncWithLog()) {
                    IllegalStateException down = new IllegalStateException("the event log is unreachable");
                    group.forEach(s -> s.ack().completeExceptionally(down));
                    continue;
                }
                long seq = inFlight == null ? lastSeq : inFlight.lastSeq();
                List<Event> numbered = new ArrayList<>(count);
                List<EventLog.Attached> attached = new ArrayList<>(0);
                for (Submission submission : group) {
                    for (Event event : submission.events()) {
                        numbered.add(event.withSeq(++seq));
                    }
                    if (submission.attached() != null) {
                        attached.add(submission.attached());
                    }
                }
                EventLog.Pending written = null;
                RuntimeException writeFailure = null;
                long writeStarted = System.nanoTime();
                try {
                    written = attached.isEmpty() ? eventLog.write(numbered) : eventLog.write(numbered, attached);
                    timings.written(System.nanoTime() - writeStarted);
                } catch (RuntimeException e) {
                    writeFailure = e; // nothing of this group was committed
                }
                boolean previousDurable = inFlight == null || settle(inFlight, written);
                inFlight = null;
                if (writeFailure != null && previousDurable) {
                    noteWritesByOthers(); // e.g. the seq was taken: catch up before numbering again
                    if (!attached.isEmpty() && !outOfSync) {
                        isolate(group, writeFailure); // the previous group is settled: lastSeq is where this group starts
                        continue;
                    }
                }
                if (writeFailure != null || !previousDurable) { // a written group behind a failed commit was rolled back by settle
                    RuntimeException cause = writeFailure != null ? writeFailure
                            : new IllegalStateException("the previous group's commit failed; this group was rolled back");
                    log.error("Event log write failed; {} events not acknowledged", numbered.size(), cause);
                    group.forEach(s -> s.ack().completeExceptionally(cause));
                    continue;
                }
                EventLog.Pending toCommit = written;
                long commitStarted = System.nanoTime();
                CompletableFuture<Void> committed = CompletableFuture.runAsync(() -> {
                    toCommit.commit();
                    timings.committed(System.nanoTime() - commitStarted);
                }, committer);
                committed.whenComplete((ignored, failure) -> pending.offer(WAKE)); // a full queue wakes the writer anyway
                inFlight = new InFlight(group, numbered, seq, committed);
                if (!settings.pipelinedLogWriter()) {
                    settle(inFlight, null); // one group at a time, as before the pipeline (for comparisons)
                    inFlight = null;
                }
            }
        } finally {
            committer.shutdown();
        }
    }

    /**
     * Waits for a group's commit; on success (or a failure after which the log holds the group)
     * advances {@link #lastSeq}, hands the events to the partitions and acknowledges the
     * submitters in order. Otherwise rolls back {@code behind} (the next group, written but not
     * committed, numbered after this one) and fails the group, or isolates it when it carries
     * attached writes.
     *
     * @return whether the group is durable
     */
    private boolean settle(InFlight inFlight, EventLog.@Nullable Pending behind) {
        long seq = inFlight.lastSeq();
        List<Event> numbered = inFlight.numbered();
        try {
            inFlight.committed().join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException failure) {
            Throwable e = failure.getCause() != null ? failure.getCause() : failure;
            if (!committedDespite(seq)) {
                if (behind != null) {
                    behind.abort(); // its rows must not hold the seqs an isolated rewrite takes
                }
                if (!outOfSync && e instanceof RuntimeException cause
                        && inFlight.group().stream().anyMatch(s -> s.attached() != null)) {
                    isolate(inFlight.group(), cause);
                } else {
                    log.error("Event log write failed; {} events not acknowledged", numbered.size(), e);
                    inFlight.group().forEach(s -> s.ack().completeExceptionally(e));
                }
                return false;
            }
            log.warn("Event log reported a failure but the commit of seq {} is durable; acknowledging", seq, e);
        }
        acknowledge(inFlight.group(), numbered, seq);
        return true;
    }

    /** A durable group up to {@code seq}: the writer moves on, the partitions apply it, the submitters hear in order. */
    private void acknowledge(List<Submission> group, List<Event> numbered, long seq) {
        lastSeq = seq;
        appendedEvents.addAndGet(numbered.size());
        groupCommits.incrementAndGet();
        dispatch(numbered);
        long ackSeq = seq - numbered.size();
        long now = System.nanoTime();
        Timings report = timings;
        for (Submission submission : group) {
            ackSeq += submission.events().size();
            submission.ack().complete(ackSeq);
            report.acknowledged(now - submission.submittedNanos());
        }
    }

    /**
     * Numbers and writes one group in one transaction, at once (not pipelined); acknowledges its
     * submissions and returns null once durable, or returns the failure without acknowledging anything.
     */
    private @Nullable RuntimeException writeNow(List<Submission> group) {
        List<Event> numbered = new ArrayList<>(); // handed to the partitions: a new list per write
        List<EventLog.Attached> attached = new ArrayList<>(0);
        long seq = lastSeq;
        for (Submission submission : group) {
            for (Event event : submission.events()) {
                numbered.add(event.withSeq(++seq));
            }
            if (submission.attached() != null) {
                attached.add(submission.attached());
            }
        }
        try {
            eventLog.append(numbered, attached);
        } catch (RuntimeException e) {
            if (!committedDespite(seq)) {
                return e;
            }
            log.warn("Event log reported a failure but the commit of seq {} is durable; acknowledging", seq, e);
        }
        acknowledge(group, numbered, seq);
        return null;
    }

    /**
     * After a group with attached writes failed (and the log confirmed nothing of it was
     * committed): the plain submissions are written again together, then each one with an
     * attached write alone, so one failing attached write fails only its own submission.
     */
    private void isolate(List<Submission> group, RuntimeException failed) {
        List<Submission> plain = group.stream().filter(s -> s.attached() == null).toList();
        if (!plain.isEmpty()) {
            RuntimeException again = outOfSync ? failed : writeNow(plain);
            if (again != null) {
                log.error("Event log write failed; {} submissions not acknowledged", plain.size(), again);
                plain.forEach(s -> s.ack().completeExceptionally(again));
            }
        }
        for (Submission submission : group) {
            if (submission.attached() != null) {
                RuntimeException own = outOfSync ? failed : writeNow(List.of(submission));
                if (own != null) {
                    log.warn("A write attached to {} events failed; not acknowledged", submission.events().size(), own);
                    submission.ack().completeExceptionally(own);
                }
            }
        }
    }

    /**
     * After an error the commit may still have happened (the connection can drop after COMMIT was
     * sent). Asking the log settles it, so the writer neither acknowledges a lost write nor
     * reuses sequence numbers that are already taken.
     */
    private boolean committedDespite(long seq) {
        try {
            long durable = eventLog.lastSeq();
            if (durable >= seq) {
                return true;
            }
            outOfSync = durable != lastSeq;
            return false;
        } catch (RuntimeException unreachable) {
            outOfSync = true;
            return false;
        }
    }

    /**
     * After a write that certainly did not commit: if the log holds more than this engine wrote
     * (another writer took the numbers), the next group first catches up with it.
     */
    private void noteWritesByOthers() {
        try {
            outOfSync = eventLog.lastSeq() != lastSeq;
        } catch (RuntimeException unreachable) {
            outOfSync = true;
        }
    }

    /**
     * Before writing again after an unsettled failure, catches up with whatever the log holds that
     * the engine never dispatched.
     */
    private boolean inSyncWithLog() {
        if (!outOfSync) {
            return true;
        }
        try {
            long durable = eventLog.lastSeq();
            if (durable > lastSeq) {
                List<Event> missed = new ArrayList<>();
                eventLog.replay(lastSeq, 0, missed::add);
                dispatch(missed);
                log.warn("Recovered {} logged events that were written during a failure", missed.size());
            }
            lastSeq = Math.max(lastSeq, durable);
            outOfSync = false;
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void dispatch(List<Event> events) {
        if (partitions.length == 1) {
            partitions[0].enqueue(events);
            return;
        }
        Map<Partition, List<Event>> byPartition = new HashMap<>();
        for (Event event : events) {
            byPartition.computeIfAbsent(partitionOf(event.tenant()), p -> new ArrayList<>()).add(event);
        }
        byPartition.forEach(Partition::enqueue);
    }

    /** One single-writer thread and the tenants it owns. */
    private final class Partition {

        static final Object STOP = new Object();

        private final int id;
        private final Map<Integer, TenantState> tenants = new HashMap<>();
        private long appliedSinceSnapshot;
        /** The snapshot being written, if any; only this partition's thread touches it. */
        private CompletableFuture<Void> lastSnapshot = CompletableFuture.completedFuture(null);
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1024);
        private volatile long appliedSeq;
        private Thread thread;

        Partition(int id) {
            this.id = id;
        }

        void start() {
            appliedSeq = lastSeq;
            thread = Thread.ofPlatform().name("siyu-partition-" + id).start(this::run);
        }

        TenantState stateOf(int tenant) {
            TenantState state = tenants.get(tenant);
            if (state == null) {
                state = TenantState.withRules(tenant, rules.distinctFor(tenant), extensions);
                tenants.put(tenant, state);
            }
            return state;
        }

        void enqueue(Object task) {
            try {
                queue.put(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handing work to partition " + id, e);
            }
        }

        @SuppressWarnings("unchecked")
        private void run() {
            while (true) {
                Object task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    continue; // only STOP ends a partition, so nothing queued is lost
                }
                if (task == STOP) {
                    snapshotAll().join();
                    return;
                }
                try {
                    if (task instanceof Runnable runnable) {
                        runnable.run();
                    } else {
                        applyAll((List<Event>) task);
                    }
                } catch (RuntimeException e) {
                    log.error("Partition {} failed on a task; state may be behind the log until restart", id, e);
                }
            }
        }

        private void applyAll(List<Event> events) {
            for (Event event : events) {
                TenantState state = stateOf(event.tenant());
                try {
                    int person = state.apply(event);
                    if (person >= 0) {
                        listener.applied(state, event, person);
                    }
                } catch (RuntimeException e) {
                    // One poisonous event must not stop every tenant of the partition; it stays in
                    // the log, counted here and visible in the engine health.
                    applyErrors.incrementAndGet();
                    log.error("Could not apply event seq {} of tenant {}", event.seq(), event.tenant(), e);
                }
                appliedSinceSnapshot++;
                appliedSeq = event.seq();
            }
            maybeSnapshot();
        }

        private void maybeSnapshot() {
            if (appliedSinceSnapshot >= settings.snapshotEvery() && lastSnapshot.isDone()) {
                snapshotAll(); // while the previous one is still being written, the next waits for a later batch
            }
        }

        /**
         * Snapshots every tenant of this partition, then the marker that lets replay skip to here.
         * The partition takes a consistent copy of its tenants at {@link #appliedSeq} between two
         * events ({@link TenantState#capture}) and goes on applying; the snapshot writer serialises
         * the copies, writes and fsyncs the tenant files and then the marker, in the order the
         * snapshots were captured.
         *
         * @return completes once the files and the marker are durable; never exceptionally (a
         *     failed snapshot is logged: the log still has everything)
         */
        CompletableFuture<Void> snapshotAll() {
            long started = System.nanoTime();
            long covered = appliedSeq;
            List<TenantState.Capture> captures = new ArrayList<>(tenants.size());
            try {
                for (TenantState state : tenants.values()) {
                    captures.add(state.capture());
                }
            } catch (IOException | RuntimeException e) {
                log.error("Snapshot of partition {} failed; the log still has everything", id, e);
                return CompletableFuture.completedFuture(null);
            }
            appliedSinceSnapshot = 0;
            long captured = System.nanoTime();
            CompletableFuture<Void> written = new CompletableFuture<>();
            try {
                snapshotWriter.execute(() -> {
                    try {
                        long bytes = 0;
                        for (TenantState.Capture capture : captures) {
                            SnapshotImage image = SnapshotImage.of(capture);
                            snapshots.write(image);
                            bytes += image.size();
                        }
                        snapshots.writeMarker(id, partitions.length, covered);
                        log.info("Snapshot of partition {} at seq {}: {} bytes, partition paused {} ms to capture it, written in {} ms",
                                id, covered, bytes, (captured - started) / 1_000_000, (System.nanoTime() - captured) / 1_000_000);
                    } catch (IOException | RuntimeException e) {
                        log.error("Snapshot of partition {} failed; the log still has everything", id, e);
                    } finally {
                        written.complete(null);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.error("Snapshot of partition {} not written: the engine is closed", id, e);
                written.complete(null);
            }
            lastSnapshot = written;
            return written;
        }
    }
}
