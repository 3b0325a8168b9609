package dev.wharf.oci.registry;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * How often and how patiently a request that {@link RetryRule} allows is repeated: exponential
 * backoff with jitter (a random 50–100 % of the step, so many clients do not retry in lock-step),
 * and a server's {@code Retry-After} honoured when it is at most {@code maxRetryAfter}. A registry
 * that asks for a longer wait is not asked again early: the request fails with its answer, because
 * the client waiting on Wharf would give up first anyway. The total time is bounded separately by
 * {@link RegistryTimeouts#retryBudget()}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Four attempts, waits of about 0.2, 0.4 and 0.8 s; a Retry-After up to 5 s is honoured. */
    public static RetryPolicy standard() {
        return new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** No retries at all. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before attempt {@code attempt + 1}, {@code attempt} counting from 1. */
    public Duration backoff(int attempt) {
        long step = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(step, maxBackoff.toMillis());
        if (capped <= 0) {
            return Duration.ZERO;
        }
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }

    /**
     * The wait before repeating attempt {@code attempt}, or empty when it must not be repeated: no
     * attempts left, a {@code Retry-After} beyond the cap, or a wait that would not leave
     * {@code remaining} time for another try.
     */
    public Optional<Duration> next(int attempt, Optional<Duration> retryAfter, Duration remaining) {
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        Duration wait;
        if (retryAfter.isPresent()) {
            if (retryAfter.get().compareTo(maxRetryAfter) > 0) {
                return Optional.empty();
            }
            wait = retryAfter.get();
        } else {
            wait = backoff(attempt);
        }
        return wait.compareTo(remaining) < 0 ? Optional.of(wait) : Optional.empty();
    }

    /**
     * Waits {@code wait}. An interrupt is the caller's to report ({@link RegistryTransport#pause}) as it reports an
     * interrupted request: callers of the store catch {@link dev.wharf.oci.StorageException}, and anything else got
     * past them as an unexpected fault (a 500, a background round that died without a word).
     */
    static void sleep(Duration wait) throws InterruptedException {
        if (wait.isZero()) {
            return;
        }
        Thread.sleep(wait.toMillis());
    }
}
