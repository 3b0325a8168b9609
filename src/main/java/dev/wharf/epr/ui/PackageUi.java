package dev.wharf.epr.ui;

import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.search.TextQuery;
import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.access.TokensFile;
import dev.wharf.http.ui.HtmlPages;
import dev.wharf.http.ui.HtmlText;
import dev.wharf.http.ui.NextPath;
import dev.wharf.http.ui.PageSecurity;
import dev.wharf.http.ui.ReadableForms;
import dev.wharf.http.ui.ReadyPages;
import dev.wharf.http.ui.SameOriginPosts;
import dev.wharf.http.ui.SessionCookie;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ui/} on package-registry's address: server-rendered pages over the in-memory index (the
 * packages, one package version, the index's health), with no script at all, so the
 * Content-Security-Policy forbids every script. Behind {@link UiSignIn} when a tokens file is set.
 * Register after {@link EprApi}, whose 404 and error answers it leaves to the API's routes.
 */
public final class PackageUi {
    static final String CSP = PageSecurity.CSP;
    /** The sign-in form's address; its POST carries a token. */
    public static final String SIGN_IN = "/ui/sign-in";
    private static final String SIGN_OUT = "/ui/sign-out";
    /** The session cookie the sign-in form sets: a credential, as an Authorization header is. */
    public static final SessionCookie SESSION_COOKIE = UiSignIn.SESSION;
    private static final Logger LOG = LoggerFactory.getLogger(PackageUi.class);

    private final Indexer indexer;
    private final PackageListing listing;
    private final PackageReadmes readmes = new PackageReadmes();
    private final UiSignIn signIn;
    private final ReadyPages ready;
    private final Clock clock;
    private final byte[] stylesheet = PageSecurity.asset(PackageUi.class, "ui.css");
    private final byte[] icon = PageSecurity.asset(PackageUi.class, "favicon.svg");

    /**
     * {@code tokens}: the {@code -auth-tokens-file}, when set; any of its unexpired tokens signs in.
     * {@code ready}: where the server keeps answers it repeats from memory (the API's too).
     */
    public PackageUi(Indexer indexer, Optional<TokensFile> tokens, Clock clock, ReadyAnswers ready) {
        this.indexer = indexer;
        this.listing = new PackageListing(indexer);
        this.signIn = new UiSignIn(tokens);
        this.ready = new ReadyPages(ready, signIn.required(), signIn::signedInWithoutWaiting);
        this.clock = clock;
    }

    public void register(JavalinConfig cfg) {
        var r = cfg.routes;
        r.before("/ui", this::headers);
        r.before("/ui/*", this::headers);
        r.before("/ui", this::otherMethods);
        r.before("/ui/*", this::otherMethods);
        r.get("/ui", ctx -> ctx.redirect(UiSignIn.ROOT, HttpStatus.MOVED_PERMANENTLY));
        r.get("/ui/sign-in", signIn::showForm);
        r.post(SIGN_IN, SameOriginPosts.only(ReadableForms.only(signIn::submit)));
        r.post(SIGN_OUT, SameOriginPosts.only(signIn::signOut));
        r.get("/ui/", guarded(this::packages));
        r.get("/ui/health", guarded(this::health));
        r.get("/ui/packages/{name}", guarded(this::newest));
        r.get("/ui/packages/{name}/{version}", guarded(this::pkg));
        r.get("/ui/static/ui.css", guarded(ctx -> ready.send(ctx, "text/css; charset=utf-8", stylesheet, () -> true)));
        r.get("/ui/static/favicon.svg", guarded(ctx -> ready.send(ctx, "image/svg+xml", icon, () -> true)));
        // Last, so every page above wins: a mistyped page is the UI's own 404 page, not the API's plain text.
        r.get("/ui/*", guarded(ctx -> problemHtml(ctx, 404, "Not found", "There is no page at " + UiPage.isolated(ctx.path()) + ".")));
    }

    private void headers(Context ctx) {
        PageSecurity.headers(ctx, signIn.required());
    }

