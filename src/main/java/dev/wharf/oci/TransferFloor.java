package dev.wharf.oci;

import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * The least rate a streamed answer body (a blob) must come at, measured over the time its reader spends waiting for it.
 * The idle timeout restarts with every byte, so a registry that sent a byte every few seconds held a download's thread
 * and its client's connection for as long as the blob lasted, hours for a large one, as curl's {@code --speed-limit}
 * and {@code --speed-time} exist to stop.
 *
 * <p>The floor is {@link #BYTES_PER_SECOND} averaged over {@link #WINDOW} of waiting: a link that slow moves a 1 MB module in
 * a quarter of an hour, and a real one (a congested line across an ocean, a registry busy with other pushes) moves tens
 * of KiB a second at least, so only a registry or proxy that is failing ever trips it. Only the reader's waits count:
 * bytes that were already there when it asked (a reader that takes its time, behind a client downloading slowly) are
 * the reader's pace, not the registry's, and never make the registry look slow. A silence is the idle timeout's.
 *
 * <p>Used by one reading thread at a time, as the body is.
 */
public final class TransferFloor {
    /** 1 KiB/s: see the class comment for why it is this low. */
    public static final long BYTES_PER_SECOND = 1024;
    public static final Duration WINDOW = Duration.ofSeconds(60);

    private final Clock clock;
    private final String reading;
    private long waitedMillis;
    private long bytes;

    /**
     * @param clock   what times the waits ({@link Clock#systemUTC()} but in tests)
     * @param reading who reads what, for the message: "registry R, repository P: cannot read the blob D"
     */
    public TransferFloor(Clock clock, String reading) {
        this.clock = clock;
        this.reading = reading;
    }

    long now() {
        return clock.millis();
    }

    /** A wait for bytes that began at {@code fromMillis} ({@link #now}) has ended. */
    void waited(long fromMillis) {
        waitedMillis += Math.max(0, clock.millis() - fromMillis);
    }

    /** Counts {@code n} bytes that came; once a window of waiting is over, fails when they came under the floor, else starts the next. */
    void arrived(long n) throws TooSlowException {
        bytes += n;
        if (waitedMillis < WINDOW.toMillis()) {
            return;
        }
        if (bytes * 1000 < BYTES_PER_SECOND * waitedMillis) {
            throw new TooSlowException(reading + ": the registry sent " + bytes + " bytes in " + waitedMillis / 1000 + " s of waiting for them ("
                    + String.format(Locale.ROOT, "%.1f", bytes * 1000.0 / waitedMillis) + " bytes/s), under the least rate Wharf waits for, "
                    + BYTES_PER_SECOND / 1024 + " KiB/s averaged over " + WINDOW.toSeconds() + " s; the registry or the link to it is failing");
        }
        waitedMillis = 0;
        bytes = 0;
    }

    /** A body whose bytes kept coming, but under the floor. */
    public static final class TooSlowException extends HttpTimeoutException {
        private static final long serialVersionUID = 1L;

        TooSlowException(String message) {
            super(message);
        }
    }
}
