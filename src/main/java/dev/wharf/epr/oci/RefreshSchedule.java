package dev.wharf.epr.oci;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs a refresh every {@code interval} (measured from the end of the previous one) on one daemon thread. */
final class RefreshSchedule implements AutoCloseable {
    private final @Nullable ScheduledExecutorService scheduler;

    private RefreshSchedule(@Nullable ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts the schedule; a zero or negative interval schedules nothing. */
    static RefreshSchedule every(Duration interval, Runnable refresh) {
        if (interval.isZero() || interval.isNegative()) {
            return new RefreshSchedule(null);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "epr-oci-refresh");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        scheduler.scheduleWithFixedDelay(refresh, ms, ms, TimeUnit.MILLISECONDS);
        return new RefreshSchedule(scheduler);
    }

    /** Stops the schedule, interrupting a refresh under way. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
