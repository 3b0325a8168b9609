package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.Overlaps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror's page view over the embedded layout: providers' tag lists read a few at a time, hosts and providers in order. */
class MirrorCatalogTest {
    private static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");
    private static final int PROVIDERS = 12;

    @TempDir
    Path temp;
    private ImageLayoutStore layout;

    @BeforeEach
    void seed() throws Exception {
        layout = new ImageLayoutStore(temp.resolve("oci"));
        MirrorStorage storage = new MirrorStorage(layout, LAYOUT, temp.resolve("tmp"));
        for (int i = 0; i < PROVIDERS; i++) {
            String host = i % 2 == 0 ? "registry.terraform.io" : "registry.example.test";
            String type = "p%02d".formatted(i);
            Path zip = TestZips.provider(temp.resolve(type + ".zip"), type, "1.0.0", type);
            storage.storeArchive(new MirrorCoordinates(host, "acme", type), "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        }
        Path zip = TestZips.provider(temp.resolve("p00-2.zip"), "p00", "2.0.0", "p00");
        storage.storeArchive(new MirrorCoordinates("registry.terraform.io", "acme", "p00"), "2.0.0", "darwin", "arm64", zip, PackageHashes.of(zip));
    }

    @AfterEach
    void close() {
        layout.close();
    }

    @Test
    void theProvidersAreListedSeveralAtATimeAndShownByHostInOrder() {
        Overlaps fourInFlight = new Overlaps(4);
        MirrorCatalog catalog = catalog(repository -> fourInFlight.arrive());

        List<MirrorCatalog.MirroredHost> hosts = catalog.hosts();

        assertThat(fourInFlight.allOverlapped()).as("every listing overlapped three others").isTrue();
        assertThat(hosts).extracting(MirrorCatalog.MirroredHost::hostname).containsExactly("registry.example.test", "registry.terraform.io");
        assertThat(hosts.get(1).providers()).extracting(p -> p.provider().type()).containsExactly("p00", "p02", "p04", "p06", "p08", "p10");
        assertThat(hosts.get(1).providers().get(0).versions()).containsExactly(
                new MirrorCatalog.MirroredVersion("2.0.0", List.of("darwin_arm64")), new MirrorCatalog.MirroredVersion("1.0.0", List.of("linux_amd64")));
    }

    @Test
    void aListingThatFailsFailsThePageRatherThanLeavingItsProviderOut() {
        MirrorCatalog catalog = catalog(repository -> {
            if (repository.endsWith("/p07")) {
                throw new StorageException(StorageException.Kind.UNREACHABLE, "registry went away");
            }
        });
        assertThatThrownBy(catalog::hosts).isInstanceOf(StorageException.class).hasMessage("registry went away");
    }

    private MirrorCatalog catalog(Consumer<String> beforeListing) {
        ForwardingArtifactStore store = new ForwardingArtifactStore(layout) {
            @Override
            public List<String> listTags(String repository) {
                beforeListing.accept(repository);
                return super.listTags(repository);
            }
        };
        return new MirrorCatalog(store, LAYOUT, new MirrorStorage(store, LAYOUT, temp.resolve("tmp")), Duration.ofMinutes(1));
    }
}
