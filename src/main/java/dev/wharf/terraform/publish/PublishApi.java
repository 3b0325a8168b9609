package dev.wharf.terraform.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.AnonymousFailures;
import dev.wharf.http.BodySpool;
import dev.wharf.http.access.Access;
import dev.wharf.http.access.Caller;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.PublishAudit.Outcome;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.LayoutException;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.upload.TagDeletedException;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.terraform.upload.VersionExistsException;
import dev.wharf.terraform.web.ErrorAnswers;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishing over HTTP on the registry address: {@code PUT /api/v1/modules/…}, {@code PUT
 * /api/v1/providers/…} and {@code PUT /api/v1/providers/{namespace}/signing-keys} (and, for {@code upload module --server}'s checks
 * before it publishes, {@link PublishedVersionsApi}'s list of a module's stored versions). Each takes a
 * scoped token, spools its body to a temporary folder (never held in memory), then hands the
 * files to the same classes {@code upload} uses, so the checks and the order of storing are theirs.
 * Every attempt, accepted or refused, goes to the {@link PublishAudit}.
 */
public final class PublishApi {
    private static final Logger LOG = LoggerFactory.getLogger(PublishApi.class);
    public static final String PREFIX = "/api/v1";
    private static final long MAX_KEY_BYTES = 1 << 20;
    /** Coordinates come from the URL alone, and are refused before a byte of the body is read. */
    private static final String IN_URL = "the URL";

    private final ClientAuthentication auth;
    private final ModulePublication modules;
    private final ProviderUploader providers;
    private final SigningKeyUploader keys;
    private final PublishAudit audit;
    private final long maxBodyBytes;
    private final ObjectMapper json;

