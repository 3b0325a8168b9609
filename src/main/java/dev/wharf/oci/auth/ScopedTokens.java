package dev.wharf.oci.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The Bearer tokens of one registry, one per set of scopes, each fetched by one request at a time: what
 * {@link RegistryAuthenticator} caches, apart from how it decides what to send and whom to ask.
 */
final class ScopedTokens {
    private final Clock clock;
    // Bounded, and a scope unused for an hour dropped: every made-up module name a client asks for is a
    // repository and a scope, and a token server grants a token for a repository that does not exist.
    private final Cache<String, BearerToken> tokens;
    // Held only while a fetch runs: the collector takes a lock no thread holds.
    private final Cache<String, Flight> fetchLocks = Caffeine.newBuilder().weakValues().build();

    /**
     * The lock of a scope's token fetches and how the last one ended. A request that waited for another's fetch
     * takes that fetch's failure as its own: asking again had cost it the failing fetch's timeout and then its own
     * (a token server that hangs, ~10 s), and its retry asks the registry where its token service is now anyway.
     */
    private static final class Flight {
        /** Fetches ended; read before waiting for the lock, to tell one that ended meanwhile. */
        volatile long ended;
        @Nullable RuntimeException failure;
    }

    ScopedTokens(Clock clock, int maxScopes) {
        this.clock = clock;
        this.tokens = Caffeine.newBuilder().maximumSize(maxScopes).expireAfterAccess(Duration.ofHours(1)).executor(Runnable::run).build();
    }

    /**
     * The header value of a usable token for {@code scopes}: the cached one, else the one {@code fetch} gives, which
     * only one request of the scopes runs at a time.
     */
    String authorization(List<String> scopes, Supplier<BearerToken> fetch) {
        String key = key(scopes);
        BearerToken cached = tokens.getIfPresent(key);
        if (cached != null && cached.usableAt(clock.instant())) {
            return "Bearer " + cached.token();
        }
        Flight flight = fetchLocks.get(key, k -> new Flight());
        long endedBefore = flight.ended;
        synchronized (flight) {
            cached = tokens.getIfPresent(key);
            if (cached != null && cached.usableAt(clock.instant())) {
                return "Bearer " + cached.token();
            }
            RuntimeException failed = flight.failure;
            if (failed != null && flight.ended != endedBefore) {
                throw failed;
            }
            try {
                BearerToken fresh = fetch.get();
                flight.failure = null;
                tokens.put(key, fresh);
                return "Bearer " + fresh.token();
            } catch (RuntimeException e) {
                flight.failure = e;
                throw e;
            } finally {
                flight.ended++;
            }
        }
    }

    /** Drops the cached token of {@code scopes} if it is the one {@code sentAuthorization} carried; true when dropped. */
    boolean dropIfSent(List<String> scopes, String sentAuthorization) {
        String key = key(scopes);
        BearerToken cached = tokens.getIfPresent(key);
        if (cached != null && sentAuthorization.equals("Bearer " + cached.token())) {
            tokens.asMap().remove(key, cached);
            return true;
        }
        return false;
    }

    void invalidateAll() {
        tokens.invalidateAll();
    }

    private static String key(List<String> scopes) {
        return String.join(" ", scopes);
    }
}
