package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IndexAnswersTest {
    /** An indexer whose published list the test replaces, as a refresh does. */
    private static final class SwappingIndexer implements Indexer {
        volatile List<IndexedPackage> packages = new ArrayList<>();

        @Override
        public void start() {
        }

        @Override
        public List<IndexedPackage> packages() {
            return packages;
        }

        @Override
        public IndexHealth health() {
            return new IndexHealth(IndexHealth.State.HEALTHY, Optional.empty(), Optional.empty(), 0, "test");
        }

        @Override
        public void close() {
        }
    }

    private final SwappingIndexer indexer = new SwappingIndexer();
    private final IndexAnswers answers = new IndexAnswers(indexer);
    private final AtomicInteger computed = new AtomicInteger();

    private String ask(String route, String query) {
        return new String(answers.get(route, query, packages -> {
            computed.incrementAndGet();
            return (route + "?" + query + "#" + computed.get()).getBytes(StandardCharsets.UTF_8);
        }), StandardCharsets.UTF_8);
    }

    @Test
    void computesEachQueryOncePerIndex() {
        assertThat(ask("search", "kibana.version=8.15.0")).isEqualTo("search?kibana.version=8.15.0#1");
        assertThat(ask("search", "kibana.version=8.15.0")).isEqualTo("search?kibana.version=8.15.0#1");
        assertThat(ask("search", "kibana.version=9.0.0")).isEqualTo("search?kibana.version=9.0.0#2");
        assertThat(ask("categories", "kibana.version=8.15.0")).isEqualTo("categories?kibana.version=8.15.0#3");
        assertThat(ask("search", null)).isEqualTo("search?null#4");
        assertThat(computed).hasValue(4);
    }

    @Test
    void computesAgainWhenTheIndexerPublishesANewList() {
        ask("search", "a=1");
        indexer.packages = new ArrayList<>();  // equal content, but a new refresh
        assertThat(ask("search", "a=1")).isEqualTo("search?a=1#2");
        assertThat(ask("search", "a=1")).isEqualTo("search?a=1#2");
    }

    @Test
    void keepsAnswersUpToItsBytesHoweverManyQueriesThereAre() {
        IndexAnswers small = new IndexAnswers(indexer, 1_000);
        byte[] body = new byte[400];
        for (int i = 0; i < 100; i++) {
            small.get("search", "all=true&x=" + i, packages -> body);
        }
        AtomicInteger again = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            small.get("search", "all=true&x=" + i, packages -> {
                again.incrementAndGet();
                return body;
            });
        }
        // At most two bodies of 400 bytes fit in 1000: every other query was dropped and is computed again.
        assertThat(again).hasValueGreaterThanOrEqualTo(98);
    }
}
