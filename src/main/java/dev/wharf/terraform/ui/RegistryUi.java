package dev.wharf.terraform.ui;

import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.ui.HtmlPages;
import dev.wharf.http.ui.PageSecurity;
import dev.wharf.http.ui.ReadableForms;
import dev.wharf.http.ui.ReadyPages;
import dev.wharf.http.ui.SameOriginPosts;
import dev.wharf.http.ui.SessionCookie;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.discovery.Checked;
import dev.wharf.terraform.discovery.ModuleCatalog;
import dev.wharf.terraform.discovery.ModuleDetail;
import dev.wharf.terraform.discovery.ModulePage;
import dev.wharf.terraform.discovery.ModuleQuery;
import dev.wharf.terraform.discovery.ProviderCatalog;
import dev.wharf.terraform.docs.ModuleDocs;
import dev.wharf.terraform.docs.ModuleDocumentation;
import dev.wharf.terraform.layout.LayoutException;
import dev.wharf.terraform.mirror.MirrorCatalog.MirroredHost;
import dev.wharf.terraform.mirror.MirrorCatalog;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleException;
import dev.wharf.terraform.provider.ProviderAddress;
import dev.wharf.terraform.provider.ProviderException;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.ProviderVersion;
import dev.wharf.terraform.provider.SigningKeys;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /ui/} on the API port: server-rendered pages over the same catalog and services as the
 * read API, with no script at all, so the Content-Security-Policy can forbid every script. Behind
 * {@link SignIn} whenever the API wants a token. Register after {@link dev.wharf.terraform.web.TerraformApi}.
 */
public final class RegistryUi {
    static final String CSP = PageSecurity.CSP;
    /** The sign-in form's address; its POST carries a token. */
    public static final String SIGN_IN = "/ui/sign-in";
    /** The session cookie the sign-in form sets: a credential, as an Authorization header is. */
    public static final SessionCookie SESSION_COOKIE = SignIn.SESSION;
    private static final int PAGE_SIZE = 50;

    private final ModuleCatalog modules;
    private final ProviderCatalog providerList;
    private final ProviderService providers;
    private final ModuleReadmes readmes;
    private final ModuleDocumentation documentation;
    private final Optional<MirrorCatalog> mirror;
    private final SignIn signIn;
    private final ReadyPages ready;
    private final Optional<OidcSignIn> oidc;
    private final byte[] stylesheet;
    private final byte[] icon;

    public RegistryUi(ModuleCatalog modules, ProviderCatalog providerList, ProviderService providers, ModuleReadmes readmes,
            ModuleDocumentation documentation, ClientAuthentication auth, Optional<MirrorCatalog> mirror, ReadyAnswers ready) {
        this.documentation = documentation;
        this.modules = modules;
        this.providerList = providerList;
        this.providers = providers;
        this.readmes = readmes;
        this.mirror = mirror;
        boolean oidcSignIn = OidcSignIn.usable(auth.oidc());
        this.signIn = new SignIn(auth, oidcSignIn);
        this.ready = new ReadyPages(ready, signIn.required(), signIn::signedInWithoutWaiting);
        this.oidc = oidcSignIn ? OidcSignIn.of(auth.oidc(), signIn)
                : Optional.empty();
        this.stylesheet = PageSecurity.asset(RegistryUi.class, "ui.css");
        this.icon = PageSecurity.asset(RegistryUi.class, "favicon.svg");
    }

    public void register(JavalinConfig cfg) {
        var r = cfg.routes;
        r.before("/ui", this::headers);
        r.before("/ui/*", this::headers);
        r.get("/ui/sign-in", ctx -> {
            if (!signIn.required()) {
                ctx.redirect("/ui/", io.javalin.http.HttpStatus.SEE_OTHER);
            } else {
                signIn.form(ctx, 200, SignIn.safeNext(ctx.queryParam("next")), Optional.empty());
            }
        });
        r.post(SIGN_IN, SameOriginPosts.only(ReadableForms.only(signIn::submit)));
        r.get(OidcSignIn.START, ctx -> oidc.ifPresentOrElse(o -> o.begin(ctx), () -> ctx.redirect("/ui/sign-in", io.javalin.http.HttpStatus.SEE_OTHER)));
        r.get(OidcSignIn.CALLBACK, ctx -> oidc.ifPresentOrElse(o -> o.callback(ctx), () -> ctx.redirect("/ui/sign-in", io.javalin.http.HttpStatus.SEE_OTHER)));
        r.post("/ui/sign-out", SameOriginPosts.only(signIn::signOut));
        // A browser pointed at the registry's address lands on the pages, not on the API's JSON 404;
        // Terraform never asks for "/" (discovery starts at /.well-known/terraform.json).
        r.get("/", ctx -> ctx.redirect("/ui/", io.javalin.http.HttpStatus.FOUND));
        r.get("/ui/", guarded(this::home));
        r.get("/ui/static/ui.css", guarded(ctx -> ready.send(ctx, "text/css; charset=utf-8", stylesheet, () -> true)));
        r.get("/ui/static/favicon.svg", guarded(ctx -> ready.send(ctx, "image/svg+xml", icon, () -> true)));
        // A namespace's modules are the home page filtered to it, the page its namespace links lead to.
        r.get("/ui/modules/{namespace}", guarded(ctx -> ctx.redirect("/ui/?namespace=" + Html.url(ctx.pathParam("namespace")),
                io.javalin.http.HttpStatus.FOUND)));
        r.get("/ui/modules/{namespace}/{name}/{provider}", guarded(ctx -> module(ctx, Optional.empty())));
        r.get("/ui/modules/{namespace}/{name}/{provider}/{version}", guarded(ctx -> module(ctx, Optional.of(ctx.pathParam("version")))));
        r.get("/ui/providers/{namespace}/{name}", guarded(this::provider));
        r.get("/ui/mirror", guarded(this::mirror));
        // Last, so every page above wins: a mistyped page is the UI's own 404 page, not the API's JSON.
        r.get("/ui/*", guarded(ctx -> problemHtml(ctx, 404, "There is no page at " + Html.isolated(ctx.path()) + ".")));
    }

