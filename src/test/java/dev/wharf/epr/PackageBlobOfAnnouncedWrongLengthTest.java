package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.PgpKeys;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that answers a package's blob with a Content-Length that is not the size its manifest
 * gives (here 100 bytes more, and as many bytes). The length is known from the answer's head, so the
 * download into the cache (the fill's, or a client's zip or signature asked for before the fill got
 * it) is refused before its body is read, and the client gets a 502 saying nothing of the registry;
 * it had been read whole and found wrong only at the first byte past the size.
 */
class PackageBlobOfAnnouncedWrongLengthTest {
    private static final String TAG = "gallery-2.0.0";
    private static final String ZIP = "/epr/gallery/gallery-2.0.0.zip";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private DockerRegistryServer registry;
    private RegistryArtifactStore direct;
    private FaultProxy proxy;
    private RegistryArtifactStore store;

    @BeforeEach
    void publish() throws Exception {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        direct = RegistryStores.anonymous(registry);
        Path gallery = dir.resolve("to-publish/gallery/2.0.0");
        TestPackages.copyTree(TestPackages.source().resolve("gallery/2.0.0"), gallery);
        // The publisher checks the form of a .sig, not what it signs: any bytes do here.
        Files.writeString(gallery.resolveSibling("2.0.0.sig"),
                PgpKeys.generate("EPR CI <ci@wharf.invalid>").armoredDetachedSignature("gallery".getBytes(StandardCharsets.UTF_8)));
        new PackagePublisher(direct, TestPackages.REPOSITORY, 64L << 20, true).push(gallery, w -> { });
        proxy = FaultProxy.before(registry.host());
        store = RegistryStores.anonymousAt("http://" + proxy.host());
    }

    @AfterEach
    void stop() {
        store.close();
        proxy.close();
        direct.close();
        registry.stop();
    }

    @Test
    void aZipAnnouncedLongerThanItsManifestSaysIsA502BeforeItsBodyIsRead() throws Exception {
        assertRefusedBeforeTheBody(OciPackageLayout.ZIP_MEDIA_TYPE, ZIP);
    }

    @Test
    void aSignatureAnnouncedLongerThanItsManifestSaysIsA502BeforeItsBodyIsRead() throws Exception {
        assertRefusedBeforeTheBody(OciPackageLayout.SIGNATURE_MEDIA_TYPE, ZIP + ".sig");
    }

    private void assertRefusedBeforeTheBody(String mediaType, String route) throws Exception {
        Descriptor blob = direct.resolve(TestPackages.REPOSITORY, TAG).orElseThrow().layer(mediaType).orElseThrow();
        proxy.inject(Fault.LONGER_BODY, r -> r.isBlobRead() && r.path().endsWith("/" + blob.digest()));
        Path cache = dir.resolve("cache");
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withMaxPackageBytes(64L << 20));
        EprApi api = new EprApi(indexer, new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false), Clock.systemUTC());
        try (LogCapture log = LogCapture.of("dev.wharf")) {
            indexer.start();
            PersistedFirstIndex.await(indexer);
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
                assertThat(indexer.packages()).extracting(p -> p.key()).containsExactly(TAG);
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.localUri().resolve(route)).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
                assertThat(answer.body()).contains("stored content is unreadable or failed its integrity check")
                        .doesNotContain(proxy.host());
            }
            // Both the fill's download and the client's: refused from the answer's head, the body unread.
            assertThat(log.lines(Level.WARN)).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .contains(blob.digest().toString(), "as the storage announces it", "nothing of it was sent"));
            assertThat(indexer.health().error()).get().asString().contains(blob.digest().toString(), "as the storage announces it");
        } finally {
            indexer.close();
        }
        try (Stream<Path> files = Files.walk(cache.resolve("blobs").getParent())) {
            assertThat(files.filter(p -> p.toString().endsWith(".part") || p.toString().endsWith(blob.digest().hex() + ".zip")
                    || p.toString().endsWith(blob.digest().hex() + ".sig"))).as("nothing of the blob is kept").isEmpty();
        }
    }
}
