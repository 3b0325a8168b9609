package dev.wharf.terraform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.oci.Generation;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.discovery.Checked;
import dev.wharf.terraform.discovery.ModuleCatalog;
import dev.wharf.terraform.discovery.ModuleDetail;
import dev.wharf.terraform.discovery.ModulePage;
import dev.wharf.terraform.discovery.ModuleQuery;
import dev.wharf.terraform.discovery.ModuleSummary;
import dev.wharf.terraform.docs.ModuleDocumentation;
import dev.wharf.terraform.module.ModuleAddress;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The read API beside the module protocol that registry.terraform.io documents and tools use to
 * list, search and describe modules: {@code /v1/modules} (with {@code offset}, {@code limit},
 * {@code provider}, {@code verified}), {@code /v1/modules/search?q=}, {@code /v1/modules/{namespace}},
 * {@code /v1/modules/{namespace}/{name}} (the newest of each provider), and one module at its newest
 * or a given version, with its documentation ({@code root}, {@code submodules}: {@link ModuleDocsJson}).
 * Field names and paging ({@code meta}) are the public registry's. The same
 * token check as the protocol guards every route: {@link TerraformApi} puts it in front of
 * {@code /v1/modules} and everything below, so these routes register after its own (its
 * {@code .../versions} route must win over {@code .../{version}}).
 *
 * <p>Answers are left for the server to repeat ({@link ReadyJson}) while the catalog snapshot they
 * were built from is current, and for one module also its version list: lists and searches are
 * what tools poll.
 */
public final class ModuleDiscoveryApi {
    private final ModuleCatalog catalog;
    private final ModuleDocumentation documentation;
    private final ObjectMapper json;
    private final ModuleDocsJson docsJson;
    private final ReadyJson ready;

    public ModuleDiscoveryApi(ModuleCatalog catalog, ModuleDocumentation documentation, ObjectMapper json, ClientAuthentication auth,
                              ReadyAnswers ready) {
        this.catalog = catalog;
        this.documentation = documentation;
        this.json = json;
        this.docsJson = new ModuleDocsJson(json);
        this.ready = new ReadyJson(ready, auth);
    }

    public void register(JavalinConfig cfg) {
        var r = cfg.routes;
        r.get("/v1/modules", ctx -> list(ctx, Optional.empty(), Optional.empty(), Optional.empty()));
        r.get("/v1/modules/search", this::search);
        r.get("/v1/modules/{namespace}", ctx -> list(ctx, Optional.of(ctx.pathParam("namespace")), Optional.empty(), Optional.empty()));
        r.get("/v1/modules/{namespace}/{name}",
                ctx -> list(ctx, Optional.of(ctx.pathParam("namespace")), Optional.of(ctx.pathParam("name")), Optional.empty()));
        r.get("/v1/modules/{namespace}/{name}/{provider}", ctx -> detail(ctx, Optional.empty()));
        r.get("/v1/modules/{namespace}/{name}/{provider}/{version}", ctx -> detail(ctx, Optional.of(ctx.pathParam("version"))));
    }

    private void search(Context ctx) {
        String q = ctx.queryParam("q");
        if (q == null || q.isBlank()) {
            ErrorAnswers.error(ctx, 400, "the search needs a query: ?q=…");
            return;
        }
        list(ctx, Optional.ofNullable(ctx.queryParam("namespace")), Optional.empty(), Optional.of(q));
    }

