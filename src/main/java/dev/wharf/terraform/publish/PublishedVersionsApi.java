package dev.wharf.terraform.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.access.Access;
import dev.wharf.http.access.Caller;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.web.ErrorAnswers;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/modules/{namespace}/{name}/{provider}/versions}: the versions stored of a
 * module, read from storage as a publish would, for {@code upload module --server} to check a whole
 * tree before it publishes any module. A token that may publish the module may ask, not only one
 * that may read: a CI token is often publish-only, and it learns no more here than a refused PUT
 * would tell it. The module registry protocol's versions list is not used for this: it answers
 * readers only, and from the index, which may not hold a version published moments ago.
 */
final class PublishedVersionsApi {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedVersionsApi.class);

    private final ClientAuthentication auth;
    private final ModulePublication modules;
    private final ObjectMapper json;

    PublishedVersionsApi(ClientAuthentication auth, ModulePublication modules, ObjectMapper json) {
        this.auth = auth;
        this.modules = modules;
        this.json = json;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get(PublishApi.PREFIX + "/modules/{namespace}/{name}/{provider}/versions", this::versions);
    }

    private void versions(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        String provider = ctx.pathParam("provider");
        String module = namespace + "/" + name + "/" + provider;
        if (!auth.scopedTokens()) {
            ErrorAnswers.error(ctx, 403, PublishCallers.NEEDS_SCOPES);
            return;
        }
        Access access = PublishCallers.identify(auth, ctx);
        Caller caller = access.caller();
        if (caller == null) {
            ErrorAnswers.error(ctx, 401, access.refusal());
            return;
        }
        if (!caller.mayPublish(module) && !caller.mayRead()) {
            ErrorAnswers.error(ctx, 403, "the token '" + caller.name() + "' may not publish module " + module
                    + " (its scopes: " + caller.scopes() + ")");
            return;
        }
        for (Optional<String> problem : List.of(TerraformNames.checkNamespace(namespace), TerraformNames.checkModuleName(name),
                TerraformNames.checkModuleProvider(provider))) {
            if (problem.isPresent()) {
                ErrorAnswers.error(ctx, 400, "the URL: " + problem.get());
                return;
            }
        }
        try {
            ObjectNode body = json.createObjectNode();
            modules.storedVersions(namespace, name, provider).forEach(body.putArray("versions")::add);
            ctx.status(200).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (StorageException e) {
            ErrorAnswers.storage(ctx, e, LOG);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an object of strings is always JSON", e);
        }
    }
}
