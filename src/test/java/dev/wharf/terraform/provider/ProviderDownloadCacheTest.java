package dev.wharf.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download answer is reused while its four tags stay put, and rebuilt as soon as one of them changes. */
class ProviderDownloadCacheTest {
    private static final String REPOSITORY = "boring-registry/providers/acme/dummy";
    private static final String KEYS = "boring-registry/providers/acme";
    private static final String ZIP = "terraform-provider-dummy_1.0.0_linux_amd64.zip";

    @TempDir
    Path dir;

    private ImageLayoutStore layout;
    private CachingArtifactStore store;
    private ProviderService service;
    private final ProviderAddress dummy = new ProviderAddress("acme", "dummy");

    @BeforeEach
    void setUp() {
        layout = new ImageLayoutStore(dir);
        store = new CachingArtifactStore(layout, Duration.ofHours(1));
        service = new ProviderService(store, TerraformLayout.under("boring-registry"), new ObjectMapper());
        byte[] zip = "not really a zip".getBytes(StandardCharsets.UTF_8);
        push(REPOSITORY, ZIP, zip);
        push(REPOSITORY, "terraform-provider-dummy_1.0.0_SHA256SUMS", (Digest.sha256(zip).hex() + "  " + ZIP + "\n").getBytes(StandardCharsets.UTF_8));
        push(REPOSITORY, "terraform-provider-dummy_1.0.0_SHA256SUMS.sig", new byte[] {1, 2, 3});
        keys("ABCDEF0123456789");
    }

    private void push(String repository, String tag, byte[] content) {
        layout.push(repository, tag, Artifact.single("application/vnd.wharf.test",
                Layer.file("application/octet-stream", tag, BlobSource.ofBytes(content))), true);
    }

    private void keys(String keyId) {
        push(KEYS, TerraformLayout.SIGNING_KEYS_TAG, ("{\"gpg_public_keys\":[{\"key_id\":\"" + keyId
                + "\",\"ascii_armor\":\"-----BEGIN PGP PUBLIC KEY BLOCK-----\"}]}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSameAnswerWhileTheTagsStayAndANewOneWhenTheKeysChange() {
        ProviderPackage first = service.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(first.signingKeys().gpgPublicKeys().get(0).keyId()).isEqualTo("ABCDEF0123456789");
        assertThat(service.download(dummy, "1.0.0", "linux", "amd64")).isSameAs(first);

        keys("1111222233334444");
        store.invalidate(KEYS);
        ProviderPackage rotated = service.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(rotated).isNotSameAs(first);
        assertThat(rotated.signingKeys().gpgPublicKeys().get(0).keyId()).isEqualTo("1111222233334444");
    }

    @Test
    void aRemovedArchiveIsNotFoundAtOnceAfterTheCacheForgetsIt() {
        service.download(dummy, "1.0.0", "linux", "amd64");
        layout.delete(REPOSITORY, ZIP);
        store.invalidate(REPOSITORY);
        assertThatThrownBy(() -> service.download(dummy, "1.0.0", "linux", "amd64"))
                .isInstanceOf(ProviderException.class).hasMessageContaining("not available for linux_amd64");
    }

    @Test
    void isCurrentTellsFromMemoryWhetherAnAnswerStillHolds() {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        dev.wharf.oci.ArtifactStore counted = new dev.wharf.oci.ForwardingArtifactStore(layout) {
            @Override
            public java.util.Optional<dev.wharf.oci.Manifest> resolve(String repository, String reference) {
                asked.incrementAndGet();
                return delegate.resolve(repository, reference);
            }

            @Override
            public java.util.List<String> listTags(String repository) {
                asked.incrementAndGet();
                return delegate.listTags(repository);
            }
        };
        CachingArtifactStore timed = new CachingArtifactStore(counted, Duration.ofSeconds(30), Duration.ofSeconds(30), nanos::get);
        ProviderService timedService = new ProviderService(timed, TerraformLayout.under("boring-registry"), new ObjectMapper());
        ProviderPackage pkg = timedService.download(dummy, "1.0.0", "linux", "amd64");
        java.util.List<ProviderVersion> versions = timedService.versions(dummy);
        asked.set(0);

        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", pkg)).isTrue();
        assertThat(timedService.isCurrent(dummy, versions)).isTrue();
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "arm64", pkg)).as("never asked for").isFalse();
        assertThat(timedService.isCurrent(dummy, java.util.List.copyOf(new java.util.ArrayList<>(versions)))).isFalse();

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", pkg)).isFalse();
        assertThat(timedService.isCurrent(dummy, versions)).isFalse();
        assertThat(asked).as("the checks never asked the store").hasValue(0);

        ProviderPackage again = timedService.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(asked).as("the full answer did").hasPositiveValue();
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", again)).isTrue();
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", pkg)).isEqualTo(again == pkg);
    }

    @Test
    void withoutACachingStoreEveryAnswerIsBuiltAfresh() {
        ProviderService uncached = new ProviderService(layout, TerraformLayout.under("boring-registry"), new ObjectMapper());
        ProviderPackage first = uncached.download(dummy, "1.0.0", "linux", "amd64");
        ProviderPackage second = uncached.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(second).isNotSameAs(first).isEqualTo(first);
    }
}
