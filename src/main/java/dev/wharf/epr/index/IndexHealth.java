package dev.wharf.epr.index;

import java.time.Instant;
import java.util.Optional;

/**
 * How the index stands. {@code HEALTHY}: the last refresh worked. {@code DEGRADED}: Wharf serves an
 * older index (the current one, or the one persisted on disk) because the source failed.
 * {@code UNAVAILABLE}: there is nothing to serve.
 */
public record IndexHealth(State state, Optional<Instant> indexedAt, Optional<String> error, int packages, String source) {
    public enum State { HEALTHY, DEGRADED, UNAVAILABLE }

    public static IndexHealth healthy(Instant at, int packages, String source) {
        return new IndexHealth(State.HEALTHY, Optional.of(at), Optional.empty(), packages, source);
    }
}
