package dev.wharf.epr.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import java.util.List;
import java.util.function.Function;

/**
 * Serialized answers of {@code /search} and {@code /categories}, per query string, for the index
 * they were computed from. Fleet asks the same few questions over and over while the index changes
 * once a refresh; filtering every package and writing the JSON again for each request cost most of
 * the time of these endpoints (bench/RESULTS.md). An indexer publishes a new list on each refresh,
 * so an answer computed from another list than the current one is computed again.
 */
final class IndexAnswers {
    private record Key(String route, String query) {
    }

    private record Answer(List<IndexedPackage> from, byte[] body) {
    }

    /** Bytes of bodies kept at most: the answers to every version of a large index run to megabytes each. */
    static final long MAX_BYTES = 32L << 20;

    private final Indexer indexer;
    private final Cache<Key, Answer> answers;

    IndexAnswers(Indexer indexer) {
        this(indexer, MAX_BYTES);
    }

    /**
     * Bounded by the bytes kept, not by a count: query strings come from clients, and any unknown
     * parameter ({@code &x=1}, {@code &x=2}, ...) makes another entry; two thousand answers of all
     * versions once fitted under a count and not in the heap. Evicted on the asking thread, so that a
     * burst of new queries cannot outrun the eviction.
     */
    IndexAnswers(Indexer indexer, long maxBytes) {
        this.indexer = indexer;
        this.answers = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((Key key, Answer answer) -> key.route().length() + key.query().length() + answer.body().length)
                .executor(Runnable::run)
                .build();
    }

    /** The body for {@code route?query}, from the cache when it was computed from the current index. */
    byte[] get(String route, String query, Function<List<IndexedPackage>, byte[]> compute) {
        List<IndexedPackage> current = indexer.packages();
        Key key = new Key(route, query == null ? "" : query);
        Answer cached = answers.getIfPresent(key);
        if (cached != null && cached.from() == current) {
            return cached.body();
        }
        byte[] body = compute.apply(current);
        answers.put(key, new Answer(current, body));
        return body;
    }
}
