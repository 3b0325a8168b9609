package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.web.FileUrlSigner;
import dev.wharf.terraform.web.MirrorApi;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TagDeletingStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive tag deleted while the mirror stored it (someone's clean-up at the same moment), against
 * docker-registry under {@link ExclusivePublishStore} as boring-registry runs it: nothing is mirrored,
 * the failure says so and that storing it again works (never "no longer in" the repository, which the
 * network mirror answered 404, so terraform gave up on a package the next request would have
 * mirrored), and the mirror answers terraform a 503, a failure to retry. The race is played by a store that
 * deletes the tag at the chosen moment, so it is deterministic.
 */
class MirrorTagDeletedTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    private static final String ZIP = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
    private static final String SUMS = "terraform-provider-dummy_1.0.0_SHA256SUMS";
    private static final String SIGNATURE = SUMS + ".sig";
    private static final String REPO = "boring-registry/mirror/providers/registry.example.test/acme/dummy";

    @TempDir
    Path dir;

    private DockerRegistryServer registry;
    private TagDeletingStore meddling;
    private ArtifactStore store;
    private MirrorStorage storage;

    @BeforeEach
    void start() throws Exception {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        meddling = new TagDeletingStore(new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty())));
        store = new ExclusivePublishStore(meddling);
        storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), Files.createDirectories(dir.resolve("tmp")));
    }

    @AfterEach
    void stop() {
        store.close();
        registry.close();
    }

    @Test
    void anArchiveTagDeletedRightAfterItsPushIsNotMirroredAndStoringItAgainMirrorsIt() throws Exception {
        Path zip = TestZips.provider(dir.resolve("p.zip"), "dummy", "1.0.0", "linux_amd64");
        meddling.deleteAfterPush.add(ZIP);

        // On the old code: NOT_FOUND "terraform-provider-dummy_1.0.0_linux_amd64.zip is no longer in boring-registry/…".
        assertThatThrownBy(() -> storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip)))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessage(ZIP + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored;"
                        + " the next request or run stores it again");
        assertThat(storage.archive(DUMMY, "1.0.0", "linux", "amd64")).isEmpty();

        StoredArchive stored = storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        assertThat(storage.hashes(stored)).isEqualTo(PackageHashes.of(zip));
    }

    @Test
    void anArchiveTagDeletedRightAfterTheStoreFoundItIsNotCalledMissing() throws Exception {
        Path zip = TestZips.provider(dir.resolve("p.zip"), "dummy", "1.0.0", "linux_amd64");
        storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        meddling.deleteAfterCheck.add(ZIP);

        // On the old code: NOT_FOUND "… is no longer in …", read for the hashes of the tag the push was refused for.
        assertThatThrownBy(() -> storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip)))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessageContaining("is not mirrored: its tag was deleted while it was stored");

        StoredArchive stored = storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        assertThat(storage.hashes(stored)).isEqualTo(PackageHashes.of(zip));
    }

    @Test
    void aSha256SumsOrSignatureTagDeletedWhileItWasStoredIsNotMirroredAndStoringItAgainStoresIt() throws Exception {
        byte[] sums = "sums\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = {1, 2, 3};
        meddling.deleteAfterPush.add(SUMS);

        // On the old code: no failure, and no SHA256SUMS stored.
        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessage(SUMS + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored;"
                        + " the next request or run stores it again");
        assertThat(store.exists(REPO, SUMS)).isFalse();

        // Another writer's signature there first, deleted before this push's refusal was read back.
        meddling.publishedMeanwhile.put(SIGNATURE, dev.wharf.oci.Artifact.single(dev.wharf.terraform.layout.MediaTypes.PROVIDER_ARTIFACT,
                dev.wharf.oci.Layer.file(dev.wharf.terraform.layout.MediaTypes.PROVIDER_SIGNATURE, SIGNATURE,
                        dev.wharf.oci.BlobSource.ofBytes(signature))));
        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessageStartingWith(SIGNATURE + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored");

        storage.storeSums(DUMMY, "1.0.0", sums, signature);
        assertThat(store.exists(REPO, SUMS)).isTrue();
        assertThat(store.exists(REPO, SIGNATURE)).isTrue();
    }

    /**
     * Another writer (a second replica) storing other SHA256SUMS for the same release at the same moment, its
     * push winning: refused, theirs left as it is, and nothing more stored; found there before the push, the same.
     */
    @Test
    void anotherWritersDifferentSumsForTheSameReleaseAreRefusedAndNotOverwritten() throws Exception {
        byte[] sums = "sums\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] theirs = "other sums\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = {1, 2, 3};
        meddling.wonByAnotherAfterPush.put(SUMS, dev.wharf.oci.Artifact.single(dev.wharf.terraform.layout.MediaTypes.PROVIDER_ARTIFACT,
                dev.wharf.oci.Layer.file(dev.wharf.terraform.layout.MediaTypes.PROVIDER_SHA256SUMS, SUMS,
                        dev.wharf.oci.BlobSource.ofBytes(theirs))));
        String refusal = SUMS + " of " + DUMMY + " is already mirrored with different content ("
                + dev.wharf.oci.Digest.sha256(theirs) + ", not " + dev.wharf.oci.Digest.sha256(sums) + "); it is never overwritten";

        // On the old code: no failure, ours taken as stored and theirs kept.
        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.CONFLICT))
                .hasMessage(refusal);
        assertThat(storedContent(SUMS)).isEqualTo(theirs);
        assertThat(store.exists(REPO, SIGNATURE)).isFalse();

        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature)).hasMessage(refusal);
        assertThat(storedContent(SUMS)).isEqualTo(theirs);
        assertThat(store.exists(REPO, SIGNATURE)).isFalse();

        storage.storeSums(DUMMY, "1.0.0", theirs, signature);
        assertThat(storedContent(SIGNATURE)).isEqualTo(signature);
    }

    private byte[] storedContent(String tag) throws Exception {
        dev.wharf.oci.Manifest manifest = store.resolve(REPO, tag).orElseThrow();
        try (java.io.InputStream in = store.openBlob(REPO, manifest.layers().get(0).digest())) {
            return in.readAllBytes();
        }
    }

    /**
     * The release's SHA256SUMS tag deleted while a pull stored it: had passed unseen, the archive served and
     * stored, and the sums then missing for good (a stored archive is never pulled again).
     */
    @Test
    void overTheNetworkMirrorAPulledReleaseWhoseSumsTagIsDeletedMeanwhileIsA503AndTheNextRequestStoresAll() throws Exception {
        // On the old code: 200, and the SHA256SUMS never stored, neither then nor by the next request.
        pullWhileATagIsDeleted(SUMS, SUMS + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored",
                () -> assertThat(storage.archive(DUMMY, "1.0.0", "linux", "amd64")).isEmpty());
        assertThat(store.exists(REPO, SUMS)).isTrue();
        assertThat(store.exists(REPO, SIGNATURE)).isTrue();
    }

    @Test
    void overTheNetworkMirrorAPulledArchiveWhoseTagIsDeletedMeanwhileIsA503AndTheNextRequestGetsIt() throws Exception {
        // On the old code: 404 "… is no longer in boring-registry/…": no such package, and the repository named to anyone.
        pullWhileATagIsDeleted(ZIP, "is not mirrored: its tag was deleted while it was stored", () -> { });
    }

    /**
     * Asks the network mirror for the archive of a release only the upstream has, {@code tag} deleted right
     * after the pull pushes it: a 503 saying {@code refusal} without naming the repository, then
     * {@code afterRefusal}'s checks, and the next request gets the archive.
     */
    private void pullWhileATagIsDeleted(String tag, String refusal, Runnable afterRefusal) throws Exception {
        try (StaticUpstream upstream = new StaticUpstream()) {
            Map<String, Path> zips = upstream.publish(dir.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
            try (WebServer server = mirrorServer(upstream)) {
                URI archive = archiveUri(server, ZIP);
                HttpClient http = HttpClient.newHttpClient();
                meddling.deleteAfterPush.add(tag);

                HttpResponse<String> first = http.send(HttpRequest.newBuilder(archive).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
                assertThat(first.body()).contains(refusal).doesNotContain(REPO);
                afterRefusal.run();

                HttpResponse<byte[]> second = http.send(HttpRequest.newBuilder(archive).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(second.statusCode()).isEqualTo(200);
                assertThat(second.body()).isEqualTo(Files.readAllBytes(zips.get("linux_amd64")));
            }
        }
    }

    /**
     * A release's SHA256SUMS stored by an earlier pull and deleted right after the next pull found it there
     * (a clean-up at that moment): had passed as stored, so the second platform's zip was stored and served
     * while the release lacked its SHA256SUMS.
     */
    @Test
    void overTheNetworkMirrorSumsDeletedRightAfterThePullFoundThemAreA503AndTheNextRequestStoresThem() throws Exception {
        try (StaticUpstream upstream = new StaticUpstream()) {
            Map<String, Path> zips = upstream.publish(dir.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64", "darwin_arm64"));
            try (WebServer server = mirrorServer(upstream)) {
                HttpClient http = HttpClient.newHttpClient();
                URI darwin = archiveUri(server, "terraform-provider-dummy_1.0.0_darwin_arm64.zip");
                assertThat(http.send(HttpRequest.newBuilder(archiveUri(server, ZIP)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode()).isEqualTo(200);
                meddling.deleteAfterCheck.add(SUMS);

                // On the old code: 200 with the zip, the release's SHA256SUMS gone.
                HttpResponse<String> first = http.send(HttpRequest.newBuilder(darwin).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
                assertThat(first.body()).contains(SUMS + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored;"
                        + " the next request or run stores it again").doesNotContain(REPO);
                assertThat(storage.archive(DUMMY, "1.0.0", "darwin", "arm64")).isEmpty();

                HttpResponse<byte[]> second = http.send(HttpRequest.newBuilder(darwin).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(second.statusCode()).isEqualTo(200);
                assertThat(second.body()).isEqualTo(Files.readAllBytes(zips.get("darwin_arm64")));
                assertThat(store.exists(REPO, SUMS)).isTrue();
            }
        }
    }

    /**
     * A pulled release whose SHA256SUMS and signature were deleted afterwards (an operator, a retention policy):
     * the next request for its archive serves the stored zip and stores them again from upstream, verified; while
     * the upstream's sums list another zip, they are not stored and the stored zip is still served.
     */
    @Test
    void overTheNetworkMirrorAReleaseThatLostItsSumsGetsThemAgainFromUpstreamWhenItsVersionIsNextListed() throws Exception {
        try (StaticUpstream upstream = new StaticUpstream()) {
            Map<String, Path> zips = upstream.publish(dir.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
            try (WebServer server = mirrorServer(upstream)) {
                HttpClient http = HttpClient.newHttpClient();
                URI archive = archiveUri(server, ZIP);
                assertThat(http.send(HttpRequest.newBuilder(archive).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                        .isEqualTo(200);
                byte[] sums = storedContent(SUMS);
                byte[] signature = storedContent(SIGNATURE);

                // Upstream now lists another zip under the same name: nothing is stored, the stored zip still served.
                upstream.publish(dir.resolve("changed"), "dummy", "1.0.0", List.of("linux_amd64"),
                        (zip, platform) -> TestZips.provider(zip, "dummy", "1.0.0", "darwin_arm64"));
                store.delete(REPO, SUMS);
                store.delete(REPO, SIGNATURE);
                // Terraform asks for {version}.json before any archive: that is where the mirror notices the missing sums.
                URI release = archiveUri(server, "1.0.0.json");
                assertThat(http.send(HttpRequest.newBuilder(release).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                        .isEqualTo(200);
                HttpResponse<byte[]> refused = http.send(HttpRequest.newBuilder(archive).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(refused.statusCode()).isEqualTo(200);
                assertThat(refused.body()).isEqualTo(Files.readAllBytes(zips.get("linux_amd64")));
                assertThat(store.exists(REPO, SUMS)).isFalse();
                assertThat(store.exists(REPO, SIGNATURE)).isFalse();

                upstream.publish(dir.resolve("again"), "dummy", "1.0.0", List.of("linux_amd64"));
                // On the old code: the zip served and the SHA256SUMS and signature missing for good.
                assertThat(http.send(HttpRequest.newBuilder(release).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                        .isEqualTo(200);
                HttpResponse<byte[]> next = http.send(HttpRequest.newBuilder(archive).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(next.statusCode()).isEqualTo(200);
                assertThat(next.body()).isEqualTo(Files.readAllBytes(zips.get("linux_amd64")));
                assertThat(store.exists(REPO, SUMS)).as("SHA256SUMS stored again").isTrue();
                assertThat(storedContent(SUMS)).isEqualTo(sums);
                assertThat(storedContent(SIGNATURE)).isEqualTo(signature);
            }
        }
    }

    /** The network mirror over {@link #storage}, pulling through from {@code upstream}. */
    private WebServer mirrorServer(StaticUpstream upstream) {
        MirrorService service = new MirrorService(storage, Optional.of(
                new PullThrough(upstream.client(), storage, dir.resolve("tmp"), new ZipInspector(ArchiveLimits.DEFAULT))));
        MirrorApi api = new MirrorApi(service, ClientAuthentication.open(), FileUrlSigner.withRandomKey(Duration.ofMinutes(5)));
        return WebServer.start(new ListenAddress("127.0.0.1", 0), Optional.empty(), api::register);
    }

    private static URI archiveUri(WebServer server, String fileName) {
        return URI.create(server.localUri() + MirrorApi.PREFIX + "registry.example.test/acme/dummy/" + fileName);
    }
}
