package dev.wharf.terraform.web;

import dev.wharf.http.NotModified;
import dev.wharf.http.RangeAnswer;
import dev.wharf.http.ResponseBodies;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderAddress;
import dev.wharf.terraform.provider.ProviderService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes that serve the files {@link FileUrls} hands out: module archives and provider release
 * files, streamed from storage or redirected to the storage's own URL. With authentication on, a
 * file URL is admitted by its signature, not by a token.
 */
final class FileRoutes {
    // The API's name: in the log these routes are the Terraform API, as they were before they had a class.
    private static final Logger LOG = LoggerFactory.getLogger(TerraformApi.class);

    private final ModuleService modules;
    private final ProviderService providers;
    private final ClientAuthentication auth;
    private final FileUrlSigner signer;
    private final boolean downloadProxy;

    FileRoutes(ModuleService modules, ProviderService providers, ClientAuthentication auth, FileUrlSigner signer,
            boolean downloadProxy) {
        this.modules = modules;
        this.providers = providers;
        this.auth = auth;
        this.signer = signer;
        this.downloadProxy = downloadProxy;
    }

    void register(RoutesConfig r) {
        r.get(FileUrls.FILES + "/modules/{namespace}/{name}/{provider}/{version}/{file}", this::moduleFile);
        r.head(FileUrls.FILES + "/modules/{namespace}/{name}/{provider}/{version}/{file}", this::moduleFile);
        r.get(FileUrls.FILES + "/providers/{namespace}/{name}/{file}", this::providerFile);
        r.head(FileUrls.FILES + "/providers/{namespace}/{name}/{file}", this::providerFile);
    }

    private void moduleFile(Context ctx) {
        if (!authorizedFile(ctx)) {
            return;
        }
        ModuleAddress module = RouteAddresses.module(ctx);
        StoredFile file = modules.archive(module, ctx.pathParam("version"));
        // The URL names the archive as boring-registry's download proxy does, by its object's name, and
        // there another name is an object that does not exist: not this version's archive under any name.
        if (!ctx.pathParam("file").equals(file.fileName())) {
            ErrorAnswers.error(ctx, 404, "module " + module + " " + ctx.pathParam("version") + " has no file '" + ctx.pathParam("file")
                    + "'; its archive is " + file.fileName());
            return;
        }
        serve(ctx, file, () -> modules.read(file), () -> modules.readsInParts(file), () -> modules.directUrl(file));
    }

    private void providerFile(Context ctx) {
        if (!authorizedFile(ctx)) {
            return;
        }
        ProviderAddress provider = RouteAddresses.provider(ctx);
        StoredFile file = providers.file(provider, ctx.pathParam("file"));
        serve(ctx, file, () -> providers.read(file), () -> providers.readsInParts(file), () -> providers.directUrl(file));
    }

    private boolean authorizedFile(Context ctx) {
        if (!auth.enabled()) {
            return true;
        }
        Optional<SignedUrlRefusal> refusal = SignedUrlRefusal.of(
                signer.check(ctx.path(), ctx.queryParam(FileUrlSigner.EXPIRES), ctx.queryParam(FileUrlSigner.SIGNATURE)),
                "ask the registry API for a fresh download URL");
        refusal.ifPresent(r -> ErrorAnswers.error(ctx, r.status(), r.message()));
        return refusal.isEmpty();
    }

    private void serve(Context ctx, StoredFile file, ResponseBodies.Body content, BooleanSupplier inParts,
            Supplier<Optional<URI>> direct) {
        if (!downloadProxy) {
            Optional<URI> redirect = direct.get();
            if (redirect.isPresent()) {
                ctx.redirect(redirect.get().toString(), io.javalin.http.HttpStatus.FOUND);
                return;
            }
        }
        // A cache in front revalidating its copy: the digest says it is current, nothing to read.
        if (NotModified.answered(ctx, file.layer().digest().toString(), null)) {
            return;
        }
        ctx.contentType(file.contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"" + file.fileName().replace("\"", "") + "\"");
        ctx.res().setContentLengthLong(file.layer().size());
        if (ctx.method() == HandlerType.HEAD) {
            ctx.status(200);
            // What the GET would say (ResponseBodies), a Range's part included, told by the store without
            // opening the blob: for a registry's, opening would start its download only to drop it.
            if (inParts.getAsBoolean()) {
                RangeAnswer.set(ctx, file.layer().size());
            }
            return;
        }
        try {
            ResponseBodies.send(ctx, content);
        } catch (IOException e) {
            // Nothing was sent: the storage failed (a failed digest, a registry gone) before the first byte.
            ErrorAnswers.failure(ctx, 502, "storage failed while reading the file", e.getMessage(), LOG);
        }
    }
}
