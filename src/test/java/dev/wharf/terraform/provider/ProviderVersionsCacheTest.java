package dev.wharf.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warm versions answer costs no manifest lookups, not even cached ones; an upload in this process shows at once. */
class ProviderVersionsCacheTest {
    private static final String REPOSITORY = "boring-registry/providers/acme/dummy";

    @TempDir
    Path dir;

    @Test
    void warmVersionsAnswerAsksTheStoreNothingAndAnUploadShowsAtOnce() {
        ImageLayoutStore layout = new ImageLayoutStore(dir);
        CachingArtifactStore store = new CachingArtifactStore(layout, Duration.ofHours(1));
        // Counted above the cache: even cached manifest lookups cost one per version per request.
        CountingStore counting = new CountingStore(store);
        ProviderService service = new ProviderService(counting, TerraformLayout.under("boring-registry"), new ObjectMapper());
        ProviderAddress dummy = new ProviderAddress("acme", "dummy");
        release(layout, "1.0.0");

        assertThat(service.versions(dummy).value()).extracting(ProviderVersion::version).containsExactly("1.0.0");
        int afterFirst = counting.resolves.get();
        for (int i = 0; i < 5; i++) {
            assertThat(service.versions(dummy).value()).extracting(ProviderVersion::version).containsExactly("1.0.0");
        }
        assertThat(counting.resolves.get()).isEqualTo(afterFirst);

        release(layout, "1.1.0");
        store.invalidate(REPOSITORY);
        assertThat(service.versions(dummy).value()).extracting(ProviderVersion::version).containsExactly("1.1.0", "1.0.0");
    }

    private static void release(ArtifactStore store, String version) {
        String prefix = "terraform-provider-dummy_" + version;
        for (String tag : List.of(prefix + "_linux_amd64.zip", prefix + "_SHA256SUMS", prefix + "_SHA256SUMS.sig")) {
            store.push(REPOSITORY, tag, Artifact.single("application/vnd.wharf.test",
                    Layer.file("application/octet-stream", tag, BlobSource.ofBytes(tag.getBytes(StandardCharsets.UTF_8)))), false);
        }
    }

    /** Counts manifest lookups on the way to the real store. */
    private static final class CountingStore extends ForwardingArtifactStore {
        final AtomicInteger resolves = new AtomicInteger();

        CountingStore(ArtifactStore delegate) {
            super(delegate);
        }

        @Override
        public List<String> listTags(String repository) {
            return delegate.listTags(repository);
        }

        @Override
        public Optional<Manifest> resolve(String repository, String reference) {
            resolves.incrementAndGet();
            return delegate.resolve(repository, reference);
        }

        /** One by one through {@link #resolve}, so that each lookup is counted. */
        @Override
        public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
            return references.stream().map(reference -> resolve(repository, reference)).toList();
        }
    }
}
