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
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.PgpKeys;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A package's {@code .sig} kept in the cache with another length than its index gives. The signature
 * route announces the indexed size as its Content-Length and had sent the kept file's bytes, a body
 * cut short (or run past) of it, as the zip's route did before its size was checked
 * ({@link PackageZipOfWrongSizeTest}); it is now fetched again, checked against that size.
 */
class PackageSignatureOfWrongSizeTest {
    private static final String SIG = "/epr/gallery/gallery-2.0.0.zip.sig";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private DockerRegistryServer registry;
    private RegistryArtifactStore store;
    private String signature;

    @BeforeEach
    void startRegistryAndPublish() throws Exception {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        store = RegistryStores.anonymous(registry);
        Path gallery = dir.resolve("to-publish/gallery/2.0.0");
        TestPackages.copyTree(TestPackages.source().resolve("gallery/2.0.0"), gallery);
        // The publisher checks the form of a .sig, not what it signs: any bytes do here.
        signature = PgpKeys.generate("EPR CI <ci@wharf.invalid>").armoredDetachedSignature("gallery".getBytes(StandardCharsets.UTF_8));
        Files.writeString(gallery.resolveSibling("2.0.0.sig"), signature);
        assertThat(new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true).push(gallery, w -> { }).signed()).isTrue();
    }

    @AfterEach
    void stopRegistry() {
        store.close();
        registry.stop();
    }

    @Test
    void aKeptSignatureCutShortIsFetchedAgainAndServedWhole() throws Exception {
        Path cache = indexed();
        List<Path> kept = keptSignatures(cache);
        assertThat(kept).hasSize(1);
        // A file of another length than the index gives, as a disk that filled or a copy that broke off leaves it.
        Files.writeString(kept.get(0), signature.substring(0, signature.length() / 2));

        OciIndexer indexer = indexer(cache);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        try (WebServer server = server(indexer)) {
            // On the old code this send failed: the body ended before its Content-Length.
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.localUri().resolve(SIG)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(signature);
            assertThat(Files.readString(kept.get(0))).isEqualTo(signature);
        } finally {
            indexer.close();
        }
    }

    @Test
    void aKeptSignatureOfAnotherLengthThanItsIndexedSizeIsAnErrorAnswer() throws Exception {
        Path cache = indexed();
        // An index persisted with another size than the blob's, as a Wharf that did not check sizes could have kept it.
        Path indexFile = cache.resolve("index.json");
        JsonNode index = json.readTree(indexFile.toFile());
        int grown = 0;
        String digest = "";
        for (JsonNode entry : index.findParents("signature_size")) {
            ((ObjectNode) entry).put("signature_size", entry.get("signature_size").asLong() + 40);
            digest = entry.get("signature_digest").asText();
            grown++;
        }
        assertThat(grown).as(index.toString()).isEqualTo(1);
        json.writeValue(indexFile.toFile(), index);

        OciIndexer indexer = indexer(cache);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        try (WebServer server = server(indexer)) {
            assertThat(indexer.packages()).extracting(p -> p.key()).containsExactly("gallery-2.0.0");
            try (LogCapture log = LogCapture.of("dev.wharf")) {
                // On the old code this send failed: the kept file's 40 bytes fewer than its Content-Length, then a cut connection.
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.localUri().resolve(SIG)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
                assertThat(answer.body()).contains("stored content is unreadable or failed its integrity check")
                        .doesNotContain(registry.host());
                assertThat(log.lines(Level.WARN)).singleElement().asString().contains(digest, "gives its size as");
            }
            assertThat(keptSignatures(cache)).as("the cache keeps no signature of another size than its index gives").isEmpty();
        } finally {
            indexer.close();
        }
    }

    /** The cache of a first index, its zip and signature fetched. */
    private Path indexed() throws Exception {
        Path cache = dir.resolve("cache");
        OciIndexer first = indexer(cache);
        first.start();
        PersistedFirstIndex.await(first);
        first.close();
        return cache;
    }

    private static List<Path> keptSignatures(Path cache) throws Exception {
        try (Stream<Path> files = Files.list(cache.resolve("signatures"))) {
            return files.toList();
        }
    }

    private static WebServer server(OciIndexer indexer) {
        EprApi api = new EprApi(indexer, new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false), Clock.systemUTC());
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
    }

    private OciIndexer indexer(Path cache) {
        return new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withMaxPackageBytes(64L << 20));
    }
}
