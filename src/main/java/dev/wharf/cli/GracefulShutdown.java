package dev.wharf.cli;

import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.http.Readiness;
import dev.wharf.http.WebServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * SIGTERM (or Ctrl-C) as a request to stop, not an order to die: the JVM's shutdown hook marks the
 * process not ready and hands the stop to the serving thread, which stops accepting and drains the
 * requests in flight; the hook holds the JVM until that is done, for at most the drain time and a
 * margin to close the rest. Exiting the JVM before would cut every download in flight.
 */
public final class GracefulShutdown {
    /** Time to close storage and caches once the servers are drained. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Duration drain;

    private GracefulShutdown(Duration drain) {
        this.drain = drain;
    }

    /** Registers the shutdown hook; {@code readiness} turns to stopping as soon as the signal comes. */
    public static GracefulShutdown install(Readiness readiness, Duration drain) {
        GracefulShutdown shutdown = new GracefulShutdown(drain);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            readiness.stopping();
            shutdown.signalled.countDown();
            try {
                shutdown.finished.await(drain.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "graceful-shutdown"));
        return shutdown;
    }

    /** Blocks the serving thread until the process is asked to stop. */
    public void awaitSignal() throws InterruptedException {
        signalled.await();
    }

    /** How long the servers may take to finish the requests in flight. */
    public Duration drain() {
        return drain;
    }

    /** Stops {@code server} as this shutdown allows, saying so in the log. */
    public void drain(WebServer server, Logger log) {
        log.info("stopping: no new connections; waiting up to {} s for {} request(s) in flight", drain.toSeconds(),
                server.requestsInFlight());
        long begun = System.nanoTime();
        server.stopGracefully(drain);
        log.info("stopped accepting and drained in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
    }

    /** Everything is closed: the access log's queued lines are written, and the JVM may exit. */
    public void finished() {
        ConsoleLogging.closeAccessLog();
        finished.countDown();
    }
}
