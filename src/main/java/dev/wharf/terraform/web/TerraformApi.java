package dev.wharf.terraform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.AnonymousFailures;
import dev.wharf.http.CleanPath;
import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.GoRedirect;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestIds;
import dev.wharf.http.ShellErrors;
import dev.wharf.http.access.Access;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.LoginV1;
import dev.wharf.terraform.layout.LayoutException;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleException;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderAddress;
import dev.wharf.terraform.provider.ProviderException;
import dev.wharf.terraform.provider.ProviderPackage;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.ProviderVersion;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.EndpointNotFound;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge of the Terraform registry: discovery, the module and provider protocols, and the
 * file URLs they hand out ({@link FileRoutes} serves those). Protocol and storage failures become {@code {"errors":["…"]}} with a
 * status that says whose fault it is; no stack trace ever reaches a client.
 */
public final class TerraformApi {
    private static final Logger LOG = LoggerFactory.getLogger(TerraformApi.class);

    private final ModuleService modules;
    private final ProviderService providers;
    private final ClientAuthentication auth;
    private final Supplier<Optional<LoginV1>> login;
    private final FileUrlSigner signer;
    private final FileUrls urls;
    private final ProviderJson providerJson;
    private final FileRoutes files;
    private final ObjectMapper json;
    private final ReadyJson ready;

    public TerraformApi(ModuleService modules, ProviderService providers, StaticTokens tokens, FileUrlSigner signer,
            boolean downloadProxy, ObjectMapper json) {
        this(modules, providers, new ClientAuthentication(tokens::accepts, tokens.enabled(), Optional.empty()),
                Optional::empty, signer, downloadProxy, json, new ReadyAnswers(16L << 20));
    }

    /**
     * With OIDC as well as static tokens; {@code login}, when it has one, is advertised as
     * {@code login.v1} in discovery (an issuer down at start has not named its endpoints yet). The version lists and download answers are left in {@code ready}, for a server
     * that answers repeat requests from it.
     */
    public TerraformApi(ModuleService modules, ProviderService providers, ClientAuthentication auth, Supplier<Optional<LoginV1>> login,
            FileUrlSigner signer, boolean downloadProxy, ObjectMapper json, ReadyAnswers ready) {
        this.modules = modules;
        this.providers = providers;
        this.auth = auth;
        this.login = login;
        this.signer = signer;
        this.urls = new FileUrls(signer);
        this.providerJson = new ProviderJson(json, urls);
        this.files = new FileRoutes(modules, providers, auth, signer, downloadProxy);
        this.json = json;
        this.ready = new ReadyJson(ready, auth);
    }

