package dev.wharf.epr.oci;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the fill behind the index runs its next round on its own: {@link CacheFill#RETRY} after the
 * registry failed, or when the first blob broken in the registry is due again. Real time in the server;
 * a test gives one it moves by hand with its clock, so that it can see the round run after the registry
 * is back without waiting those seconds (the back-off's due times already follow the settings' clock).
 */
@FunctionalInterface
public interface FillTimer {
    /** The fill's own thread waits, in real time. */
    FillTimer REAL_TIME = (fillThread, after, round) -> {
        ScheduledFuture<?> f = fillThread.schedule(round, after.toMillis(), TimeUnit.MILLISECONDS);
        return new Pending() {
            @Override
            public Duration left() {
                return f.isDone() ? Duration.ZERO : Duration.ofMillis(f.getDelay(TimeUnit.MILLISECONDS));
            }

            @Override
            public void cancel() {
                f.cancel(false);
            }
        };
    };

    /**
     * Runs {@code round} on {@code fillThread} once {@code after} has passed (a round must run there: it
     * is the fill's one thread). Throws {@link java.util.concurrent.RejectedExecutionException} when the
     * fill is closed.
     */
    Pending schedule(ScheduledExecutorService fillThread, Duration after, Runnable round);

    /** A round asked for and not run yet. */
    interface Pending {
        /** How long until it runs: zero or less once it is due, running or done. */
        Duration left();

        /** It is not run, unless it runs already. */
        void cancel();
    }
}
