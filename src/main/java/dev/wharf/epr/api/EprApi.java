package dev.wharf.epr.api;

import static dev.wharf.epr.api.EprReplies.cache;
import static dev.wharf.epr.api.EprReplies.cacheHeaders;
import static dev.wharf.epr.api.EprReplies.error;
import static dev.wharf.epr.api.EprReplies.json;
import static dev.wharf.epr.api.EprReplies.stream;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerTiming;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.oci.BlobWaitingException;
import dev.wharf.epr.proxy.ProxyMode;
import dev.wharf.epr.search.BadQueryException;
import dev.wharf.epr.search.Filter;
import dev.wharf.epr.search.PackageSearch;
import dev.wharf.epr.search.GoQuery;
import dev.wharf.epr.search.QueryParser;
import dev.wharf.epr.search.SpecUnknownException;
import dev.wharf.epr.upstream.UpstreamException;
import dev.wharf.http.AnonymousFailures;
import dev.wharf.http.Readiness;
import dev.wharf.http.ReadyAnswer;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestIds;
import dev.wharf.http.ShellErrors;
import dev.wharf.oci.StorageException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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

    private final Indexer indexer;
    private final ApiSettings settings;
    private final QueryParser queries;
    private final byte[] indexBody;
    private final byte[] favicon = Favicon.load();
    private final IndexAnswers answers;
    private final ReadyAnswers ready;
    private final HealthReport health;
    private final IndexerTiming timing;
    private final @Nullable ProxyMode proxy;
    private final PackageRoutes packages;
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
        this(indexer, settings, clock, ready, timing, Readiness.readyNow(), null);
    }

    /**
     * With {@code readiness}: until it says ready (the first index is loaded) {@code /health?ready=true}
     * answers 503 and so does every route but {@code /health}, rather than an empty index. With
     * {@code -feature-proxy-mode}: answers joined with an upstream registry's ({@code proxy}), never
     * repeated from {@code ready}.
     */
    public EprApi(Indexer indexer, ApiSettings settings, Clock clock, ReadyAnswers ready, IndexerTiming timing, Readiness readiness,
            @Nullable ProxyMode proxy) {
        this.readiness = readiness;
        this.proxy = proxy;
        this.timing = timing;
        this.packages = new PackageRoutes(indexer, settings, timing, proxy == null ? null : new UpstreamAnswers(proxy, settings));
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
        // Go's server refuses such requests in plain text, the status alone, without a newline.
        ShellErrors.use(cfg, new ShellErrors.Form("text/plain; charset=utf-8", text -> text.getBytes(StandardCharsets.UTF_8)));
        cfg.routes.before(ctx -> {
            if (CleanPaths.redirected(ctx)) {
                ctx.skipRemainingHandlers();
            }
        });
        cfg.routes.before(this::untilIndexed);
        // EPR's routes: these five also answer with a trailing slash (gorilla's StrictSlash redirect).
        List<String> slashed = List.of("/index.json", "/health", "/favicon.ico", "/search", "/categories");
        List<String> routes = new ArrayList<>(List.of("/", "/package/*", "/epr/*"));
        for (String path : slashed) {
            routes.addAll(List.of(path, path + "/"));
        }
        // EPR's router adds this to every answer of its routes (its CORS middleware), errors and redirects
        // included, so a page in a browser may read the API; GoAnswers.pageNotFound takes it off again.
        for (String path : routes) {
            cfg.routes.before(path, ctx -> ctx.header(EprReplies.ALLOW_ANY_ORIGIN.name(), EprReplies.ALLOW_ANY_ORIGIN.value()));
            cfg.routes.before(path, ctx -> {
                if (OtherMethods.answered(ctx)) {
                    ctx.skipRemainingHandlers();
                }
            });
        }
        read(cfg, "/", ctx -> json(ctx, settings.cacheIndex(), indexBody));
        read(cfg, "/index.json", ctx -> json(ctx, settings.cacheIndex(), indexBody));
        read(cfg, "/health", ctx -> health.answer(ctx, false));
        read(cfg, "/favicon.ico", ctx -> {
            cache(ctx, settings.cacheCatchAll());
            ctx.contentType(Favicon.CONTENT_TYPE).result(favicon);
        });
        read(cfg, "/search", this::search);
        read(cfg, "/categories", this::categories);
        for (String path : slashed) {
            read(cfg, path + "/", ctx -> GoAnswers.moved(ctx, path));
        }
        read(cfg, "/package/<rest>", packages::packageRoute);
        read(cfg, "/epr/<rest>", packages::artifact);
        cfg.routes.error(404, ctx -> {
            if (ctx.attribute(GoAnswers.WRITTEN) == null) {
                GoAnswers.pageNotFound(ctx);
            }
        });
        cfg.routes.exception(UpstreamException.class, (e, ctx) -> {
            String id = RequestIds.of(ctx);
            LOG.error("request {}: proxy mode: {} {}: {}", id, ctx.method(), ctx.path(), e.getMessage());
            if (e.kind() == UpstreamException.Kind.REFUSED) {
                error(ctx, 502, "package refused: " + e.getMessage());
            } else {
                // EPR's own answer when its upstream fails.
                error(ctx, 500, "internal server error");
            }
        });
        cfg.routes.exception(StorageException.class, (e, ctx) -> {
            String id = RequestIds.of(ctx);
            LOG.warn("request {}: {} {}: {}", id, ctx.method(), ctx.path(), e.getMessage());
            if (e instanceof BlobWaitingException waiting) {
                ctx.header(Header.RETRY_AFTER, Long.toString(waiting.retryAfterSeconds()));
            }
            error(ctx, AnonymousFailures.status(e), AnonymousFailures.sentence(AnonymousFailures.generalTerms(e), id));
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            String id = RequestIds.of(ctx);
            LOG.error("request {}: {} failed", id, ctx.path(), e);
            error(ctx, 500, AnonymousFailures.sentence("internal server error", id));
        });
    }

    /** A route of EPR's: GET, HEAD (the server's HeadRoutes) and POST answered alike ({@link OtherMethods}). */
    private static void read(JavalinConfig cfg, String path, Handler handler) {
        cfg.routes.get(path, handler);
        cfg.routes.post(path, handler);
    }

    /** Marks an answer another part (the UI) wrote itself, so the API's 404 text does not replace it. */
    public static void answered(Context ctx) {
        ctx.attribute(GoAnswers.WRITTEN, Boolean.TRUE);
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
            filter = queries.search(GoQuery.parse(ctx.queryString()));
        } catch (BadQueryException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        try {
            search(ctx, filter);
        } catch (SpecUnknownException e) {
            // EPR's search handler words the indexer's error so.
            error(ctx, 404, "fetching package failed: " + e.getMessage());
        }
    }

    private void search(Context ctx, Filter filter) {
        if (proxy != null) {
            List<PackageDocument> local = PackageSearch.apply(indexer.packages(), filter).stream().map(PackageSearch.Match::document).toList();
            List<PackageDocument> merged = proxy.search(local, ctx.queryString(), filter.allVersions());
            json(ctx, settings.cacheSearch(), merged.isEmpty() ? "[]".getBytes(StandardCharsets.UTF_8)
                    : Json.pretty(merged.stream().map(PackageDocument::searchEntry).toList()));
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
        answer(ctx, settings.cacheSearch(), body, from);
    }

    private void categories(Context ctx) {
        Filter filter;
        boolean includePolicyTemplates;
        try {
            Map<String, List<String>> query = GoQuery.parse(ctx.queryString());
            filter = queries.categories(query);
            includePolicyTemplates = QueryParser.includePolicyTemplates(query);
        } catch (BadQueryException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        try {
            categories(ctx, filter, includePolicyTemplates);
        } catch (SpecUnknownException e) {
            error(ctx, 404, e.getMessage());
        }
    }

    private void categories(Context ctx, Filter filter, boolean withTemplates) {
        if (proxy != null) {
            json(ctx, settings.cacheCategories(), Json.pretty(proxy.categories(
                    PackageSearch.categories(PackageSearch.apply(indexer.packages(), filter), withTemplates), ctx.queryString())));
            return;
        }
        long begun = System.nanoTime();
        List<IndexedPackage> from = indexer.packages();
        byte[] body = answers.get("categories", ctx.queryString(),
                packages -> Json.pretty(PackageSearch.categories(PackageSearch.apply(packages, filter), withTemplates)));
        timing.got(System.nanoTime() - begun);
        answer(ctx, settings.cacheCategories(), body, from);
    }

    /** Answers, and a repeat of this request gets the same bytes and headers while the index is the one they came from. */
    private void answer(Context ctx, Duration cacheTime, byte[] body, List<IndexedPackage> from) {
        List<ReadyAnswer.Header> headers = new ArrayList<>(cacheHeaders(cacheTime));
        headers.add(EprReplies.ALLOW_ANY_ORIGIN);
        ReadyAnswer answer = ReadyAnswer.of(ctx.endpoint().path, "application/json", headers, body, true);
        answer.sendTo(ctx);
        ready.remember(ReadyAnswers.target(ctx), answer, header -> indexer.packages() == from);
    }
}
