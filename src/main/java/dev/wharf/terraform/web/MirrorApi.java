package dev.wharf.terraform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.oci.Descriptor;
import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.NotModified;
import dev.wharf.http.RangeAnswer;
import dev.wharf.http.ResponseBodies;
import dev.wharf.http.access.Access;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.layout.LayoutException;
import dev.wharf.terraform.mirror.ArchiveListing;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.mirror.MirrorException;
import dev.wharf.terraform.mirror.MirrorService;
import dev.wharf.terraform.mirror.StoredArchive;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Provider Network Mirror Protocol at {@code /v1/mirror/}: {@code {hostname}/{namespace}/{type}/index.json},
 * {@code …/{version}.json}, and the archives, named as in a {@code terraform providers mirror} directory
 * and given relative to the JSON. Archives stream out of storage, a Range answered with its part (206,
 * and a HEAD alike) where the store reads the archive from a file, as the registry's own file routes
 * do. With authentication on, the JSON needs a bearer token and the archive URLs carry their own
 * short-lived signature, since terraform may fetch them without credentials.
 */
public final class MirrorApi {
    public static final String PREFIX = "/v1/mirror/";
    private static final Logger LOG = LoggerFactory.getLogger(MirrorApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MirrorService service;
    private final ClientAuthentication auth;
    private final FileUrlSigner signer;

    /** @param signer signs archive URLs; used only while {@code auth} is enabled */
    public MirrorApi(MirrorService service, ClientAuthentication auth, FileUrlSigner signer) {
        this.service = service;
        this.auth = auth;
        this.signer = signer;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.get(PREFIX + "{hostname}/{namespace}/{type}/{file}", this::get);
        cfg.routes.head(PREFIX + "{hostname}/{namespace}/{type}/{file}", this::get);
    }

    private void get(Context ctx) {
        try {
            MirrorCoordinates provider;
            try {
                provider = new MirrorCoordinates(ctx.pathParam("hostname"), ctx.pathParam("namespace"), ctx.pathParam("type"));
            } catch (IllegalArgumentException e) {
                error(ctx, 400, Objects.requireNonNullElse(e.getMessage(), e.toString()));
                return;
            }
            String file = ctx.pathParam("file");
            if (file.endsWith(".zip")) {
                archive(ctx, provider, file);
                return;
            }
            Optional<Access> refusal = auth.refusal(ctx.header("Authorization"));
            if (refusal.isPresent()) {
                CredentialThrottle.uncheckedIf(ctx, refusal.get());
                error(ctx, 401, refusal.get().refusal());
                return;
            }
            if (file.equals("index.json")) {
                ObjectNode body = JSON.createObjectNode();
                ObjectNode versions = body.putObject("versions");
                service.versions(provider).forEach(versions::putObject);
                json(ctx, body);
            } else if (file.endsWith(".json")) {
                String version = file.substring(0, file.length() - ".json".length());
                Map<String, ArchiveListing> archives = service.archives(provider, version);
                ObjectNode body = JSON.createObjectNode();
                ObjectNode list = body.putObject("archives");
                for (Map.Entry<String, ArchiveListing> e : archives.entrySet()) {
                    ObjectNode entry = list.putObject(e.getKey());
                    entry.put("url", archiveUrl(ctx, e.getValue().fileName()));
                    entry.putPOJO("hashes", e.getValue().hashes());
                }
                json(ctx, body);
            } else {
                error(ctx, 404, "not a network mirror resource: " + file);
            }
        } catch (MirrorException e) {
            switch (e.reason()) {
                case NOT_FOUND -> error(ctx, 404, e.getMessage());
                case BAD_REQUEST -> error(ctx, 400, e.getMessage());
                case CONFLICT -> error(ctx, 409, e.getMessage());
                case UPSTREAM_FAILED -> ErrorAnswers.failure(ctx, 502, "pulling from the upstream registry failed", e.getMessage(), LOG);
                case TAG_DELETED -> {
                    // A failure to retry: a 404 would tell terraform the package does not exist, when the next request stores it.
                    LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                    error(ctx, 503, e.getMessage());
                }
            }
        } catch (LayoutException e) {
            error(ctx, 400, e.getMessage());
        } catch (StorageException e) {
            ErrorAnswers.storage(ctx, e, LOG);
        }
    }

    private void archive(Context ctx, MirrorCoordinates provider, String file) {
        Optional<Access> refused = auth.refusal(ctx.header("Authorization"));
        if (refused.isPresent()) {
            // Unsigned, the answer is a 401 that says nothing new of a token its issuer could not check.
            CredentialThrottle.uncheckedIf(ctx, refused.get());
            Optional<SignedUrlRefusal> refusal = SignedUrlRefusal.of(
                    signer.check(ctx.path(), ctx.queryParam(FileUrlSigner.EXPIRES), ctx.queryParam(FileUrlSigner.SIGNATURE)),
                    "ask the mirror's {version}.json for a freshly signed one");
            if (refusal.isPresent()) {
                error(ctx, refusal.get().status(), refusal.get().message());
                return;
            }
        }
        Optional<List<String>> parts = MirrorService.parseArchiveName(provider, file);
        if (parts.isEmpty()) {
            error(ctx, 404, "'" + file + "' is not an archive of " + provider);
            return;
        }
        String version = parts.get().get(0);
        StoredArchive archive = service.archive(provider, version, parts.get().get(1), parts.get().get(2));
        Descriptor layer = service.storage().layer(archive);
        // As every file the registry serves: its digest is its entity tag, and a cache in front that revalidates gets a 304.
        if (NotModified.answered(ctx, layer.digest().toString(), null)) {
            return;
        }
        ctx.status(200);
        ctx.contentType("application/zip");
        ctx.header("Content-Length", Long.toString(layer.size()));
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        if (ctx.method().name().equals("HEAD")) {
            // What the GET would say (ResponseBodies answers its Range from a file), told by the store without opening
            // the blob: for a registry's, opening would start its download only to drop it.
            if (service.storage().readsInParts(archive, layer)) {
                RangeAnswer.set(ctx, layer.size());
            }
            return;
        }
        try {
            // Never ctx.result(stream): its digest check comes after the last byte went out whole.
            ResponseBodies.send(ctx, () -> service.storage().read(archive, layer));
        } catch (java.io.IOException e) {
            ErrorAnswers.failure(ctx, 502, "storage failed while reading the archive", e.getMessage(), LOG);
        }
    }

    private String archiveUrl(Context ctx, String fileName) {
        String dir = ctx.path().substring(0, ctx.path().lastIndexOf('/') + 1);
        String query = auth.enabled() ? signer.sign(dir + fileName) : "";
        return query.isEmpty() ? fileName : fileName + "?" + query;
    }

    private static void json(Context ctx, ObjectNode body) {
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(body.toPrettyString());
    }

    static void error(Context ctx, int status, String message) {
        ErrorAnswers.error(ctx, status, message);
    }
}
