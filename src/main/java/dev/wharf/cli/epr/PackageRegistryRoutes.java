package dev.wharf.cli.epr;

import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.api.EprMetrics;
import dev.wharf.epr.proxy.ProxyMode;
import dev.wharf.epr.publish.PackageUploadApi;
import dev.wharf.epr.ui.PackageUi;
import dev.wharf.http.Readiness;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.access.TokensFile;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.Optional;

/** The API address's routes: EPR's API, the upload API when tokens are set, and the UI. */
record PackageRegistryRoutes(EprApi api, Optional<PackageUploadApi> upload, PackageUi ui) {

    /** {@code ready} keeps the answers (the API's and the UI's pages) served again from memory; {@code readiness} is what {@code /health?ready=true} says. */
    static PackageRegistryRoutes over(PackageSource source, ApiSettings settings, ReadyAnswers ready, Readiness readiness,
                                      EprMetrics metrics, Optional<ProxyMode> proxy, Optional<TokensFile> tokens) {
        EprApi api = new EprApi(source.indexer(), settings, Clock.systemUTC(), ready, metrics.watch(source.indexer()), readiness,
                proxy.orElse(null));
        return new PackageRegistryRoutes(api, source.upload(), new PackageUi(source.indexer(), tokens, Clock.systemUTC(), ready));
    }

    void register(JavalinConfig c) {
        api.register(c);
        upload.ifPresent(u -> u.register(c));
        ui.register(c);
    }
}
