package dev.wharf.epr.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.RegistryStores;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.index.IndexerTiming;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.pkg.PackageSignatureCheck;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.upstream.SignedUpstream;
import dev.wharf.epr.upstream.UpstreamEpr;
import dev.wharf.epr.upstream.UpstreamPackageCopy;
import dev.wharf.epr.upstream.UpstreamSettings;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.WebServer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import java.net.URI;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -feature-proxy-mode -oci-pull-through} on Debian's docker-registry: the first request for
 * a package the repository lacks copies it from the signed upstream (verified), later ones are
 * served from the repository with the upstream stopped; a tampered zip is refused, nothing pushed.
 */
class PullThroughTest {
    private static final PgpKeys KEY = PgpKeys.generate("Upstream <upstream@example.test>");
    private static final String REPOSITORY = "epr/pulled";

    @TempDir
    Path dir;
    private DockerRegistryServer registry;
    private RegistryArtifactStore store;
    private OciIndexer indexer;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startRegistry() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        store = RegistryStores.anonymous(registry);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (indexer != null) {
            indexer.close();
        }
        store.close();
        registry.close();
    }

    private void serveInFrontOf(SignedUpstream upstream) throws Exception {
        serveInFrontOf(upstream, KEY.armoredPublicKey());
    }

    private void serveInFrontOf(SignedUpstream upstream, String verificationKey) throws Exception {
        Path key = dir.resolve("key.asc");
        Files.writeString(key, verificationKey);
        UpstreamEpr client = new UpstreamEpr(UpstreamSettings.epr(upstream.url()).withRetries(1, Duration.ofMillis(10), Duration.ofMillis(20)));
        indexer = new OciIndexer(store, OciIndexerSettings.of(REPOSITORY, dir.resolve("cache")));
        indexer.start();
        PullThrough pull = new PullThrough(new UpstreamPackageCopy(client, new PackagePublisher(store, REPOSITORY, 64L << 20, true),
                Optional.of(PackageSignatureCheck.upstreamKey(key)), 64L << 20, dir.resolve("work")), indexer::refresh);
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), new EprApi(indexer, ApiSettings.defaults(),
                Clock.systemUTC(), new ReadyAnswers(1L << 20), IndexerTiming.NONE, dev.wharf.http.Readiness.readyNow(), new ProxyMode(client, Optional.of(pull)))::register);
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theFirstRequestCopiesThePackageInAndLaterOnesNeedNoUpstream() throws Exception {
        SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0", "legacy_stack/1.0.0"));
        byte[] info;
        byte[] sig;
        try (upstream) {
            info = upstream.get("/package/gallery/2.0.0/").body();
            sig = upstream.get("/epr/gallery/gallery-2.0.0.zip.sig").body();
            // A copy a killed process left half done: another process's mark, its lock gone with it.
            Path killed = Files.createDirectories(dir.resolve("work/wharf-upstream-0000000000000-7"));
            Files.writeString(killed.resolve(".owner"), "");
            Files.write(killed.resolve("gallery-2.0.0.zip"), new byte[4096]);
            serveInFrontOf(upstream);
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
            HttpResponse<byte[]> first = get("/epr/gallery/gallery-2.0.0.zip");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(dir.resolve("work")).as("the killed copy removed, this one's folder too once done").isEmptyDirectory();
            assertThat(first.body()).isEqualTo(Files.readAllBytes(upstream.zip("gallery-2.0.0")));
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isTrue();
            assertThat(store.exists(REPOSITORY, "legacy_stack-1.0.0")).isFalse();
            HttpResponse<byte[]> missing = get("/epr/nothing/nothing-1.0.0.zip");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(new String(missing.body(), StandardCharsets.UTF_8)).isEqualTo("artifact not found\n");
        }
        // Upstream stopped: the package info, zip and signature all come from the repository.
        HttpResponse<byte[]> index = get("/package/gallery/2.0.0/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo(new String(info, StandardCharsets.UTF_8));
        assertThat(get("/epr/gallery/gallery-2.0.0.zip").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> signature = get("/epr/gallery/gallery-2.0.0.zip.sig");
        assertThat(signature.statusCode()).isEqualTo(200);
        assertThat(signature.body()).isEqualTo(sig);
        assertThat(get("/package/gallery/2.0.0/manifest.yml").statusCode()).isEqualTo(200);
        // What was never copied cannot be had now, and says so as EPR does when its upstream fails.
        assertThat(get("/epr/legacy_stack/legacy_stack-1.0.0.zip").statusCode()).isEqualTo(500);
    }

    @Test
    void aPackageAskedForByItsInfoIsCopiedToo() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("legacy_stack/1.0.0"))) {
            byte[] info = upstream.get("/package/legacy_stack/1.0.0/").body();
            serveInFrontOf(upstream);
            HttpResponse<byte[]> r = get("/package/legacy_stack/1.0.0/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(info);
            assertThat(store.exists(REPOSITORY, "legacy_stack-1.0.0")).isTrue();
        }
    }

    @Test
    void aTamperedZipIsRefusedWithOneClearErrorAndNothingIsPushed() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"), zips -> {
            Path altered = dir.resolve("altered/gallery/2.0.0");
            TestPackages.copyTree(TestPackages.source().resolve("gallery/2.0.0"), altered);
            Path manifest = altered.resolve("manifest.yml");
            Files.writeString(manifest, Files.readString(manifest).replaceFirst("(?m)^description: .*$", "description: Not what was signed"));
            TestPackages.zipFolder(altered, "gallery-2.0.0", zips.resolve("gallery-2.0.0.zip"));
        })) {
            serveInFrontOf(upstream);
            HttpResponse<byte[]> r = get("/epr/gallery/gallery-2.0.0.zip");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(new String(r.body(), StandardCharsets.UTF_8))
                    .isEqualTo("package refused: gallery-2.0.0.zip does not match its signature (by key "
                            + new String(r.body(), StandardCharsets.UTF_8).replaceAll("(?s).*by key ([0-9A-F]{16}).*", "$1")
                            + "): the zip was altered\n");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
            assertThat(Files.list(dir.resolve("work")).toList()).isEmpty();
        }
    }

    /**
     * A {@code -verification-key} file holding another key first: Fleet reads only that one, so the
     * upstream's package signed by the file's second key is refused and nothing is stored.
     */
    @Test
    void aPackageSignedByTheSecondKeyOfTheKeyFileIsRefusedAndNothingIsStored() throws Exception {
        PgpKeys first = PgpKeys.generate("Someone else <else@example.test>");
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"))) {
            serveInFrontOf(upstream, PgpKeys.armoredPublicKeys(first, KEY));
            HttpResponse<byte[]> r = get("/epr/gallery/gallery-2.0.0.zip");
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(r.statusCode()).as(body).isEqualTo(502);
            assertThat(body).matches("package refused: gallery-2\\.0\\.0\\.zip is signed by key [0-9A-F]{16}, which is in "
                    + java.util.regex.Pattern.quote(dir.resolve("key.asc").toString()) + " but is not its first key, the only one packages"
                    + " are verified with: Fleet reads one key from its key file \\(openpgp\\.js readKey\\)\n");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
            assertThat(Files.list(dir.resolve("work")).toList()).isEmpty();
        }
    }

    /** Fleet reads only an armoured .sig (openpgp.js readSignature({armoredSignature})): an upstream's binary one is refused. */
    @Test
    void aBinarySigUpstreamIsRefusedAndNothingIsStored() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"), zips -> Files.write(
                zips.resolve("gallery-2.0.0.zip.sig"), KEY.detachedSignature(Files.readAllBytes(zips.resolve("gallery-2.0.0.zip")))))) {
            serveInFrontOf(upstream);
            HttpResponse<byte[]> r = get("/epr/gallery/gallery-2.0.0.zip");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(new String(r.body(), StandardCharsets.UTF_8))
                    .isEqualTo("package refused: gallery-2.0.0.zip.sig is not ASCII-armoured; Fleet reads only armoured signatures\n");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
            assertThat(Files.list(dir.resolve("work")).toList()).isEmpty();
        }
    }
}
