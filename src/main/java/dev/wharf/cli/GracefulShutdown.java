package dev.wharf.cli;

import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.http.Readiness;
import dev.wharf.http.WebServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * SIGTERM (or Ctrl-C) as a request to stop, not an order to die: the signal marks the process not
 * ready and hands the stop to the serving thread, which stops accepting, drains the requests in
 * flight, closes the rest and returns, so the process exits with 0. An exit begun another way
 * (SIGHUP, or signals the JVM keeps for itself) runs the shutdown hook, which does the same and holds
 * the JVM until it is done, for at most the drain time and a margin to close the rest. Exiting the
 * JVM before would cut every download in flight.
 */
public final class GracefulShutdown {
    /** Time to close storage and caches once the servers are drained. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Runnable> onSignal = new CopyOnWriteArrayList<>();
    private final Duration drain;

    private GracefulShutdown(Duration drain) {
        this.drain = drain;
    }

    /** Catches SIGTERM and SIGINT, and registers the shutdown hook; {@code readiness} turns to stopping as soon as either comes. */
    public static GracefulShutdown install(Readiness readiness, Duration drain) {
        GracefulShutdown shutdown = new GracefulShutdown(drain);
        // Caught, not left to start the JVM's exit: that exit ends with status 143 (130 for Ctrl-C), which
        // systemd counts as a failed unit and a container runtime shows as "Exited (143)", for a stop that
        // went as asked. Caught, the serving thread drains and closes as below and the process ends with 0.
        // A later signal changes nothing: the drain is already bounded by its own time.
        Runnable stop = () -> {
            readiness.stopping();
            shutdown.signalled.countDown();
            shutdown.onSignal.forEach(Runnable::run);
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not catchable here (-Xrs, or a platform without it): the hook below does the same work,
                // and the JVM's exit status stays.
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try {
                shutdown.finished.await(drain.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "graceful-shutdown"));
        return shutdown;
    }

    /**
     * Runs {@code action} when the process is asked to stop, or now if it was already: a start still
     * under way (package-registry's first index) gives up instead of holding the stop until it ends.
     * It may run more than once.
     */
    public void onSignal(Runnable action) {
        onSignal.add(action);
        if (signalled.getCount() == 0) {
            action.run();
        }
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
