package dev.wharf.cli;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.util.List;

/** The terraform scenarios on the embedded OCI image layout (no --storage-oci-registry). */
class BoringRegistryOnImageLayoutEndToEndTest extends BoringRegistryEndToEndScenarios {
    @Override
    List<String> storageArgs() {
        return List.of("--storage-oci-layout-dir", dir.resolve("data").toString());
    }

    @Override
    ArtifactStore openStore() {
        return new ImageLayoutStore(dir.resolve("data"));
    }
}
