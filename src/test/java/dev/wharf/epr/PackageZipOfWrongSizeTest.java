package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.LogCapture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package zip whose indexed size is not its blob's length: an index persisted by a Wharf that did not
 * yet check sizes holds the manifest's size, and the zip it kept (or the registry's blob) has another
 * length. The zip route announces the indexed size as its Content-Length; it had sent the blob's bytes
 * and cut the connection, a download every client saw broken with nothing to say why. The length is
 * known before the first byte, so the client gets an error answer in general terms, and the log one
 * line naming the blob and both sizes.
 */
class PackageZipOfWrongSizeTest {
    private static final String ZIP = "/epr/gallery/gallery-2.0.0.zip";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private DockerRegistryServer registry;
    private RegistryArtifactStore store;

    @BeforeEach
    void startRegistry() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        store = RegistryStores.anonymous(registry);
    }

    @AfterEach
    void stopRegistry() {
        store.close();
        registry.stop();
    }

    @Test
    void aKeptZipOfAnotherLengthThanItsIndexedSizeIsAnErrorAnswer() throws Exception {
        Path gallery = dir.resolve("to-publish/gallery/2.0.0");
        TestPackages.copyTree(TestPackages.source().resolve("gallery/2.0.0"), gallery);
        new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true).push(gallery, w -> { });
        Path cache = indexedWithTheZipSizeGrown(100);

        // On the old code this send failed: the body ended 100 bytes before its Content-Length.
        assertRefusedBeforeTheFirstByte(cache, indexer -> { });
    }

    @Test
    void aZipFetchedAgainFromTheRegistryWithAnotherLengthThanItsIndexedSizeIsAnErrorAnswer() throws Exception {
        Path zip = dir.resolve("gallery-2.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), "gallery-2.0.0", zip);
        // Read from its zip, not from a config: a zip gone from the cache is downloaded into it again before it is served.
        TestPackages.pushRaw(store, "gallery-2.0.0", OciPackageLayout.ZIP_MEDIA_TYPE, zip);
        Path cache = indexedWithTheZipSizeGrown(100);
        // A kept file of the indexed size, so the package is served; it is gone by the time it is asked for.
        List<Path> kept;
        try (Stream<Path> files = Files.list(cache.resolve("blobs"))) {
            kept = files.toList();
        }
        for (Path p : kept) {
            Files.write(p, new byte[100], StandardOpenOption.APPEND);
        }

        // The zip route fetches the zip into the cache before its answer, checked against the indexed size.
        assertRefusedBeforeTheFirstByte(cache, indexer -> {
            for (Path p : kept) {
                Files.delete(p);
            }
        });
    }

    /** A cache whose persisted index gives the zip {@code more} bytes than its blob has, as an older Wharf could have kept it. */
    private Path indexedWithTheZipSizeGrown(int more) throws Exception {
        Path cache = dir.resolve("cache");
        OciIndexer first = indexer(cache);
        first.start();
        PersistedFirstIndex.await(first);
        first.close();
        Path indexFile = cache.resolve("index.json");
        JsonNode index = json.readTree(indexFile.toFile());
        int grown = 0;
        for (JsonNode entry : index.findParents("zip_size")) {
            ((ObjectNode) entry).put("zip_size", entry.get("zip_size").asLong() + more);
            grown++;
        }
        assertThat(grown).as(index.toString()).isEqualTo(1);
        json.writeValue(indexFile.toFile(), index);
        return cache;
    }

    @FunctionalInterface
    private interface Step {
        void run(OciIndexer indexer) throws Exception;
    }

    private void assertRefusedBeforeTheFirstByte(Path cache, Step beforeTheRequest) throws Exception {
        String digest = json.readTree(cache.resolve("index.json").toFile()).findValue("zip_digest").asText();
        OciIndexer indexer = indexer(cache);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        EprApi api = new EprApi(indexer, new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false), Clock.systemUTC());
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
            assertThat(indexer.packages()).extracting(p -> p.key()).containsExactly("gallery-2.0.0");
            beforeTheRequest.run(indexer);
            try (LogCapture log = LogCapture.of("dev.wharf")) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.localUri().resolve(ZIP)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
                assertThat(answer.body()).contains("stored content is unreadable or failed its integrity check")
                        .doesNotContain(registry.host());
                // The request's line; a request that meets the failure first also tells it as the fill would (FillHealth).
                assertThat(log.lines(Level.WARN)).filteredOn(l -> l.contains("GET " + ZIP)).singleElement().asString()
                        .contains(digest, "gives its size as");
            }
            try (Stream<Path> kept = Files.list(cache.resolve("blobs"))) {
                assertThat(kept).as("the cache keeps no blob of another size than its index gives").isEmpty();
            }
        } finally {
            indexer.close();
        }
    }

    private OciIndexer indexer(Path cache) {
        return new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withMaxPackageBytes(64L << 20));
    }
}
