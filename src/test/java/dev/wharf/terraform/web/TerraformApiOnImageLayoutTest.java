package dev.wharf.terraform.web;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.layout.ImageLayoutStore;

class TerraformApiOnImageLayoutTest extends TerraformApiScenarios {
    @Override
    ArtifactStore newStore() {
        return new ImageLayoutStore(dir.resolve("data"));
    }
}
