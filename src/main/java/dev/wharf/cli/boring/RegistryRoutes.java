package dev.wharf.cli.boring;

import dev.wharf.http.access.PublishAudit;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;

/** The registry address's routes: Terraform's protocols, module discovery, publishing, the UI and the optional provider mirror. */
final class RegistryRoutes {
    private final TerraformApi api;
    private final ModuleDiscoveryApi discovery;
    private final PublishApi publish;
    private final RegistryUi ui;
    private final Optional<MirrorApi> mirror;
    private final OperationCounters operations;

    private RegistryRoutes(TerraformApi api, ModuleDiscoveryApi discovery, PublishApi publish, RegistryUi ui, Optional<MirrorApi> mirror,
                           OperationCounters operations) {
        this.api = api;
        this.discovery = discovery;
        this.publish = publish;
        this.ui = ui;
        this.mirror = mirror;
        this.operations = operations;
    }

    static RegistryRoutes assemble(TerraformServices terraform, ClientAccess access, boolean downloadProxy, ReadyAnswers ready,
                                   MirrorOptions mirrorOptions, long publishMaxBytes, MeterRegistry metrics, Logger log) {
        var served = terraform.served();
        var layout = terraform.layout();
        TerraformApi api = new TerraformApi(terraform.modules(), terraform.providers(), access.auth(), access.login(), access.signer(),
                downloadProxy, terraform.json(), ready);
        OperationCounters operations = new OperationCounters(metrics);
        Optional<MirrorService> mirrorService = mirrorOptions.build(served, layout, mirrorTempDir(), operations);
        RegistryUi ui = new RegistryUi(terraform.moduleCatalog(), new ProviderCatalog(served, layout, terraform.catalogTtl()), terraform.providers(),
                new ModuleReadmes(terraform.modules()), terraform.documentation(), access.auth(),
                mirrorService.map(m -> new MirrorCatalog(served, layout, m.storage(), terraform.catalogTtl())), ready);
        PublishApi publish = new PublishApi(access.auth(), new ModulePublication(served, layout),
                new ProviderUploader(served, layout, terraform.providers(), terraform.json(), mirrorOptions.archiveLimits.inspector(), log::info),
                new SigningKeyUploader(served, layout, terraform.providers(), terraform.json()), new PublishAudit(metrics), publishMaxBytes,
                terraform.json());
        return new RegistryRoutes(api, new ModuleDiscoveryApi(terraform.moduleCatalog(), terraform.documentation(), terraform.json(),
                access.auth(), ready),
                publish, ui, mirrorService.map(service -> new MirrorApi(service, access.auth(), access.signer())), operations);
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

    private static Path mirrorTempDir() {
        try {
            return Files.createTempDirectory("wharf-mirror-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the mirror", e);
        }
    }
}
