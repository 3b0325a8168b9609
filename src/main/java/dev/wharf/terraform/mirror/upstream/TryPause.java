package dev.wharf.terraform.mirror.upstream;

import java.time.Duration;

/**
 * The wait between two tries of a download. A link that was just cut is often still failing (a proxy
 * restarting, a file host shedding load), and a try at once would likely spend itself on the same
 * failure; a short, growing pause gives it time, while a handful of tries stays within seconds, which
 * terraform waits anyway. Injected so a test checks the pauses asked for without waiting them.
 */
@FunctionalInterface
interface TryPause {
    /** Sleeps the thread. */
    TryPause SLEEP = wait -> Thread.sleep(wait.toMillis());

    /** The first pause; each next one is twice the one before, up to {@link #LONGEST}. */
    Duration FIRST = Duration.ofMillis(250);

    Duration LONGEST = Duration.ofSeconds(2);

    void pause(Duration wait) throws InterruptedException;

    /** The pause after try {@code tries} (counting from 1) failed, before the next one. */
    static Duration after(int tries) {
        long millis = FIRST.toMillis() << Math.min(tries - 1, 16);
        return Duration.ofMillis(Math.min(millis, LONGEST.toMillis()));
    }
}