    public PublishApi(ClientAuthentication auth, ModulePublication modules, ProviderUploader providers, SigningKeyUploader keys,
            PublishAudit audit, long maxBodyBytes, ObjectMapper json) {
        this.auth = auth;
        this.modules = modules;
        this.providers = providers;
        this.keys = keys;
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    public void register(JavalinConfig cfg) {
        var r = cfg.routes;
        r.put(PREFIX + "/modules/{namespace}/{name}/{provider}/{version}", this::module);
        r.put(PREFIX + "/providers/{namespace}/signing-keys", this::signingKey);
        r.put(PREFIX + "/providers/{namespace}/{name}/{version}", this::provider);
        new PublishedVersionsApi(auth, modules, json).register(cfg);
    }

    /** What one publish does once let in: stores, and answers the coordinates and digests. */
    @FunctionalInterface
    private interface Work {
        Stored run(Path folder) throws IOException;
    }

    /** The 201 answer, and the digests for the audit line. */
    private record Stored(Map<String, Object> answer, Map<String, String> digests) {
    }

    private void module(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        String provider = ctx.pathParam("provider");
        String version = ctx.pathParam("version");
        String coordinates = namespace + "/" + name + "/" + provider + "/" + version;
        publish(ctx, "module", coordinates, c -> c.mayPublish(namespace + "/" + name + "/" + provider), folder -> {
            ModuleUploader.checkCoordinates(IN_URL, namespace, name, provider, version);
            if (modules.exists(namespace, name, provider, version)) {
                throw new VersionExistsException("module " + namespace + "/" + name + "/" + provider + " version " + version
                        + " already exists; it is never overwritten", false);
            }
            refuseForm(ctx.contentType());
            BodySpool.Spooled body;
            try (InputStream in = ctx.req().getInputStream()) {
                body = BodySpool.spool(in, folder.resolve("archive"), maxBodyBytes);
            }
            if (body.size() == 0) {
                throw new UploadException("the body is empty: send the module's tar.gz or zip as the body");
            }
            ArchiveFormat format = format(ctx.contentType(), body.file());
            ModulePublication.Published stored = modules.publish("the " + format.extension() + " body", namespace, name, provider,
                    version, format, body.file(), Instant.now());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("namespace", namespace);
            answer.put("name", name);
            answer.put("provider", provider);
            answer.put("version", version);
            answer.put("format", format.extension());
            answer.put("digest", stored.archiveDigest());
            answer.put("size", stored.archiveSize());
            answer.put("manifest_digest", stored.manifestDigest());
            return new Stored(answer, Map.of("archive", stored.archiveDigest()));
        });
    }

    private void provider(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        String version = ctx.pathParam("version");
        String coordinates = namespace + "/" + name + "/" + version;
        publish(ctx, "provider", coordinates, c -> c.mayPublish(namespace + "/" + name), folder -> {
            checkUrl(List.of(TerraformNames.checkNamespace(namespace), TerraformNames.checkProviderType(name),
                    TerraformNames.checkVersion(version)));
            ReleaseParts.Release parts = ReleaseParts.read(ctx.req(), folder, maxBodyBytes);
            String sumsName = parts.sums().getFileName().toString();
            String expected = "terraform-provider-" + name + "_" + version + "_SHA256SUMS";
            if (!sumsName.equals(expected)) {
                throw new UploadException("the SHA256SUMS part is " + sumsName + ", not " + expected + " as the URL says");
            }
            ReleaseParts.checkComplete(parts);
            ProviderUploader.CheckedRelease release;
            try {
                release = providers.publish(namespace, parts.sums(), parts.archives());
            } catch (UploadException e) {
                throw relocated(e, folder.resolve("release"));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("namespace", namespace);
            answer.put("name", name);
            answer.put("version", version);
            answer.put("key_id", release.keyId());
            Map<String, String> digests = new LinkedHashMap<>();
            release.parsedSums().entries().forEach((file, sha) -> digests.put(file, "sha256:" + sha));
            digests.put(sumsName, "sha256:" + dev.wharf.oci.Digest.sha256(release.sums()).hex());
            answer.put("files", digests);
            return new Stored(answer, digests);
        });
    }

    private void signingKey(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        publish(ctx, "signing-key", namespace, Caller::isAdmin, folder -> {
            checkUrl(List.of(TerraformNames.checkNamespace(namespace)));
            BodySpool.Spooled body;
            try (InputStream in = ctx.req().getInputStream()) {
                body = BodySpool.spool(in, folder.resolve("key.asc"), Math.min(MAX_KEY_BYTES, maxBodyBytes));
            }
            String keyId = keys.addArmored(namespace, SigningKeyUploader.armorIn(body.file(), "the request body"), "the request body");
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("namespace", namespace);
            answer.put("key_id", keyId);
            answer.put("digest", "sha256:" + body.sha256());
            return new Stored(answer, Map.of("key", "sha256:" + body.sha256()));
        });
    }

    private void publish(Context ctx, String kind, String coordinates, Predicate<Caller> allowed, Work work) {
        String client = ctx.ip();
        if (!auth.scopedTokens()) {
            answer(ctx, new PublishAudit.Entry(kind, "-", client, coordinates, Map.of(), Outcome.FORBIDDEN, PublishCallers.NEEDS_SCOPES));
            return;
        }
        Access access = PublishCallers.identify(auth, ctx);
        Caller caller = access.caller();
        if (caller == null) {
            answer(ctx, new PublishAudit.Entry(kind, access.claimant(), client, coordinates, Map.of(), Outcome.UNAUTHENTICATED, access.refusal()));
            return;
        }
        if (!allowed.test(caller)) {
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FORBIDDEN,
                    "the token '" + caller.name() + "' may not publish " + kind + " " + coordinates + " (its scopes: " + caller.scopes() + ")"));
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.TOO_LARGE,
                    "the body of " + declared + " bytes exceeds the limit of " + maxBodyBytes + " bytes (--publish-max-size)"));
            return;
        }
        try (ScratchFolder folder = ScratchFolder.create("wharf-publish-")) {
            Stored stored = work.run(folder.path());
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, stored.digests(), Outcome.CREATED, ""));
            ObjectNode body = json.valueToTree(stored.answer());
            ctx.status(201).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (TagDeletedException e) {
            // Not 409, which the upload client reads as "already exists" (and --ignore-existing skips): a failure to retry.
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FAILED,
                    String.valueOf(e.getMessage()), 503));
            LOG.warn("{} publish failed: {}", kind, e.getMessage());
            ErrorAnswers.error(ctx, 503, String.valueOf(e.getMessage()));
        } catch (VersionExistsException e) {
            PublishAudit.Entry entry = new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.EXISTS,
                    String.valueOf(e.getMessage()));
            if (e.lostRace()) {
                // Said in the answer: the client fails then even with --ignore-existing, as a local upload does.
                audit.record(entry);
                ctx.status(409).contentType("application/json").result(PublishConflict.lostRace(json, entry.reason()));
            } else {
                answer(ctx, entry);
            }
        } catch (UploadException | LayoutException e) {
            // A LayoutException: coordinates that pass the name rules but make a tag past the registry's 128 characters.
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.INVALID, String.valueOf(e.getMessage())));
        } catch (BodySpool.TooLargeException e) {
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.TOO_LARGE,
                    e.getMessage() + " (--publish-max-size)"));
        } catch (StorageException e) {
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FAILED, e.getMessage(),
                    AnonymousFailures.status(e)));
            ErrorAnswers.storage(ctx, e, LOG);
        } catch (IOException | UncheckedIOException e) {
            // The client went away mid-body (a write of the server's own that fails is a StorageException): nothing was stored.
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FAILED, String.valueOf(e.getMessage())));
            ErrorAnswers.failure(ctx, 500, "the body could not be received", e.getMessage(), LOG);
        }
    }

    private void answer(Context ctx, PublishAudit.Entry entry) {
        audit.record(entry);
        ErrorAnswers.error(ctx, entry.outcome().status(), entry.reason());
    }

    /**
     * Only a provider release comes in parts: a form upload of a module is refused before its body
     * is read, where it had been told, after reading it, to set a Content-Type it had set.
     */
    private static void refuseForm(String contentType) {
        if ("multipart/form-data".equalsIgnoreCase(mediaType(contentType))) {
            throw new UploadException("a module is sent as the archive itself, not as multipart/form-data:"
                    + " send the tar.gz or zip as the body (curl --data-binary @module.tar.gz)");
        }
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim();
    }

    /** The format the Content-Type declares, else the one the first bytes show. */
    private static ArchiveFormat format(String contentType, Path archive) throws IOException {
        Optional<ArchiveFormat> declared = ArchiveFormat.declaredBy(mediaType(contentType), null);
        if (declared.isPresent()) {
            return declared.get();
        }
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(archive)) {
            int n = in.readNBytes(head, 0, 2);
            if (n == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return ArchiveFormat.TAR_GZ;
            }
            if (n == 2 && head[0] == 'P' && head[1] == 'K') {
                return ArchiveFormat.ZIP;
            }
        }
        throw new UploadException("the body is neither a tar.gz nor a zip (send Content-Type application/gzip or application/zip)");
    }

    private static void checkUrl(List<Optional<String>> problems) {
        for (Optional<String> problem : problems) {
            if (problem.isPresent()) {
                throw new UploadException(IN_URL + ": " + problem.get());
            }
        }
    }

    /** The same failure without the server's temporary folder in its words. */
    private static UploadException relocated(UploadException e, Path folder) {
        if (e instanceof TagDeletedException) {
            return e;  // names a file, never a path
        }
        String message = String.valueOf(e.getMessage()).replace(folder.toAbsolutePath() + "/", "").replace(folder.toAbsolutePath().toString(), "");
        return e instanceof VersionExistsException exists ? new VersionExistsException(message, exists.lostRace()) : new UploadException(message);
    }
}
