package dev.wharf.epr;

import dev.wharf.epr.oci.FillTimer;
import dev.wharf.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The fill's timer moved by hand together with the clock the indexer reads: {@link #advance} hands each
 * round then due to the fill's thread, so a test sees the fill try again on its own without waiting.
 */
final class ManualFillTimer implements FillTimer {
    private final ManualClock clock;
    private final List<Round> pending = new ArrayList<>();

    ManualFillTimer(ManualClock clock) {
        this.clock = clock;
    }

    private final class Round implements Pending {
        private final Instant at;
        private final ScheduledExecutorService fillThread;
        private final Runnable round;
        private volatile boolean over;

        Round(Instant at, ScheduledExecutorService fillThread, Runnable round) {
            this.at = at;
            this.fillThread = fillThread;
            this.round = round;
        }

        @Override
        public Duration left() {
            return over ? Duration.ZERO : Duration.between(clock.instant(), at);
        }

        @Override
        public void cancel() {
            over = true;
        }
    }

    @Override
    public synchronized Pending schedule(ScheduledExecutorService fillThread, Duration after, Runnable round) {
        if (fillThread.isShutdown()) {
            throw new RejectedExecutionException("the fill is closed");
        }
        Round r = new Round(clock.instant().plus(after), fillThread, round);
        pending.add(r);
        return r;
    }

    /** Moves the clock by {@code by}, then hands every round due by then, not taken back, to the fill's thread. */
    void advance(Duration by) {
        clock.advance(by);
        List<Round> due = new ArrayList<>();
        synchronized (this) {
            pending.removeIf(r -> {
                boolean isDue = !r.at.isAfter(clock.instant());
                if (isDue) {
                    due.add(r);
                }
                return isDue;
            });
        }
        for (Round r : due) {
            if (!r.over) {
                r.over = true;
                try {
                    r.fillThread.execute(r.round);
                } catch (RejectedExecutionException e) {
                    // Closed meanwhile: a real timer's round would not run either.
                }
            }
        }
    }

    /** How long until the first round asked for and not taken back, if any. */
    synchronized java.util.Optional<Duration> nextRound() {
        return pending.stream().filter(r -> !r.over).map(Round::left).min(Duration::compareTo);
    }
}
