package dev.wharf.http.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed credential checks per client address, counted in a window that opens with an address's
 * first failure; an address that reached the limit is throttled until its window ends. Successes
 * are not counted and reset nothing: whoever holds one valid token must not buy back a guessing
 * budget with it.
 */
public final class FailedCredentials {
    /**
     * Failures a minute per address by default. A person mistyping a token, or a CI job retrying a
     * revoked one, stays well below it; a guesser gets 30 tries a minute (43 200 a day) from an
     * address instead of as many as the server answers, thousands a second.
     */
    public static final int DEFAULT_PER_MINUTE = 30;
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /**
     * Addresses remembered at most. An entry is about 200 bytes, so an attack from very many
     * addresses holds some 20 MB at worst; past it the least used windows are dropped, which an
     * attacker with that many addresses gains little from: each already has its own budget.
     */
    static final int MAX_ADDRESSES = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(FailedCredentials.class);

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Window> windows;

    /** @param perMinute failures allowed per address in a minute; 0 counts nothing and throttles nobody */
    public FailedCredentials(int perMinute, Clock clock) {
        this(perMinute, WINDOW, MAX_ADDRESSES, clock);
    }

    FailedCredentials(int limit, Duration window, int maxAddresses, Clock clock) {
        if (limit < 0) {
            throw new IllegalArgumentException("the failed credential limit must be 0 (off) or more, not " + limit);
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        // Expiry only frees memory; whether a window is over is decided from its start (the clock).
        this.windows = Caffeine.newBuilder().maximumSize(maxAddresses).expireAfterWrite(window)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
    }

    public static FailedCredentials off() {
        return new FailedCredentials(0, Clock.systemUTC());
    }

    public boolean enabled() {
        return limit > 0;
    }

    /** How long until {@code address} may present credentials again; empty when it may now. */
    public Optional<Duration> throttled(String address) {
        if (!enabled()) {
            return Optional.empty();
        }
        Window current = windows.getIfPresent(address);
        if (current == null || current.failures() < limit) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), current.start().plus(window));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /** Counts a failed check from {@code address}; the one that reaches the limit is logged, once per window. */
    public void failed(String address) {
        if (!enabled()) {
            return;
        }
        Instant now = clock.instant();
        Window counted = windows.asMap().compute(address, (key, old) -> next(old, now));
        if (counted.failures() == limit) {
            LOG.warn("{} failed credential checks from {} within {} s: its requests with credentials are answered 429 until {}",
                    counted.failures(), address, window.toSeconds(), counted.start().plus(window));
        }
    }

    private Window next(@Nullable Window old, Instant now) {
        if (old == null || !now.isBefore(old.start().plus(window))) {
            return new Window(now, 1);
        }
        return new Window(old.start(), old.failures() + 1);
    }

    /** Addresses remembered now, for tests of the bound. */
    long addresses() {
        windows.cleanUp();
        return windows.estimatedSize();
    }

    private record Window(Instant start, int failures) {
    }
}
