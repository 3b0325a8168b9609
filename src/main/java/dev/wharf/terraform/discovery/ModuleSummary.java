package dev.wharf.terraform.discovery;

import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleMetadata;

/** One module at one version (the newest, in lists), as the discovery API lists it. */
public record ModuleSummary(ModuleAddress module, String version, ModuleMetadata metadata) {
    /** The registry API's id: {@code namespace/name/provider/version}. */
    public String id() {
        return module + "/" + version;
    }
}