    /**
     * An OPTIONS or a method no page takes, answered here for every /ui/ path alike: OPTIONS with 204 and
     * {@code Allow}, as the API answers its own routes but without the API's CORS header (no other site reads these
     * pages), any other with the UI's own 405 page. Both had fallen through to the API's Go-style 404, which
     * writes its two Cache-Control headers after this UI's own, so an answer carried three opinions on caching.
     */
    private void otherMethods(Context ctx) {
        String method = ctx.method().name();
        boolean form = ctx.path().equals(SIGN_IN) || ctx.path().equals(SIGN_OUT);
        if (method.equals("GET") || method.equals("HEAD") || form && method.equals("POST")) {
            return;
        }
        ctx.header("Allow", form ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS");
        if (method.equals("OPTIONS")) {
            EprApi.answered(ctx);
            ctx.status(HttpStatus.NO_CONTENT);
        } else {
            problem(ctx, 405, "Method not allowed", "This page is not asked for with " + method + ".");
        }
        ctx.skipRemainingHandlers();
    }

    /** Signed in, the page; otherwise off to the sign-in form, which leads back here. */
    private Handler guarded(Handler page) {
        return ctx -> {
            if (!signIn.signedIn(ctx)) {
                if (UiSignIn.SESSION.value(ctx).isPresent()) {
                    // A refused session cookie is a failed check too, though it leads to the form, not to a 401.
                    ctx.attribute(CredentialThrottle.REFUSED_ATTRIBUTE, true);
                }
                String query = ctx.queryString();
                String next = NextPath.within(ctx.path() + (query == null ? "" : "?" + query), UiSignIn.ROOT);
                ctx.redirect("/ui/sign-in?next=" + HtmlText.url(next), HttpStatus.SEE_OTHER);
                return;
            }
            page.handle(ctx);
        };
    }

    private void packages(Context ctx) {
        Optional<String> q = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> type = Optional.ofNullable(ctx.queryParam("type")).map(String::strip).filter(s -> !s.isEmpty());
        // Taken before the listing: an index that changes meanwhile fails the check, never the other way round.
        List<IndexedPackage> from = indexer.packages();
        PackagesPage page = new PackagesPage(q, type, listing.types(),
                listing.find(q.map(TextQuery::of).orElse(TextQuery.ANY), type.orElse(null)));
        ready.send(ctx, UiPage.page("Packages", page.body(), true, signIn.required()), () -> indexer.packages() == from);
    }

    /** A package without a version is its newest one, the version the list links to. */
    private void newest(Context ctx) {
        String name = ctx.pathParam("name");
        Optional<PackageListing.Entry> entry = listing.named(name);
        if (entry.isEmpty()) {
            problemHtml(ctx, 404, "Not found", "This registry has no package " + UiPage.isolated(name) + ".");
            return;
        }
        ctx.redirect(PackagesPage.link(entry.get().newest()), HttpStatus.FOUND);
    }

    private void pkg(Context ctx) {
        String name = ctx.pathParam("name");
        String version = ctx.pathParam("version");
        List<IndexedPackage> from = indexer.packages();
        Optional<PackageListing.Entry> entry = listing.named(name);
        Optional<IndexedPackage> shown = entry.flatMap(e -> e.versions().stream().filter(v -> v.versionText().equals(version)).findFirst());
        if (entry.isEmpty() || shown.isEmpty()) {
            problemHtml(ctx, 404, "Not found", "This registry has no package " + UiPage.isolated(name) + " " + UiPage.isolated(version) + ".");
            return;
        }
        PackageReadmes.Readme readme;
        boolean complete = true;
        try {
            readme = readmes.of(shown.get());
        } catch (UncheckedIOException e) {
            LOG.warn("the README of {} could not be read: {}", shown.get().key(), e.getMessage());
            readme = new PackageReadmes.Readme(Optional.empty(), Optional.of("The README could not be read just now; try again later."));
            complete = false;
        }
        PackagePage page = new PackagePage(shown.get(), entry.get().versions(), readme);
        // A page that could not read its README is not kept: the next visit tries again.
        boolean keep = complete;
        ready.send(ctx, UiPage.page(page.title(), page.body(), true, signIn.required()), () -> keep && indexer.packages() == from);
    }

    /** Rendered on every request: it shows how long ago things happened. */
    private void health(Context ctx) {
        HealthPage page = new HealthPage(indexer.health(), indexer.report(), indexer.kind(), clock.instant());
        HtmlPages.send(ctx, 200, UiPage.page("Index health", page.body(), true, signIn.required()));
    }

    private void problem(Context ctx, int status, String title, String message) {
        problemHtml(ctx, status, title, UiPage.text(message));
    }

    /**
     * {@code message} is HTML already: what the request named (a path, a package's name and version) isolated, so a
     * right-to-left override in it cannot turn the registry's words after it round.
     */
    private void problemHtml(Context ctx, int status, String title, String message) {
        EprApi.answered(ctx);
        HtmlPages.send(ctx, status, UiPage.page(title, "<h1>" + UiPage.text(title) + "</h1>\n<p>" + message
                + "</p>\n<p><a href=\"/ui/\">All packages</a></p>\n", true, signIn.required()));
    }
}
