package dev.wharf.cli.boring;

import dev.wharf.http.access.PublishAudit;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.terraform.discovery.ProviderCatalog;
import dev.wharf.terraform.mirror.MirrorCatalog;
import dev.wharf.terraform.mirror.MirrorService;
import dev.wharf.terraform.publish.PublishApi;
import dev.wharf.terraform.ui.ModuleReadmes;
import dev.wharf.terraform.ui.RegistryUi;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.web.MirrorApi;
import dev.wharf.terraform.web.ModuleDiscoveryApi;
import dev.wharf.terraform.web.OperationCounters;
import dev.wharf.terraform.web.TerraformApi;
import dev.wharf.http.ReadyAnswers;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;

/** The registry address's routes: Terraform's protocols, module discovery, publishing, the UI and the optional provider mirror. */
final class RegistryRoutes implements AutoCloseable {
    private final TerraformApi api;
    private final ModuleDiscoveryApi discovery;
    private final PublishApi publish;
    private final RegistryUi ui;
    private final Optional<MirrorApi> mirror;
    private final OperationCounters operations;
    private final Optional<ScratchFolder> mirrorScratch;

    private RegistryRoutes(TerraformApi api, ModuleDiscoveryApi discovery, PublishApi publish, RegistryUi ui, Optional<MirrorApi> mirror,
                           OperationCounters operations, Optional<ScratchFolder> mirrorScratch) {
        this.api = api;
        this.discovery = discovery;
        this.publish = publish;
        this.ui = ui;
        this.mirror = mirror;
        this.operations = operations;
        this.mirrorScratch = mirrorScratch;
    }

    static RegistryRoutes assemble(TerraformServices terraform, ClientAccess access, boolean downloadProxy, ReadyAnswers ready,
                                   MirrorOptions mirrorOptions, long publishMaxBytes, MeterRegistry metrics, Logger log) {
        var served = terraform.served();
        var layout = terraform.layout();
        TerraformApi api = new TerraformApi(terraform.modules(), terraform.providers(), access.auth(), access.login(), access.signer(),
                downloadProxy, terraform.json(), ready);
        OperationCounters operations = new OperationCounters(metrics);
        // The mirror's downloads in flight (pull-through) and archives being hashed; none without the mirror.
        Optional<ScratchFolder> mirrorScratch = mirrorOptions.enabled() ? Optional.of(ScratchFolder.create("wharf-mirror-")) : Optional.empty();
        Optional<MirrorService> mirrorService;
        try {
            mirrorService = mirrorScratch.flatMap(scratch -> mirrorOptions.build(served, layout, scratch.path(), operations));
        } catch (RuntimeException e) {
            mirrorScratch.ifPresent(ScratchFolder::close);  // an unreadable --upstream-ca-file, say
            throw e;
        }
        RegistryUi ui = new RegistryUi(terraform.moduleCatalog(), new ProviderCatalog(served, layout, terraform.catalogTtl()), terraform.providers(),
                new ModuleReadmes(terraform.modules()), terraform.documentation(), access.auth(),
                mirrorService.map(m -> new MirrorCatalog(served, layout, m.storage(), terraform.catalogTtl())), ready);
        PublishApi publish = new PublishApi(access.auth(), new ModulePublication(served, layout),
                new ProviderUploader(served, layout, terraform.providers(), terraform.json(), mirrorOptions.archiveLimits.inspector(), log::info),
                new SigningKeyUploader(served, layout, terraform.providers(), terraform.json()), new PublishAudit(metrics), publishMaxBytes,
                terraform.json());
        return new RegistryRoutes(api, new ModuleDiscoveryApi(terraform.moduleCatalog(), terraform.documentation(), terraform.json(),
                access.auth(), ready),
                publish, ui, mirrorService.map(service -> new MirrorApi(service, access.auth(), access.signer())), operations, mirrorScratch);
    }

    void register(JavalinConfig cfg) {
        api.register(cfg);
        discovery.register(cfg);
        publish.register(cfg);
        ui.register(cfg);
        mirror.ifPresent(m -> m.register(cfg));
    }

    /** Counts of what the routes were asked for, told of every exchange. */
    OperationCounters operations() {
        return operations;
    }

    boolean servesMirror() {
        return mirror.isPresent();
    }

    /** Removes the mirror's scratch folder, once no request uses it: the server has stopped. */
    @Override
    public void close() {
        mirrorScratch.ifPresent(ScratchFolder::close);
    }
}