    private void list(Context ctx, Optional<String> namespace, Optional<String> name, Optional<String> text) {
        ModuleQuery query;
        try {
            query = new ModuleQuery(namespace, name, Optional.ofNullable(ctx.queryParam("provider")), text,
                    "true".equals(ctx.queryParam("verified")), number(ctx, "offset", 0), number(ctx, "limit", ModuleQuery.DEFAULT_LIMIT));
        } catch (IllegalArgumentException e) {
            ErrorAnswers.error(ctx, 400, String.valueOf(e.getMessage()));
            return;
        }
        ModulePage page;
        Generation snapshot;
        try {
            // Taken before the list: a snapshot that changes meanwhile fails the check, never the other way round.
            snapshot = catalog.generation();
            page = catalog.list(query);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.UNSUPPORTED) {
                throw e;
            }
            // What the operator can change, not a secret: the registry has no catalog.
            ErrorAnswers.error(ctx, 501, "listing modules needs a registry that lists its repositories (/v2/_catalog), "
                    + "or the flat layout (--storage-oci-flat)");
            return;
        }
        if (name.isPresent() && page.modules().isEmpty() && query.offset() == 0) {
            // One module's providers: none is a module that does not exist, as its own page says.
            ErrorAnswers.error(ctx, 404, "module " + namespace.orElse("") + "/" + name.get() + " not found");
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.set("meta", meta(ctx, page));
        ArrayNode list = body.putArray("modules");
        page.modules().forEach(summary -> list.add(module(summary)));
        ready.send(ctx, bytes(body), () -> catalog.isCurrent(snapshot));
    }

    private void detail(Context ctx, Optional<String> version) {
        ModuleAddress address = new ModuleAddress(ctx.pathParam("namespace"), ctx.pathParam("name"), ctx.pathParam("provider"));
        Checked<ModuleDetail> checked = catalog.checkedDetail(address, version);
        ModuleDetail detail = checked.value();
        ObjectNode body = module(detail.summary());
        ArrayNode versions = body.putArray("versions");
        detail.versions().forEach(versions::add);
        ArrayNode providers = body.putArray("providers");
        detail.providers().forEach(providers::add);
        try {
            docsJson.write(documentation.of(address, detail.summary().version()), body);
        } catch (ArchiveRefusedException | UncheckedIOException e) {
            // The version still resolves and downloads as it was stored; only its documentation is missing.
            // Not kept: a storage failure may pass, and the next request should try again.
            docsJson.unreadable("the archive could not be read for its documentation: " + e.getMessage(), body);
            ctx.status(200).contentType("application/json").result(bytes(body));
            return;
        }
        ready.send(ctx, bytes(body), checked.current());
    }

    private ObjectNode module(ModuleSummary summary) {
        ObjectNode node = json.createObjectNode();
        node.put("id", summary.id());
        node.put("owner", "");
        node.put("namespace", summary.module().namespace());
        node.put("name", summary.module().name());
        node.put("version", summary.version());
        node.put("provider", summary.module().provider());
        node.put("description", summary.metadata().description().orElse(""));
        node.put("source", summary.metadata().source().orElse(""));
        summary.metadata().publishedAt().ifPresent(at -> node.put("published_at", at));
        node.put("downloads", 0);
        node.put("verified", false);
        return node;
    }

    private ObjectNode meta(Context ctx, ModulePage page) {
        ObjectNode meta = json.createObjectNode();
        meta.put("limit", page.limit());
        meta.put("current_offset", page.offset());
        if (page.more()) {
            int next = page.offset() + page.limit();
            meta.put("next_offset", next);
            meta.put("next_url", pageUrl(ctx, next));
        }
        if (page.offset() > 0) {
            int previous = Math.max(0, page.offset() - page.limit());
            meta.put("prev_offset", previous);
            meta.put("prev_url", pageUrl(ctx, previous));
        }
        return meta;
    }

    /** This request's path and query with {@code offset} set to {@code offset}. */
    private static String pageUrl(Context ctx, int offset) {
        Map<String, String> query = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((key, values) -> {
            if (!values.isEmpty()) {
                query.put(key, values.get(0));
            }
        });
        query.put("offset", Integer.toString(offset));
        StringBuilder url = new StringBuilder(ctx.path());
        char separator = '?';
        for (Map.Entry<String, String> entry : query.entrySet()) {
            url.append(separator).append(encode(entry.getKey())).append('=').append(encode(entry.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    private static int number(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            if (value.matches("[-+]?[0-9]+")) {
                throw new IllegalArgumentException(name + " " + value + " is too large", e);
            }
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
