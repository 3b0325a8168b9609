package dev.wharf.oci.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * How often and how patiently idempotent requests are repeated after a connection reset, a
 * timeout, or a 429/502/503/504 answer: exponential backoff with jitter (a random 50–100 % of the
 * step, so many clients do not retry in lock-step), and a server's {@code Retry-After} honoured up
 * to {@code maxRetryAfter}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Four attempts, waits of about 0.25, 0.5 and 1 s; a Retry-After up to 30 s is honoured. */
    public static RetryPolicy standard() {
        return new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(30));
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

    /** The wait a server asked for, capped; or the backoff when it asked for nothing usable. */
    public Duration afterServerAsked(@Nullable Duration asked, int attempt) {
        if (asked == null || asked.isNegative()) {
            return backoff(attempt);
        }
        return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
    }

    static void sleep(Duration wait) {
        if (wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
