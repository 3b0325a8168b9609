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

    private final Indexer indexer;
    // Bounded: query strings come from clients.
    private final Cache<Key, Answer> answers = Caffeine.newBuilder().maximumSize(2_000).build();

    IndexAnswers(Indexer indexer) {
        this.indexer = indexer;
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
