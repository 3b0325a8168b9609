package dev.wharf.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
        Stamped<ProviderPackage> first = service.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(first.value().signingKeys().gpgPublicKeys().get(0).keyId()).isEqualTo("ABCDEF0123456789");
        assertThat(service.download(dummy, "1.0.0", "linux", "amd64").generation()).isEqualTo(first.generation());

        keys("1111222233334444");
        store.invalidate(KEYS);
        Stamped<ProviderPackage> rotated = service.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(rotated.generation()).isNotEqualTo(first.generation());
        assertThat(rotated.value().signingKeys().gpgPublicKeys().get(0).keyId()).isEqualTo("1111222233334444");
        assertThat(service.isCurrent(dummy, "1.0.0", "linux", "amd64", first.generation())).isFalse();
        assertThat(service.isCurrent(dummy, "1.0.0", "linux", "amd64", rotated.generation())).isTrue();
    }

    @Test
    void aRemovedArchiveIsNotFoundAtOnceAfterTheCacheForgetsIt() {
        service.download(dummy, "1.0.0", "linux", "amd64");
        layout.delete(REPOSITORY, ZIP);
        store.invalidate(REPOSITORY);
        assertThatThrownBy(() -> service.download(dummy, "1.0.0", "linux", "amd64"))
                .isInstanceOf(ProviderException.class).hasMessageContaining("not available for linux_amd64");
    }

    /** The four lookups behind a download answer, counted where they reach storage. */
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger asked = new AtomicInteger();

    private ProviderService timedService() {
        ArtifactStore counted = new ForwardingArtifactStore(layout) {
            @Override
            public Optional<Manifest> resolve(String repository, String reference) {
                asked.incrementAndGet();
                return delegate.resolve(repository, reference);
            }

            @Override
            public List<String> listTags(String repository) {
                asked.incrementAndGet();
                return delegate.listTags(repository);
            }
        };
        CachingArtifactStore timed = new CachingArtifactStore(counted, Duration.ofSeconds(30), Duration.ofSeconds(30), nanos::get);
        return new ProviderService(timed, TerraformLayout.under("boring-registry"), new ObjectMapper());
    }

    @Test
    void isCurrentTellsFromMemoryWhetherAnAnswerStillHolds() {
        ProviderService timedService = timedService();
        Stamped<ProviderPackage> pkg = timedService.download(dummy, "1.0.0", "linux", "amd64");
        Stamped<List<ProviderVersion>> versions = timedService.versions(dummy);
        asked.set(0);

        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", pkg.generation())).isTrue();
        assertThat(timedService.isCurrent(dummy, versions.generation())).isTrue();
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "arm64", pkg.generation())).as("never asked for").isFalse();
        assertThat(timedService.isCurrent(dummy, Generation.NONE)).isFalse();
        assertThat(timedService.isCurrent(dummy, pkg.generation())).as("another answer's generation").isFalse();

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", pkg.generation())).isFalse();
        assertThat(timedService.isCurrent(dummy, versions.generation())).isFalse();
        assertThat(asked).as("the checks never asked the store").hasValue(0);
    }

    /** After the TTL the lookups are read again; with the same manifests the answer keeps its generation, and is current again. */
    @Test
    void readAgainWithTheSameContentTheAnswerKeepsItsGeneration() {
        ProviderService timedService = timedService();
        Stamped<ProviderPackage> pkg = timedService.download(dummy, "1.0.0", "linux", "amd64");
        Stamped<List<ProviderVersion>> versions = timedService.versions(dummy);
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        asked.set(0);

        Stamped<ProviderPackage> again = timedService.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(asked).as("the full answer read the four tags again").hasValue(4);
        assertThat(again.generation()).isEqualTo(pkg.generation());
        assertThat(again.value()).isSameAs(pkg.value());
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", pkg.generation())).isTrue();
        Stamped<List<ProviderVersion>> versionsAgain = timedService.versions(dummy);
        assertThat(versionsAgain.generation()).isEqualTo(versions.generation());
        assertThat(timedService.isCurrent(dummy, versions.generation())).isTrue();
    }

    /** After the TTL, with one of the four manifests changed (new signing keys): a new answer, the old one no longer current. */
    @Test
    void readAgainWithChangedContentTheAnswerGetsANewGeneration() {
        ProviderService timedService = timedService();
        Stamped<ProviderPackage> pkg = timedService.download(dummy, "1.0.0", "linux", "amd64");
        keys("1111222233334444");
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());

        Stamped<ProviderPackage> again = timedService.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(again.generation()).isNotEqualTo(pkg.generation());
        assertThat(again.value().signingKeys().gpgPublicKeys().get(0).keyId()).isEqualTo("1111222233334444");
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", again.generation())).isTrue();
        assertThat(timedService.isCurrent(dummy, "1.0.0", "linux", "amd64", pkg.generation())).isFalse();
    }

    @Test
    void withoutACachingStoreEveryAnswerIsBuiltAfresh() {
        ProviderService uncached = new ProviderService(layout, TerraformLayout.under("boring-registry"), new ObjectMapper());
        Stamped<ProviderPackage> first = uncached.download(dummy, "1.0.0", "linux", "amd64");
        Stamped<ProviderPackage> second = uncached.download(dummy, "1.0.0", "linux", "amd64");
        assertThat(second.value()).isNotSameAs(first.value()).isEqualTo(first.value());
        assertThat(uncached.isCurrent(dummy, "1.0.0", "linux", "amd64", second.generation())).isFalse();
    }
}
