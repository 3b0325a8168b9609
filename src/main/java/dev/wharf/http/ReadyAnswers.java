package dev.wharf.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.cache.CacheChecks;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers the router computed, kept by request target ({@code /path?query}, as sent) so that the
 * next identical GET is answered before it reaches the router, on the thread that read it
 * ({@link ReadyAnswerHandler}). Javalin's servlet path and the handoff to its thread pool cost
 * several times what writing a few kilobytes from memory costs (bench/RESULTS.md, figure 1).
 *
 * <p>Each answer comes with the check that proves it still right for a given request: that the
 * data it was built from is still current, and that the request would pass the route's own access
 * check. When the check fails, or throws, the request goes to the router, which answers it in full
 * (and usually remembers the new answer).
 */
public final class ReadyAnswers {
    /**
     * Whether a remembered answer is still the router's answer to a request with these headers.
     * It runs on a selector thread, which serves many connections, so it must decide from memory:
     * no I/O, no lock that anyone holds across I/O. When it cannot tell that way it says false,
     * and the router (on a pool thread) answers and remembers afresh. Checks of data from storage
     * compare the {@link dev.wharf.oci.Generation} the answer was built from with the current one.
     */
    @FunctionalInterface
    public interface Check {
        boolean holdsFor(Function<String, String> requestHeader);
    }

    private record Entry(ReadyResponse response, Check check) {
    }

    private final Cache<String, Entry> entries;

    /** @param maxBytes how many bytes of bodies (and their headers) to keep at most: targets come from clients, and the heap may be small */
    public ReadyAnswers(long maxBytes) {
        this.entries = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((String target, Entry e) -> target.length() + e.response().size())
                .build();
    }

    /** Keeps the router's answer to a GET of {@code target}, valid while {@code check} holds. */
    public void remember(String target, ReadyAnswer answer, Check check) {
        entries.put(target, new Entry(new ReadyResponse(answer), check));
    }

    /** The remembered answer for a GET of {@code target} by a request with these headers, if it still holds; null otherwise. */
    @Nullable ReadyResponse find(String target, Function<String, String> requestHeader) {
        // Read quietly, as the answer's check reads its own caches: this runs with every request (CacheChecks says why).
        Entry entry = CacheChecks.peek(entries, target);
        if (entry == null) {
            return null;
        }
        boolean holds;
        try {
            holds = entry.check().holdsFor(requestHeader);
        } catch (RuntimeException e) {
            // The router will meet the same failure and answer it properly.
            holds = false;
        }
        if (!holds) {
            entries.asMap().remove(target, entry);
            return null;
        }
        return entry.response();
    }

    /** The target a Javalin request was sent to, in the form {@link #find} is asked with. */
    public static String target(io.javalin.http.Context ctx) {
        String query = ctx.queryString();
        return query == null ? ctx.req().getRequestURI() : ctx.req().getRequestURI() + "?" + query;
    }
}
