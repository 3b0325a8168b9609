package dev.wharf.terraform.mirror;

import static dev.wharf.terraform.mirror.MeddledMirrorStorage.DUMMY;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.REPO;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.SIGNATURE;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.SUMS;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.ZIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.web.FileUrlSigner;
import dev.wharf.terraform.web.MirrorApi;
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
 * The network mirror with pull-through while a release's tags are deleted (a clean-up at the same moment, an
 * operator, a retention policy): a tag deleted while a pull stores the release is a 503, a failure to retry, and the
 * next request stores it; a stored release that lost its SHA256SUMS or signature gets them again from upstream. The
 * storage's own cases are {@link MirrorTagDeletedTest}'s.
 */
class MirrorPullThroughTagDeletedTest {
    @TempDir
    Path dir;

    private MeddledMirrorStorage mirror;
    private TagDeletingStore meddling;
    private ArtifactStore store;
    private MirrorStorage storage;

    @BeforeEach
    void start() throws Exception {
        mirror = new MeddledMirrorStorage(dir);
        meddling = mirror.meddling;
        store = mirror.store;
        storage = mirror.storage;
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    private byte[] storedContent(String tag) throws Exception {
        return mirror.storedContent(tag);
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

    /**
     * A {@code {version}.json} answer that repairs a release's lost sums and lists the upstream's other platforms needs
     * the upstream's download answer and signed SHA256SUMS for both: it asks for them once.
     */
    @Test
    void overTheNetworkMirrorARepairAndTheListingOfTheUpstreamsPlatformsAskTheUpstreamOnce() throws Exception {
        try (StaticUpstream upstream = new StaticUpstream()) {
            upstream.publish(dir.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64", "darwin_arm64"));
            try (WebServer server = mirrorServer(upstream)) {
                HttpClient http = HttpClient.newHttpClient();
                assertThat(http.send(HttpRequest.newBuilder(archiveUri(server, ZIP)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode()).isEqualTo(200);
                store.delete(REPO, SUMS);
                store.delete(REPO, SIGNATURE);
                int before = upstream.server.requests().size();

                HttpResponse<String> listed = http.send(HttpRequest.newBuilder(archiveUri(server, "1.0.0.json")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
                assertThat(listed.body()).contains("darwin_arm64", "linux_amd64");
                assertThat(store.exists(REPO, SUMS)).as("SHA256SUMS stored again").isTrue();
                List<String> asked = upstream.server.requests().subList(before, upstream.server.requests().size());
                // On the old code: the download answer, SHA256SUMS and signature twice each.
                assertThat(asked).filteredOn(path -> path.contains("/download/")).hasSize(1);
                assertThat(asked).filteredOn(path -> path.endsWith("_SHA256SUMS")).hasSize(1);
                assertThat(asked).filteredOn(path -> path.endsWith("_SHA256SUMS.sig")).hasSize(1);
            }
        }
    }

    /**
     * The release's SHA256SUMS deleted after the pull stored (or found) them and before it stored the zip: had been
     * served as mirrored, 200, while the release lacked its sums until its {@code {version}.json} was next listed.
     */
    @Test
    void overTheNetworkMirrorSumsDeletedWhileThePullStoresTheZipAreStoredAgainBeforeItIsServed() throws Exception {
        try (StaticUpstream upstream = new StaticUpstream()) {
            Map<String, Path> zips = upstream.publish(dir.resolve("up"), "dummy", "1.0.0", List.of("linux_amd64"));
            try (WebServer server = mirrorServer(upstream)) {
                meddling.deleteOtherAfterPush.put(ZIP, SUMS);

                HttpResponse<byte[]> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(archiveUri(server, ZIP)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.body()).isEqualTo(Files.readAllBytes(zips.get("linux_amd64")));
                // On the old code: the zip served as mirrored and the release's SHA256SUMS gone.
                assertThat(store.exists(REPO, SUMS)).as("SHA256SUMS there when the zip is served").isTrue();
                assertThat(store.exists(REPO, SIGNATURE)).isTrue();
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
