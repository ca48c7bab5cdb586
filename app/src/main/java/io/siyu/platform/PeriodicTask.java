package io.siyu.platform;

import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A round of work run on its own daemon thread every interval while the application runs. A round
 * that fails is logged and the next round tries again, so a task must leave what it could not
 * finish where the next round finds it.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private final String threadName;
    private final long everyMillis;
    private volatile boolean running;
    private Thread loop = new Thread(() -> {});

    protected PeriodicTask(String threadName, long everyMillis) {
        this.threadName = threadName;
        this.everyMillis = everyMillis;
    }

    /** One round; what it throws is logged, and the next round comes {@code everyMillis} later. */
    protected abstract void runOnce() throws Exception;

    private void run() {
        while (running) {
            try {
                runOnce();
            } catch (Exception e) {
                LoggerFactory.getLogger(getClass()).warn("{} failed; trying again in {} ms", threadName, everyMillis, e);
            }
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name(threadName).daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        loop.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