    private void headers(Context ctx) {
        PageSecurity.headers(ctx, signIn.required());
    }

    /** Signed in, the page; otherwise off to the sign-in form, which leads back here. Protocol errors become an HTML page, not the API's JSON. */
    private Handler guarded(Handler page) {
        return ctx -> {
            if (!signIn.signedIn(ctx)) {
                if (SignIn.SESSION.value(ctx).isPresent()) {
                    // A refused session cookie is a failed check too, though it leads to the form, not to a 401.
                    ctx.attribute(CredentialThrottle.REFUSED_ATTRIBUTE, true);
                }
                String query = ctx.queryString();
                String next = SignIn.safeNext(ctx.path() + (query == null ? "" : "?" + query));
                // With an OIDC issuer, straight to it; its sign-in page is where people sign in.
                ctx.redirect((oidc.isPresent() ? OidcSignIn.START : "/ui/sign-in") + "?next=" + Html.url(next), io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            try {
                page.handle(ctx);
            } catch (ModuleException e) {
                problem(ctx, e.reason() == ModuleException.Reason.NOT_FOUND ? 404 : 400, Objects.toString(e.getMessage()));
            } catch (ProviderException e) {
                problem(ctx, e.reason() == ProviderException.Reason.NOT_FOUND ? 404 : e.reason() == ProviderException.Reason.BAD_REQUEST ? 400 : 502,
                        Objects.toString(e.getMessage()));
            } catch (LayoutException e) {
                problem(ctx, 400, Objects.toString(e.getMessage()));
            }
        };
    }

    /**
     * {@code message}, the registry's sentence, often quoting what was asked for (a module's name from the path): a
     * right-to-left override in that quote had turned the registry's words after it round ("is malformed" drawn
     * backwards), and a quote inside one finished string cannot be isolated, so such invisible characters show escaped.
     */
    private void problem(Context ctx, int status, String message) {
        problemHtml(ctx, status, Html.reason(message));
    }

    /** {@code message} is HTML already, with what the request or the publisher wrote isolated ({@link Html#isolated}). */
    private void problemHtml(Context ctx, int status, String message) {
        String title = status == 404 ? "Not found" : status == 400 ? "Bad request" : "Broken release";
        HtmlPages.send(ctx, status, Html.page(title, "<h1>" + title + "</h1>\n<p>" + message + "</p>\n<p><a href=\"/ui/\">Home</a></p>\n",
                true, signIn.required()));
    }

    private void home(Context ctx) {
        Optional<String> q = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> namespace = Optional.ofNullable(ctx.queryParam("namespace")).filter(s -> !s.isEmpty());
        int offset = offset(ctx.queryParam("offset"));
        Optional<String> unlisted = Optional.empty();
        Optional<ModulePage> page = Optional.empty();
        List<String> namespaces = List.of();
        List<ProviderAddress> found = List.of();
        java.util.function.BooleanSupplier current = () -> false;
        try {
            // Taken before the lists: a snapshot that changes meanwhile fails the check, never the other way round.
            Generation moduleSnapshot = modules.generation();
            Generation providerSnapshot = providerList.generation();
            current = () -> modules.isCurrent(moduleSnapshot) && providerList.isCurrent(providerSnapshot);
            page = Optional.of(modules.list(new ModuleQuery(namespace, Optional.empty(), Optional.empty(), q, false, offset, PAGE_SIZE)));
            List<ProviderAddress> all = providerList.list();
            found = all.stream().filter(p -> namespace.map(p.namespace()::equalsIgnoreCase).orElse(true))
                    .filter(p -> q.map(text -> matches(p, text)).orElse(true)).toList();
            namespaces = java.util.stream.Stream.concat(modules.namespaces().stream(), all.stream().map(ProviderAddress::namespace))
                    .distinct().sorted().toList();
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.UNSUPPORTED) {
                throw e;
            }
            unlisted = Optional.of("This registry's storage does not list its repositories, so modules and providers cannot be listed here;"
                    + " their pages are still at /ui/modules/NAMESPACE/NAME/PROVIDER and /ui/providers/NAMESPACE/NAME.");
        }
        HomePage home = new HomePage(q, namespace, namespaces, page, found, unlisted);
        String mirrorLink = mirror.isEmpty() ? "" : "<h2>Network mirror</h2>\n<p><a href=\"/ui/mirror\">Providers the network mirror holds</a></p>\n";
        ready.send(ctx, Html.page("Modules and providers", home.body() + mirrorLink, true, signIn.required()), current);
    }

    private void module(Context ctx, Optional<String> version) {
        ModuleAddress address = new ModuleAddress(ctx.pathParam("namespace"), ctx.pathParam("name"), ctx.pathParam("provider"));
        Checked<ModuleDetail> checked = modules.checkedDetail(address, version);
        ModuleDetail detail = checked.value();
        Optional<String> readme = Optional.empty();
        Optional<String> problem = Optional.empty();
        try {
            readme = readmes.html(address, detail.summary().version());
        } catch (ArchiveRefusedException | UncheckedIOException e) {
            problem = Optional.of("The README could not be read from this version's archive: " + e.getMessage());
        }
        ModuleView.Documentation docs = docs(address, detail.summary().version());
        String newest = detail.versions().get(0);
        ModuleView.Documentation newestDocs = newest.equals(detail.summary().version()) ? docs : docs(address, newest);
        List<ModuleDocs.Input> required = newestDocs.docs()
                .map(d -> d.root().inputs().stream().filter(ModuleDocs.Input::required).toList()).orElse(List.of());
        ModuleView view = new ModuleView(detail, host(ctx), readme, problem, docs, required);
        // A version's README and documentation never change; a page that could not read them is not kept.
        boolean complete = problem.isEmpty() && docs.docs().isPresent() && newestDocs.docs().isPresent();
        ready.send(ctx, Html.page(view.title(), view.body(), true, signIn.required()), () -> complete && checked.current().getAsBoolean());
    }

    private ModuleView.Documentation docs(ModuleAddress address, String version) {
        try {
            return new ModuleView.Documentation(Optional.of(documentation.of(address, version)), "");
        } catch (ArchiveRefusedException | UncheckedIOException e) {
            return new ModuleView.Documentation(Optional.empty(), "The documentation could not be read from this version's archive: " + e.getMessage());
        }
    }

    private void provider(Context ctx) {
        ProviderAddress address = new ProviderAddress(ctx.pathParam("namespace"), ctx.pathParam("name"));
        Stamped<List<ProviderVersion>> versions = providers.versions(address);
        Stamped<Optional<SigningKeys>> keys = providers.signingKeysStamped(address.namespace());
        ProviderView view = new ProviderView(address, versions.value(), keys.value(), host(ctx));
        ready.send(ctx, Html.page(address.toString(), view.body(), true, signIn.required()),
                () -> providers.isCurrent(address, versions.generation()) && providers.isCurrentSigningKeys(address.namespace(), keys.generation()));
    }

    private void mirror(Context ctx) {
        if (mirror.isEmpty()) {
            problem(ctx, 404, "This registry serves no provider network mirror (--network-mirror=false).");
            return;
        }
        List<MirroredHost> hosts = List.of();
        Optional<String> unlisted = Optional.empty();
        try {
            hosts = mirror.get().hosts();
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.UNSUPPORTED) {
                throw e;
            }
            unlisted = Optional.of("This registry's storage does not list its repositories, so the mirrored providers cannot be listed here;"
                    + " terraform still installs them through the mirror.");
        }
        HtmlPages.send(ctx, 200, Html.page("Network mirror", new MirrorView(hosts, host(ctx), unlisted).body(), true, signIn.required()));
    }

    private static boolean matches(ProviderAddress provider, String text) {
        String haystack = (provider.namespace() + " " + provider.name()).toLowerCase(Locale.ROOT);
        return java.util.Arrays.stream(text.toLowerCase(Locale.ROOT).split("\\s+")).allMatch(haystack::contains);
    }

    private static int offset(String value) {
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The host terraform would name in a source address: the one this page was asked on. */
    private static String host(Context ctx) {
        String host = ctx.host();
        return host == null || host.isBlank() ? "localhost" : host;
    }
}
