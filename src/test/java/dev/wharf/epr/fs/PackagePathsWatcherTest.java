package dev.wharf.epr.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.WebServer;
import dev.wharf.oci.archive.ArchiveLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -package-paths-enable-watcher: what lands in or leaves a package path while the server runs is answered without a restart. */
class PackagePathsWatcherTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aZipCopiedInIsSearchableAndARemovedOneDisappears() throws Exception {
        Path packages = dir.resolve("packages");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), packages.resolve("acme_logs/1.1.0"));
        Path built = dir.resolve("built/gallery-2.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), "gallery-2.0.0", built);

        FileSystemIndexer indexer = new FileSystemIndexer(List.of(packages), true, false, ArchiveLimits.DEFAULT, Clock.systemUTC(),
                PackagePathsOptions.defaults().withWatcher(true).withDebounce(Duration.ofMillis(200)));
        indexer.start();
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        EprApi api = new EprApi(indexer, ApiSettings.defaults(), Clock.systemUTC(), ready);
        try (indexer; WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready),
                RequestObserver.NONE, ServerLimits.defaults(), api::register)) {
            String search = server.localUri() + "/search?all=true";
            assertThat(get(search)).contains("\"acme_logs\"").doesNotContain("\"gallery\"");

            Files.createDirectories(packages.resolve("zips"));
            Files.copy(built, packages.resolve("zips/gallery-2.0.0.zip"));
            assertThat(awaitAnswer(search, body -> body.contains("\"gallery\""))).contains("\"acme_logs\"");
            assertThat(getBytes(server.localUri() + "/epr/gallery/gallery-2.0.0.zip")).isEqualTo(Files.readAllBytes(built));

            // A new version folder under a name already there: a folder two levels below the path.
            TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), packages.resolve("acme_logs/1.0.0"));
            awaitAnswer(search, body -> body.contains("\"version\": \"1.0.0\""));

            Files.delete(packages.resolve("zips/gallery-2.0.0.zip"));
            assertThat(awaitAnswer(search, body -> !body.contains("\"gallery\""))).contains("\"acme_logs\"");
            TestPackages.deleteTree(packages.resolve("acme_logs/1.1.0"));
            awaitAnswer(search, body -> !body.contains("\"version\": \"1.1.0\""));
        }
    }

    @Test
    void withoutTheWatcherNothingChangesUntilARefresh() throws Exception {
        Path packages = dir.resolve("packages");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), packages.resolve("acme_logs/1.1.0"));
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(packages), true, false, ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        try (indexer) {
            TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), "gallery-2.0.0", packages.resolve("gallery-2.0.0.zip"));
            assertThat(indexer.packages()).extracting(p -> p.key()).containsExactly("acme_logs-1.1.0");
            indexer.refresh();
            assertThat(indexer.packages()).extracting(p -> p.key()).containsExactly("gallery-2.0.0", "acme_logs-1.1.0");
        }
    }

    /** Polls until the answer satisfies {@code done}; fails with the last answer after {@link #BOUND}. */
    private String awaitAnswer(String uri, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        String body = get(uri);
        while (!done.test(body)) {
            assertThat(System.nanoTime()).as("no change seen within %s; last answer: %s", BOUND, body).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            body = get(uri);
        }
        return body;
    }

    private String get(String uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private byte[] getBytes(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }
}
