package dev.wharf.cli.boring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.CacheMetrics;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.terraform.discovery.ModuleCatalog;
import dev.wharf.terraform.docs.ModuleDocumentation;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.oci.ArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The Terraform services every route reads through, over the served store, with their caches (and
 * the storage stack's) reported as metrics. {@code catalogTtl} is how long the catalogs keep a list.
 */
record TerraformServices(ArtifactStore served, TerraformLayout layout, ObjectMapper json, Duration catalogTtl, ModuleService modules,
                         ProviderService providers, ModuleCatalog moduleCatalog, ModuleDocumentation documentation) {

    static TerraformServices over(StorageStack storage, TerraformLayout layout, GlobalOptions global, Duration catalogTtl, MeterRegistry metrics) {
        ObjectMapper json = new ObjectMapper();
        ModuleService modules = new ModuleService(storage.served(), layout, global.archiveFormat);
        ProviderService providers = new ProviderService(storage.served(), layout, json);
        ModuleDocumentation documentation = new ModuleDocumentation(modules, ArchiveLimits.DEFAULT);
        CacheMetrics.bindTo(metrics, storage.cached().caches());
        CacheMetrics.bindTo(metrics, modules.caches());
        CacheMetrics.bindTo(metrics, providers.caches());
        CacheMetrics.bindTo(metrics, documentation.caches());
        return new TerraformServices(storage.served(), layout, json, catalogTtl, modules, providers,
                new ModuleCatalog(storage.served(), layout, modules, catalogTtl), documentation);
    }
}