    public void register(JavalinConfig cfg) {
        // Archives are already compressed, and gzip on the fly would make Content-Length lie.
        cfg.http.compressionStrategy = CompressionStrategy.NONE;
        // A known path asked with a method it does not take is 405 with Allow, as boring-registry's
        // router answers it, not 'no such endpoint'.
        cfg.http.prefer405over404 = true;
        ShellErrors.use(cfg, new ShellErrors.Form("application/json", ErrorAnswers::body));
        var r = cfg.routes;
        // boring-registry's http.ServeMux sends a path that is not clean (//, ., ..) to its clean form before any route.
        r.before(ctx -> CleanPath.redirectOf(ctx.method().name(), ctx.path(), ctx.queryString()).ifPresent(location -> {
            GoRedirect.moved(ctx, location);
            ctx.skipRemainingHandlers();
        }));
        r.get("/.well-known/terraform.json", ctx -> json(ctx, 200, discovery()));
        r.before("/v1/modules", this::requireToken);
        r.before("/v1/modules/*", this::requireToken);
        r.before("/v1/providers/*", this::requireToken);
        r.get("/v1/modules/{namespace}/{name}/{provider}/versions", this::moduleVersions);
        r.get("/v1/modules/{namespace}/{name}/{provider}/{version}/download", this::moduleDownload);
        // Before ModuleDiscoveryApi's .../{version}, which would read 'download' as a version.
        r.get("/v1/modules/{namespace}/{name}/{provider}/download", this::newestModuleDownload);
        r.get("/v1/providers/{namespace}/{name}/versions", this::providerVersions);
        r.get("/v1/providers/{namespace}/{name}/{version}/download/{os}/{arch}", this::providerDownload);
        files.register(r);
        r.exception(ModuleException.class, (e, ctx) -> error(ctx,
                e.reason() == ModuleException.Reason.NOT_FOUND ? 404 : 400, e.getMessage()));
        r.exception(ProviderException.class, (e, ctx) -> {
            switch (e.reason()) {
                case NOT_FOUND -> error(ctx, 404, e.getMessage());
                case BAD_REQUEST -> error(ctx, 400, e.getMessage());
                case BROKEN_RELEASE -> ErrorAnswers.failure(ctx, 502, "the provider release in storage is broken", e.getMessage(), LOG);
            }
        });
        // No route: the protocol's JSON, where Javalin's own answer would depend on Accept (a browser got its plain text).
        r.exception(EndpointNotFound.class, (e, ctx) -> error(ctx, 404, "no such endpoint: " + ctx.path()));
        r.exception(LayoutException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        r.exception(StorageException.class, (e, ctx) -> ErrorAnswers.storage(ctx, e, LOG));
        r.exception(Exception.class, (e, ctx) -> {
            String id = RequestIds.of(ctx);
            LOG.error("request {}: unexpected failure answering {} {}", id, ctx.method(), ctx.path(), e);
            error(ctx, 500, AnonymousFailures.sentence("internal error", id));
        });
        r.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + "; allowed: "
                + java.util.Objects.requireNonNullElse(ctx.res().getHeader("Allow"), "GET")));
        r.error(404, ctx -> {
            String type = ctx.res().getContentType();
            // JSON and HTML answers (the UI's pages) already say what was not found.
            if (type == null || !type.startsWith("application/json") && !type.startsWith("text/html")) {
                error(ctx, 404, "no such endpoint: " + ctx.path());
            }
        });
    }

    private ObjectNode discovery() {
        ObjectNode node = json.createObjectNode();
        node.put("modules.v1", "/v1/modules/");
        node.put("providers.v1", "/v1/providers/");
        login.get().ifPresent(l -> node.set("login.v1", json.valueToTree(l)));
        return node;
    }

    private void requireToken(Context ctx) {
        Optional<Access> refusal = auth.refusal(ctx.header("Authorization"));
        if (refusal.isPresent()) {
            CredentialThrottle.uncheckedIf(ctx, refusal.get());
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, 401, refusal.get().refusal());
            ctx.skipRemainingHandlers();
        }
    }

    private void moduleVersions(Context ctx) {
        ModuleAddress module = RouteAddresses.module(ctx);
        Stamped<List<String>> answer = modules.versions(module);
        ArrayNode versions = json.createArrayNode();
        answer.value().forEach(v -> versions.addObject().put("version", v));
        ObjectNode body = json.createObjectNode();
        ObjectNode entry = body.putArray("modules").addObject();
        // Renovate and Dependabot take changelog links from here, as GitLab's registry serves it.
        source(module, answer.value()).ifPresent(source -> entry.put("source", source));
        entry.set("versions", versions);
        ready.send(ctx, bytes(body), () -> modules.isCurrent(module, answer.generation()));
    }

    /** The newest version's source repository, when its manifest names one. */
    private Optional<String> source(ModuleAddress module, List<String> versions) {
        try {
            return modules.metadata(module, versions.get(0)).source();
        } catch (ModuleException e) {
            // The version went between the list and this read: the list still answers.
            return Optional.empty();
        }
    }

    private void moduleDownload(Context ctx) {
        ModuleAddress module = RouteAddresses.module(ctx);
        String version = ctx.pathParam("version");
        StoredFile file = modules.archive(module, version);
        ctx.header("X-Terraform-Get", urls.moduleArchive(module, version, file.fileName()));
        ctx.status(204);
    }

    /**
     * The public registry's "download the latest version": a redirect to the newest version's
     * download, relative so that it holds behind a proxy that serves the API under a path.
     */
    private void newestModuleDownload(Context ctx) {
        String newest = modules.versions(RouteAddresses.module(ctx)).value().get(0);
        ctx.redirect(newest + "/download", HttpStatus.FOUND);
    }

    private void providerVersions(Context ctx) {
        ProviderAddress provider = RouteAddresses.provider(ctx);
        Stamped<List<ProviderVersion>> answer = providers.versions(provider);
        ready.send(ctx, bytes(providerJson.versions(answer.value())), () -> providers.isCurrent(provider, answer.generation()));
    }

    private void providerDownload(Context ctx) {
        ProviderAddress provider = RouteAddresses.provider(ctx);
        String version = ctx.pathParam("version");
        String os = ctx.pathParam("os");
        String arch = ctx.pathParam("arch");
        Stamped<ProviderPackage> answer = providers.download(provider, version, os, arch);
        // Taken before the body signs its URLs: if the step moves meanwhile, the check below fails
        // at once and the router answers afresh, never the other way round.
        long urlExpiry = signer.expiry();
        ready.send(ctx, bytes(providerJson.download(provider, answer.value())),
                () -> signer.expiry() == urlExpiry && providers.isCurrent(provider, version, os, arch, answer.generation()));
    }

    private static void error(Context ctx, int status, String message) {
        ErrorAnswers.error(ctx, status, message);
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
