package dev.wharf.epr.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.epr.TestPackages;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.TokenHash;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.layout.ImageLayoutStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tag deleted while a publish wrote it (an operator's clean-up running at the same moment): the
 * publish's read-back finds nothing under the tag, so nothing is published. That had been told as
 * "already published" (the API's 409, which the push client and a mirror take for "it is there"),
 * for a version no one could download; it is a failure to retry. The race is played by a store that
 * deletes the tag right after its push, under the read-back of {@link ExclusivePublishStore}.
 */
class TagDeletedDuringPublishTest {
    private static final String TAG = "gallery-2.0.0";

    @TempDir
    Path dir;

    /** Deletes every tag it has just pushed, as a concurrent deletion between the push and its read-back would. */
    private static final class DeletingAfterPush extends ForwardingArtifactStore {
        DeletingAfterPush(ArtifactStore delegate) {
            super(delegate);
        }

        @Override
        public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
            Manifest pushed = delegate.push(repository, tag, artifact, overwrite);
            delegate.delete(repository, tag);
            return pushed;
        }
    }

    private Path galleryZip() throws Exception {
        Path zip = dir.resolve(TAG + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), TAG, zip);
        return zip;
    }

    @Test
    void thePublisherSaysTheTagChangedNotThatItIsPublished() throws Exception {
        Path zip = galleryZip();
        try (ArtifactStore store = new ExclusivePublishStore(new DeletingAfterPush(new ImageLayoutStore(dir.resolve("layout"))))) {
            PackagePublisher publisher = new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true);

            // On the old code: an ExistsException ("lost to a concurrent push").
            assertThatThrownBy(() -> publisher.push(zip, w -> { }))
                    .isInstanceOfSatisfying(PackagePublisher.TagChangedException.class, e -> {
                        assertThat(e.getMessage()).contains(TAG, "was deleted while this push wrote it", "Publish it again");
                        assertThat(e.forClients()).contains(TAG, "deleted while this publish wrote it", "publish it again")
                                .doesNotContain(dir.toString());
                    });
            assertThat(store.exists(TestPackages.REPOSITORY, TAG)).isFalse();
        }
    }

    @Test
    void theUploadApiAnswersAFailureToRetryNotAlreadyPublished() throws Exception {
        Path zip = galleryZip();
        String token = TokenHash.newToken();
        Path tokens = dir.resolve("tokens.yml");
        Files.writeString(tokens, "tokens:\n  - name: ci\n    hash: \"" + TokenHash.of(token) + "\"\n    scopes: [\"publish:*\"]\n");
        try (ArtifactStore store = new ExclusivePublishStore(new DeletingAfterPush(new ImageLayoutStore(dir.resolve("layout"))))) {
            PackageUploadApi api = new PackageUploadApi(new TokensFile(tokens, Clock.systemUTC()),
                    new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true), () -> { },
                    new PublishAudit(new SimpleMeterRegistry()), 64L << 20);
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
                PackagePushClient.Outcome outcome = new PackagePushClient(server.localUri(), token, HttpClient.newHttpClient()).push(zip);

                // On the old code: EXISTS, from a 409 saying the tag "lost to a concurrent push".
                assertThat(outcome.kind()).as(outcome.detail()).isEqualTo(PackagePushClient.Outcome.Kind.REFUSED);
                assertThat(outcome.detail()).startsWith("HTTP 503: ")
                        .contains(TAG + " was deleted while this publish wrote it, so it is not published; publish it again")
                        .doesNotContain(dir.toString());
            }
            assertThat(store.exists(TestPackages.REPOSITORY, TAG)).isFalse();
        }
    }
}
