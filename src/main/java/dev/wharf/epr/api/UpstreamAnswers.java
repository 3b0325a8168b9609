package dev.wharf.epr.api;

import static dev.wharf.epr.api.EprReplies.cache;
import static dev.wharf.epr.api.EprReplies.error;
import static dev.wharf.epr.api.EprReplies.json;

import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.proxy.ProxyMode;
import io.javalin.http.Context;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The package routes' answers, in proxy mode, for a version this registry does not hold. */
final class UpstreamAnswers {
    private final ProxyMode proxy;
    private final ApiSettings settings;

    UpstreamAnswers(ProxyMode proxy, ApiSettings settings) {
        this.proxy = proxy;
        this.settings = settings;
    }

    /**
     * A version this registry lacks, in proxy mode: with pull-through it is copied in and false
     * returned (the caller looks again and serves it); otherwise the upstream's package answer, or
     * a redirect to the upstream's file as EPR sends one. {@code file}: empty for the package
     * answer (or the zip, on the artifact route), null for a signature, else the file's path.
     */
    boolean answered(Context ctx, String name, String version, @Nullable String file, String notFound) {
        ProxyMode mode = proxy;
        if (mode.pullThrough().isPresent()) {
            if (!mode.pullThrough().get().fetch(name, version)) {
                error(ctx, 404, notFound);
                return true;
            }
            return false;
        }
        Optional<PackageDocument> remote = mode.remotePackage(name, version);
        if (remote.isEmpty()) {
            error(ctx, 404, notFound);
            return true;
        }
        boolean artifactRoute = ctx.path().startsWith("/epr/");
        if (!artifactRoute && file != null && file.isEmpty()) {
            json(ctx, settings.cacheIndex(), Json.pretty(remote.get()));
            return true;
        }
        cache(ctx, settings.cacheCatchAll());
        java.net.URI target = artifactRoute ? mode.artifact(name, version, file == null) : mode.file(name, version, java.util.Objects.requireNonNull(file));
        GoAnswers.redirect(ctx, target.toString());
        return true;
    }

}
