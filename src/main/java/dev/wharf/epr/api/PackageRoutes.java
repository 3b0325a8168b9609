package dev.wharf.epr.api;

import static dev.wharf.epr.api.EprReplies.cache;
import static dev.wharf.epr.api.EprReplies.error;
import static dev.wharf.epr.api.EprReplies.json;
import static dev.wharf.epr.api.EprReplies.sniffed;
import static dev.wharf.epr.api.EprReplies.stream;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerTiming;
import dev.wharf.epr.index.Resource;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageNames;
import dev.wharf.epr.model.Versions;
import dev.wharf.epr.search.Filter;
import dev.wharf.epr.search.PackageSearch;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * EPR's routes for one package version: its info ({@code /package/{name}/{version}/}), its files
 * ({@code /package/{name}/{version}/{file}}), its zip and signature ({@code /epr/…/{name}-{version}.zip}
 * and {@code .zip.sig}), with EPR 1.40's path matching, redirects and error texts. In proxy mode a
 * version the index lacks is asked of the upstream ({@code upstream}).
 */
final class PackageRoutes {
    private final Indexer indexer;
    private final ApiSettings settings;
    private final IndexerTiming timing;
    private final @Nullable UpstreamAnswers upstreamAnswers;

    PackageRoutes(Indexer indexer, ApiSettings settings, IndexerTiming timing, @Nullable UpstreamAnswers upstream) {
        this.indexer = indexer;
        this.settings = settings;
        this.timing = timing;
        this.upstreamAnswers = upstream;
    }

    void packageRoute(Context ctx) throws IOException {
        String rest = ctx.pathParam("rest");
        int first = rest.indexOf('/');
        if (first <= 0) {
            GoAnswers.pageNotFound(ctx);
            return;
        }
        String name = rest.substring(0, first);
        int second = rest.indexOf('/', first + 1);
        String version = second < 0 ? rest.substring(first + 1) : rest.substring(first + 1, second);
        String file = second < 0 ? null : rest.substring(second + 1);
        boolean indexRoute = PackageNames.isValid(name);
        if (file == null || version.isEmpty()) {
            // Only EPR's package index route ({name:[a-z0-9_]+}/{version}/) takes the path without its slash, to redirect it.
            if (file == null && indexRoute && !version.isEmpty()) {
                GoAnswers.moved(ctx, ctx.path() + "/");
            } else {
                GoAnswers.pageNotFound(ctx);
            }
            return;
        }
        if (ctx.path().endsWith("/") && !(file.isEmpty() && indexRoute)) {
            // EPR's file route ({name}/{version}/{file:.*}) ends without a slash: gorilla sends the path there.
            GoAnswers.moved(ctx, ctx.path().substring(0, ctx.path().length() - 1));
            return;
        }
        if (!Versions.isStrictUnsigned(version)) {
            error(ctx, 400, "invalid package version");
            return;
        }
        Optional<IndexedPackage> p = find(name, version);
        if (p.isEmpty() && upstreamAnswers != null) {
            if (upstreamAnswers.answered(ctx, name, version, file, "package revision not found")) {
                return;
            }
            p = find(name, version);
        }
        if (p.isEmpty()) {
            error(ctx, 404, "package revision not found");
            return;
        }
        if (file.isEmpty()) {
            json(ctx, settings.cacheIndex(), Json.pretty(p.get().document()));
            return;
        }
        // EPR sets the cache headers before it looks for the file, and its 404 keeps them.
        cache(ctx, settings.cacheCatchAll());
        Optional<Resource> resource = p.get().content().file(file);
        if (resource.isEmpty()) {
            GoAnswers.httpError(ctx, 404, "resource not found");
            return;
        }
        EprReplies.inert(ctx);
        Optional<String> type = ContentTypes.of(file);
        if (type.isPresent()) {
            stream(ctx, type.get(), resource.get());
        } else {
            sniffed(ctx, resource.get());
        }
    }

    /** EPR's two routes as gorilla compiles them: {@code packageName} twice, the second one counts; a slash may follow. */
    private static final Pattern ARTIFACT = Pattern.compile("[^/]+/([a-z0-9_]+)-([^/]+)\\.zip(/?)");
    private static final Pattern SIGNATURE = Pattern.compile("[^/]+/([a-z0-9_]+)-([^/]+)\\.zip\\.sig(/?)");

    void artifact(Context ctx) throws IOException {
        String rest = ctx.pathParam("rest");
        Matcher m = ARTIFACT.matcher(rest);
        boolean signature = false;
        if (!m.matches()) {
            m = SIGNATURE.matcher(rest);
            signature = true;
            if (!m.matches()) {
                GoAnswers.pageNotFound(ctx);
                return;
            }
        }
        if (!m.group(3).isEmpty()) {
            GoAnswers.moved(ctx, ctx.path().substring(0, ctx.path().length() - 1));
            return;
        }
        String name = m.group(1);
        String version = m.group(2);
        if (!Versions.isStrictUnsigned(version)) {
            error(ctx, 400, "invalid package version");
            return;
        }
        Optional<IndexedPackage> p = find(name, version);
        if (p.isEmpty() && upstreamAnswers != null) {
            if (upstreamAnswers.answered(ctx, name, version, signature ? null : "", signature ? "signature file not found" : "artifact not found")) {
                return;
            }
            p = find(name, version);
        }
        if (p.isEmpty()) {
            error(ctx, 404, signature ? "signature file not found" : "artifact not found");
            return;
        }
        if (signature) {
            Optional<Resource> sig = p.get().content().signature();
            if (sig.isEmpty()) {
                error(ctx, 404, "signature file not found");
                return;
            }
            cache(ctx, settings.cacheCatchAll());
            stream(ctx, "application/pgp-signature", sig.get());
        } else {
            cache(ctx, settings.cacheCatchAll());
            stream(ctx, "application/zip", p.get().content().zip());
        }
    }

    /**
     * Whether one of EPR's routes takes {@code path} (its answer may still be a 404 for a package the
     * index lacks, or a redirect): every path the API's other routes are registered for, and under
     * {@code /package/} and {@code /epr/} the paths gorilla's patterns match, as the two handlers above
     * tell them apart.
     */
    static boolean isRoute(String path) {
        if (path.startsWith("/epr/")) {
            String rest = path.substring("/epr/".length());
            return ARTIFACT.matcher(rest).matches() || SIGNATURE.matcher(rest).matches();
        }
        if (!path.startsWith("/package/")) {
            return true;
        }
        String rest = path.substring("/package/".length());
        int first = rest.indexOf('/');
        if (first <= 0) {
            return false;
        }
        int second = rest.indexOf('/', first + 1);
        String version = second < 0 ? rest.substring(first + 1) : rest.substring(first + 1, second);
        // The file route takes any name and version; the index route, whose path may lack its slash, a package name only.
        return !version.isEmpty() && (second >= 0 || PackageNames.isValid(rest.substring(0, first)));
    }

    private Optional<IndexedPackage> find(String name, String version) {
        long begun = System.nanoTime();
        List<PackageSearch.Match> found = PackageSearch.apply(indexer.packages(), Filter.exact(name, version));
        timing.got(System.nanoTime() - begun);
        return found.stream().map(PackageSearch.Match::pkg).findFirst();
    }
}
