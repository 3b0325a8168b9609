package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexerException;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI indexer when the real docker-registry goes away: the index it has is served in full
 * (search, package files, zips, signatures), {@code /health} says degraded with the index age and
 * the registry's error, and the next refresh after the registry is back heals it. Never a made-up
 * package.
 */
class RegistryOciOutageTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Path EXPECTED = Path.of("src/test/resources/epr/expected");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ManualClock clock = new ManualClock(T0);
    private DockerRegistryServer registry;
    private RegistryArtifactStore store;
    private WebServer server;
    /** Where the metrics address would be: the detailed /health. */
    private WebServer metrics;

    @BeforeEach
    void publish() throws Exception {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        store = RegistryStores.anonymous(registry);
        TestPackages.publishAll(store, dir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            metrics.close();
        }
        store.close();
        registry.stop();
    }

    private OciIndexer indexer(ArtifactStore source, Path cache) {
        return new OciIndexer(source, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withMaxPackageBytes(64L << 20).withClock(clock));
    }

    private void serve(OciIndexer indexer) {
        ApiSettings settings = new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false);
        EprApi api = new EprApi(indexer, settings, clock);
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
        metrics = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::registerDetailedHealth);
    }

    @Test
    void keepsServingTheCurrentIndexWhileTheRegistryIsDownAndHealsWhenItIsBack() throws Exception {
        OciIndexer indexer = indexer(store, dir.resolve("cache"));
        indexer.start();
        // The blobs listed from configs are fetched before the outage, as a process running a while has them.
        PersistedFirstIndex.await(indexer);
        serve(indexer);
        JsonNode healthy = health(200);
        assertThat(healthy.get("status").asText()).isEqualTo("healthy");
        assertThat(healthy.get("index_age_seconds").asLong()).isZero();
        assertThat(healthy.has("error")).isFalse();
        byte[] zipBefore = bytes("/epr/gallery/gallery-2.0.0.zip");

        registry.stop();
        clock.advance(Duration.ofSeconds(90));
        assertThatThrownBy(indexer::refresh).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).isOutage()).isTrue());

        JsonNode degraded = health(200);
        assertThat(degraded.get("status").asText()).isEqualTo("degraded");
        assertThat(degraded.get("packages").asInt()).isEqualTo(6);
        assertThat(degraded.get("indexed_at").asText()).isEqualTo(T0.toString());
        assertThat(degraded.get("index_age_seconds").asLong()).isEqualTo(90);
        assertHostOnlyInTheDetailedReport(degraded);
        assertServedInFull(zipBefore);

        registry.start();
        clock.advance(Duration.ofSeconds(30));
        indexer.refresh();
        PersistedFirstIndex.await(indexer);
        JsonNode healed = health(200);
        assertThat(healed.get("status").asText()).isEqualTo("healthy");
        assertThat(healed.get("indexed_at").asText()).isEqualTo(T0.plusSeconds(120).toString());
        assertThat(healed.get("index_age_seconds").asLong()).isZero();
        assertThat(healed.has("error")).isFalse();
        assertServedInFull(zipBefore);
        indexer.close();
    }

    @Test
    void servesThePersistedIndexWhenTheRegistryIsDownAtStart() throws Exception {
        // Each run opens its own store from host:port, as the command line does.
        Path cache = dir.resolve("cache");
        byte[] zipBefore;
        try (RegistryArtifactStore previousStore = RegistryStores.asTheCliOpensIt(registry)) {
            OciIndexer previousRun = indexer(previousStore, cache);
            previousRun.start();
            PersistedFirstIndex.await(previousRun);
            zipBefore = galleryZip(previousRun);
            previousRun.close();
        }

        registry.stop();
        clock.advance(Duration.ofHours(1));
        RegistryArtifactStore restartStore = RegistryStores.asTheCliOpensIt(registry);
        OciIndexer restarted = indexer(restartStore, cache);
        restarted.start();
        serve(restarted);
        JsonNode degraded = health(200);
        assertThat(degraded.get("status").asText()).isEqualTo("degraded");
        assertThat(degraded.get("packages").asInt()).isEqualTo(6);
        assertThat(degraded.get("indexed_at").asText()).isEqualTo(T0.toString());
        assertThat(degraded.get("index_age_seconds").asLong()).isEqualTo(3600);
        assertHostOnlyInTheDetailedReport(degraded);
        assertServedInFull(zipBefore);

        registry.start();
        restarted.refresh();
        assertThat(health(200).get("status").asText()).isEqualTo("healthy");
        restarted.close();
        restartStore.close();
    }

    @Test
    void refusesToStartWhenTheRegistryIsDownAndNothingIsPersisted() throws Exception {
        registry.stop();
        OciIndexer fresh = indexer(store, dir.resolve("empty-cache"));
        assertThatThrownBy(fresh::start).isInstanceOf(IndexerException.class)
                .hasMessageContaining("cannot index " + store.describe() + "/" + TestPackages.REPOSITORY)
                .hasMessageContaining("no index is persisted in " + dir.resolve("empty-cache"))
                .hasMessageContaining(registry.host());
        assertThat(fresh.packages()).isEmpty();
        assertThat(fresh.health().state()).isEqualTo(IndexHealth.State.UNAVAILABLE);
        serve(fresh);
        assertThat(health(503).get("status").asText()).isEqualTo("unavailable");
        assertThat(get("/search?all=true").body()).isEqualTo("[]");
    }

    /** The gallery zip as the first run's cache holds it: what the registry served. */
    private static byte[] galleryZip(OciIndexer indexer) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        indexer.packages().stream().filter(p -> p.key().equals("gallery-2.0.0")).findFirst().orElseThrow()
                .content().zip().writeTo(out);
        return out.toByteArray();
    }

    /** Everything a client needs from the index, without the registry. */
    private void assertServedInFull(byte[] galleryZip) throws Exception {
        assertThat(get("/search").body()).isEqualTo(Files.readString(EXPECTED.resolve("search.json")));
        assertThat(get("/search?all=true").body()).isEqualTo(Files.readString(EXPECTED.resolve("search-all.json")));
        assertThat(get("/package/gallery/2.0.0/").body()).isEqualTo(Files.readString(EXPECTED.resolve("package-gallery-2.0.0.json")));
        assertThat(bytes("/package/gallery/2.0.0/img/overview.png"))
                .isEqualTo(Files.readAllBytes(TestPackages.source().resolve("gallery/2.0.0/img/overview.png")));
        assertThat(bytes("/epr/gallery/gallery-2.0.0.zip")).isEqualTo(galleryZip);
        assertThat(bytes("/epr/acme_logs/acme_logs-1.1.0.zip.sig"))
                .isEqualTo(Files.readAllBytes(TestPackages.source().resolve("acme_logs/1.1.0.sig")));
    }

    /**
     * Anyone on the API address learns that the source failed, its kind and an id; the metrics
     * address has the registry's address and the error as raised, in the same shape.
     */
    private void assertHostOnlyInTheDetailedReport(JsonNode anonymous) throws Exception {
        assertThat(anonymous.get("source").asText()).isEqualTo("oci");
        assertThat(anonymous.get("error").asText()).startsWith("the package source failed (request id ")
                .doesNotContain(registry.host()).doesNotContain(TestPackages.REPOSITORY);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(metrics.localUri() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode detailed = Json.mapper().readTree(r.body());
        assertThat(detailed.get("status")).isEqualTo(anonymous.get("status"));
        assertThat(detailed.get("packages")).isEqualTo(anonymous.get("packages"));
        assertThat(detailed.get("source").asText()).contains(registry.host()).endsWith(TestPackages.REPOSITORY);
        assertThat(detailed.get("error").asText()).contains(registry.host());
    }

    private JsonNode health(int status) throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().allValues("Cache-Control")).contains("max-age=0", "private, no-store");
        return Json.mapper().readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.localUri() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] bytes(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.localUri() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }
}
