package dev.wharf.epr.api;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.http.ReadyAnswer;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerTiming;
import dev.wharf.epr.index.Resource;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.Versions;
import dev.wharf.epr.search.BadQueryException;
import dev.wharf.epr.search.Filter;
import dev.wharf.epr.search.PackageSearch;
import dev.wharf.epr.search.QueryParser;
import dev.wharf.http.AnonymousFailures;
import dev.wharf.http.Readiness;
import dev.wharf.http.RequestIds;
import dev.wharf.http.ResponseBodies;
import dev.wharf.oci.StorageException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elastic Package Registry HTTP API over an {@link Indexer}: routes, status codes, error texts
 * and cache headers as EPR 1.40 has them, so Kibana's Fleet cannot tell the difference.
 */
public final class EprApi {
    /** The EPR release whose API this one follows; {@code /} reports it as EPR does its own. */
    public static final String EPR_API_VERSION = "1.40.1";

    private static final Logger LOG = LoggerFactory.getLogger(EprApi.class);
    private static final String ERROR_WRITTEN = "wharf.epr.error";
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9_]+");

    private final Indexer indexer;
    private final ApiSettings settings;
    private final QueryParser queries;
    private final byte[] indexBody;
    private final byte[] favicon = Favicon.load();
    private final IndexAnswers answers;
    private final ReadyAnswers ready;
    private final HealthReport health;
    private final IndexerTiming timing;
    private final Readiness readiness;

    public EprApi(Indexer indexer, ApiSettings settings, Clock clock) {
        this(indexer, settings, clock, new ReadyAnswers(16L << 20));
    }

    /** Leaves the {@code /search} and {@code /categories} answers in {@code ready}, for a server that repeats them from it. */
    public EprApi(Indexer indexer, ApiSettings settings, Clock clock, ReadyAnswers ready) {
        this(indexer, settings, clock, ready, IndexerTiming.NONE);
    }

    /** With every look-up in the index (search, categories, a package) timed to {@code timing}. */
    public EprApi(Indexer indexer, ApiSettings settings, Clock clock, ReadyAnswers ready, IndexerTiming timing) {
        this(indexer, settings, clock, ready, timing, Readiness.readyNow());
    }

    /**
     * With {@code readiness}: until it says ready (the first index is loaded) {@code /health?ready=true}
     * answers 503 and so does every route but {@code /health}, rather than an empty index.
     */
    public EprApi(Indexer indexer, ApiSettings settings, Clock clock, ReadyAnswers ready, IndexerTiming timing, Readiness readiness) {
        this.readiness = readiness;
        this.timing = timing;
        this.indexer = indexer;
        this.settings = settings;
        this.queries = new QueryParser(settings.allowUnknownQueryParameters());
        Map<String, String> index = new LinkedHashMap<>();
        index.put("service.name", "package-registry");
        index.put("service.version", EPR_API_VERSION);
        this.indexBody = Json.pretty(index);
        this.answers = new IndexAnswers(indexer);
        this.ready = ready;
        this.health = new HealthReport(indexer, clock, readiness);
    }

    public void register(JavalinConfig cfg) {
        cfg.router.ignoreTrailingSlashes = false;
        cfg.routes.before(this::untilIndexed);
        cfg.routes.get("/", ctx -> json(ctx, settings.cacheIndex(), indexBody));
        cfg.routes.get("/index.json", ctx -> json(ctx, settings.cacheIndex(), indexBody));
        cfg.routes.get("/health", ctx -> health.answer(ctx, false));
        cfg.routes.get("/favicon.ico", ctx -> {
            cache(ctx, settings.cacheCatchAll());
            ctx.contentType(Favicon.CONTENT_TYPE).result(favicon);
        });
        cfg.routes.get("/search", this::search);
        cfg.routes.get("/categories", this::categories);
        cfg.routes.get("/package/<rest>", this::packageRoute);
        cfg.routes.get("/epr/<rest>", this::artifact);
        cfg.routes.error(404, ctx -> {
            if (ctx.attribute(ERROR_WRITTEN) == null) {
                error(ctx, 404, "404 page not found");
            }
        });
        cfg.routes.exception(StorageException.class, (e, ctx) -> {
            String id = RequestIds.of(ctx);
            LOG.warn("request {}: {} {}: {}", id, ctx.method(), ctx.path(), e.getMessage());
            error(ctx, AnonymousFailures.status(e), AnonymousFailures.sentence(AnonymousFailures.generalTerms(e), id));
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            String id = RequestIds.of(ctx);
            LOG.error("request {}: {} failed", id, ctx.path(), e);
            error(ctx, 500, AnonymousFailures.sentence("internal server error", id));
        });
    }

    /**
     * {@code /health} in full, naming the source (registry and repository, or package paths) and its
     * error as raised: for the metrics address only, which anonymous clients are not meant to reach.
     */
    public void registerDetailedHealth(JavalinConfig cfg) {
        cfg.routes.get("/health", ctx -> health.answer(ctx, true));
    }

    private void untilIndexed(Context ctx) {
        if (readiness.state() == Readiness.State.STARTING && !ctx.path().equals("/health")) {
            ctx.header("Retry-After", "5");
            error(ctx, 503, "the package index is still loading; retry shortly");
            ctx.skipRemainingHandlers();
        }
    }

    private void search(Context ctx) {
        Filter filter;
        try {
            filter = queries.search(ctx.queryParamMap());
        } catch (BadQueryException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        long begun = System.nanoTime();
        List<IndexedPackage> from = indexer.packages();
        byte[] body = answers.get("search", ctx.queryString(), packages -> {
            List<PackageSearch.Match> matches = PackageSearch.apply(packages, filter);
            return matches.isEmpty()
                    ? "[]".getBytes(StandardCharsets.UTF_8)
                    : Json.pretty(matches.stream().map(m -> m.document().searchEntry()).toList());
        });
        timing.got(System.nanoTime() - begun);
        json(ctx, settings.cacheSearch(), body);
        remember(ctx, settings.cacheSearch(), body, from);
    }

    private void categories(Context ctx) {
        Filter filter;
        boolean includePolicyTemplates;
        try {
            filter = queries.categories(ctx.queryParamMap());
            includePolicyTemplates = QueryParser.includePolicyTemplates(ctx.queryParamMap());
        } catch (BadQueryException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        boolean withTemplates = includePolicyTemplates;
        long begun = System.nanoTime();
        List<IndexedPackage> from = indexer.packages();
        byte[] body = answers.get("categories", ctx.queryString(),
                packages -> Json.pretty(PackageSearch.categories(PackageSearch.apply(packages, filter), withTemplates)));
        timing.got(System.nanoTime() - begun);
        json(ctx, settings.cacheCategories(), body);
        remember(ctx, settings.cacheCategories(), body, from);
    }

    /** A repeat of this request gets the same bytes and headers while the index is the one they came from. */
    private void remember(Context ctx, Duration cacheTime, byte[] body, List<IndexedPackage> from) {
        ready.remember(ReadyAnswers.target(ctx), ReadyAnswer.of(ctx.endpoint().path, "application/json",
                cacheHeaders(cacheTime), body, true),
                header -> indexer.packages() == from);
    }

    private void packageRoute(Context ctx) throws IOException {
        String rest = ctx.pathParam("rest");
        int first = rest.indexOf('/');
        if (first <= 0) {
            error(ctx, 404, "404 page not found");
            return;
        }
        String name = rest.substring(0, first);
        int second = rest.indexOf('/', first + 1);
        String version = second < 0 ? rest.substring(first + 1) : rest.substring(first + 1, second);
        String file = second < 0 ? null : rest.substring(second + 1);
        if (file == null) {
            // gorilla's StrictSlash: /package/x/1.0.0 is redirected to /package/x/1.0.0/.
            ctx.redirect(ctx.path() + "/", io.javalin.http.HttpStatus.MOVED_PERMANENTLY);
            return;
        }
        if (file.isEmpty() && !PACKAGE_NAME.matcher(name).matches()) {
            error(ctx, 404, "404 page not found");
            return;
        }
        if (Versions.strict(version).isEmpty()) {
            error(ctx, 400, "invalid package version");
            return;
        }
        Optional<IndexedPackage> p = find(name, version);
        if (p.isEmpty()) {
            error(ctx, 404, "package revision not found");
            return;
        }
        if (file.isEmpty()) {
            json(ctx, settings.cacheIndex(), Json.pretty(p.get().document()));
            return;
        }
        Optional<Resource> resource = p.get().content().file(file);
        if (resource.isEmpty()) {
            error(ctx, 404, "resource not found");
            return;
        }
        cache(ctx, settings.cacheCatchAll());
        stream(ctx, ContentTypes.of(file), resource.get());
    }

    private static final Pattern ARTIFACT = Pattern.compile("([^/]+)/([a-z0-9_]+)-([^/]+?)\\.zip(\\.sig)?");

    private void artifact(Context ctx) throws IOException {
        Matcher m = ARTIFACT.matcher(ctx.pathParam("rest"));
        if (!m.matches() || !m.group(1).equals(m.group(2))) {
            error(ctx, 404, "404 page not found");
            return;
        }
        String name = m.group(2);
        String version = m.group(3);
        boolean signature = m.group(4) != null;
        if (Versions.strict(version).isEmpty()) {
            error(ctx, 400, "invalid package version");
            return;
        }
        Optional<IndexedPackage> p = find(name, version);
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

    private Optional<IndexedPackage> find(String name, String version) {
        long begun = System.nanoTime();
        List<PackageSearch.Match> found = PackageSearch.apply(indexer.packages(), Filter.exact(name, version));
        timing.got(System.nanoTime() - begun);
        return found.stream().map(PackageSearch.Match::pkg).findFirst();
    }

    private static void stream(Context ctx, String contentType, Resource resource) throws IOException {
        ctx.contentType(contentType);
        if (resource.size() >= 0) {
            ctx.res().setContentLengthLong(resource.size());
        }
        ctx.status(200);
        if (ctx.method().name().equals("HEAD")) {
            return;
        }
        Optional<Path> file = resource.file();
        if (file.isPresent()) {
            // A package zip: mapped, not copied through the heap in 8 KB pieces (bench/RESULTS.md, figure 2).
            ResponseBodies.sendFile(ctx, file.get());
            return;
        }
        OutputStream out = ctx.res().getOutputStream();
        resource.writeTo(out);
        out.flush();
    }

    private static void json(Context ctx, Duration cacheTime, byte[] body) {
        cache(ctx, cacheTime);
        ctx.contentType("application/json");
        ctx.result(body);
    }

    private static void cache(Context ctx, Duration cacheTime) {
        cacheHeaders(cacheTime).forEach(h -> ctx.res().addHeader(h.name(), h.value()));
    }

    /** Set on the first answer and on its ready repeats alike. */
    private static List<ReadyAnswer.Header> cacheHeaders(Duration cacheTime) {
        return List.of(new ReadyAnswer.Header("Cache-Control", "max-age=" + cacheTime.toSeconds()),
                new ReadyAnswer.Header("Cache-Control", "public"));
    }

    private static void noCache(Context ctx) {
        ctx.res().setHeader("Cache-Control", null);
        ctx.res().addHeader("Cache-Control", "max-age=0");
        ctx.res().addHeader("Cache-Control", "private, no-store");
    }

    /** Go's {@code http.Error}: plain text, the message and a newline, never cached. */
    private static void error(Context ctx, int status, String message) {
        ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
        noCache(ctx);
        ctx.status(status);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("text/plain; charset=utf-8");
        ctx.result(message + "\n");
    }
}
