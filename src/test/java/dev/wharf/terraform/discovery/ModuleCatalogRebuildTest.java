package dev.wharf.terraform.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.testing.Overlaps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's build over the embedded layout: every module's tags listed a few at a time, and a listing that fails fails the build. */
class ModuleCatalogRebuildTest {
    private static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");
    private static final int MODULES = 24;

    @TempDir
    Path dir;
    private ImageLayoutStore layout;

    @BeforeEach
    void seed() {
        layout = new ImageLayoutStore(dir.resolve("data"));
        for (int i = 0; i < MODULES; i++) {
            push("team", "m%02d".formatted(i), "1.0.0");
        }
        // A repository under the modules prefix without a version tag: not a module, left out.
        layout.push(LAYOUT.moduleRepository("team", "foreign", "aws"), "latest",
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "module.tar.gz", BlobSource.ofBytes(new byte[] {1}))),
                        StandardAnnotations.of("foreign", "latest", Instant.parse("2026-11-02T10:00:00Z"))), false);
    }

    @AfterEach
    void close() {
        layout.close();
    }

    @Test
    void theTagListsOfARebuildAreInFlightSeveralAtATimeAndTheListKeepsItsOrder() {
        Overlaps fourInFlight = new Overlaps(4);
        ListingStore store = new ListingStore(layout, repository -> fourInFlight.arrive());
        ModuleCatalog catalog = new ModuleCatalog(store, LAYOUT, new ModuleService(store, LAYOUT), Duration.ofMinutes(1));

        ModulePage page = catalog.list(new ModuleQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, 0, 100));

        assertThat(fourInFlight.allOverlapped()).as("every listing overlapped three others").isTrue();
        assertThat(store.listings.get()).isEqualTo(MODULES + 1);
        assertThat(page.modules()).extracting(s -> s.module().name())
                .containsExactlyElementsOf(IntStream.range(0, MODULES).mapToObj("m%02d"::formatted).toList());
    }

    @Test
    void aListingThatFailsFailsTheBuildRatherThanLeavingItsModuleOut() {
        ListingStore store = new ListingStore(layout, repository -> {
            if (repository.endsWith("/m17/aws")) {
                throw new StorageException(StorageException.Kind.UNREACHABLE, "registry went away");
            }
        });
        ModuleCatalog catalog = new ModuleCatalog(store, LAYOUT, new ModuleService(store, LAYOUT), Duration.ofMinutes(1));

        assertThatThrownBy(() -> catalog.list(new ModuleQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, 0, 100)))
                .isInstanceOf(StorageException.class).hasMessage("registry went away");
    }

    private void push(String namespace, String name, String version) {
        layout.push(LAYOUT.moduleRepository(namespace, name, "aws"), LAYOUT.moduleTag(namespace, name, "aws", version),
                new Artifact(MediaTypes.MODULE_ARTIFACT,
                        List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "module.tar.gz", BlobSource.ofBytes(name.getBytes(StandardCharsets.UTF_8)))),
                        StandardAnnotations.of(name, version, Instant.parse("2026-11-02T10:00:00Z"))), false);
    }

    /** The embedded layout, with something done before each tag listing the module service asks for. */
    private static final class ListingStore extends ForwardingArtifactStore {
        private final java.util.function.Consumer<String> beforeListing;
        private final AtomicInteger listings = new AtomicInteger();

        ListingStore(ImageLayoutStore layout, java.util.function.Consumer<String> beforeListing) {
            super(layout);
            this.beforeListing = beforeListing;
        }

        @Override
        public Stamped<List<String>> listTagsStamped(String repository) {
            listings.incrementAndGet();
            beforeListing.accept(repository);
            return super.listTagsStamped(repository);
        }
    }
}
