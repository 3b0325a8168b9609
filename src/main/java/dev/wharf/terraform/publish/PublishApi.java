package dev.wharf.terraform.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.BodySpool;
import dev.wharf.http.access.Caller;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.upload.TagDeletedException;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.terraform.upload.VersionExistsException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishing over HTTP on the registry address: {@code PUT /api/v1/modules/…}, {@code PUT
 * /api/v1/providers/…} and {@code PUT /api/v1/providers/{namespace}/signing-keys} (and, for {@code upload module --server}'s checks
 * before it publishes, {@link PublishedVersionsApi}'s list of a module's stored versions). Each takes a
 * scoped token, spools its body to a temporary folder (never held in memory), then hands the
 * files to the same classes {@code upload} uses, so the checks and the order of storing are theirs.
 * Each runs as an {@link AuditedPublish}: every attempt, accepted or refused, goes to the {@link PublishAudit}.
 */
public final class PublishApi {
    public static final String PREFIX = "/api/v1";
    private static final long MAX_KEY_BYTES = 1 << 20;
    /** Coordinates come from the URL alone, and are refused before a byte of the body is read. */
    private static final String IN_URL = "the URL";

    private final ClientAuthentication auth;
    private final ModulePublication modules;
    private final ProviderUploader providers;
    private final SigningKeyUploader keys;
    private final long maxBodyBytes;
    private final ObjectMapper json;
    private final AuditedPublish publish;

    public PublishApi(ClientAuthentication auth, ModulePublication modules, ProviderUploader providers, SigningKeyUploader keys,
            PublishAudit audit, long maxBodyBytes, ObjectMapper json) {
        this.auth = auth;
        this.modules = modules;
        this.providers = providers;
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
        this.publish = new AuditedPublish(auth, audit, maxBodyBytes, json);
    }

    public void register(JavalinConfig cfg) {
        var r = cfg.routes;
        r.put(PREFIX + "/modules/{namespace}/{name}/{provider}/{version}", this::module);
        r.put(PREFIX + "/providers/{namespace}/signing-keys", this::signingKey);
        r.put(PREFIX + "/providers/{namespace}/{name}/{version}", this::provider);
        new PublishedVersionsApi(auth, modules, json).register(cfg);
    }

    private void module(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        String provider = ctx.pathParam("provider");
        String version = ctx.pathParam("version");
        String coordinates = namespace + "/" + name + "/" + provider + "/" + version;
        publish.run(ctx, "module", coordinates, c -> c.mayPublish(namespace + "/" + name + "/" + provider), folder -> {
            ModuleUploader.checkCoordinates(IN_URL, namespace, name, provider, version);
            if (modules.exists(namespace, name, provider, version)) {
                throw new VersionExistsException("module " + namespace + "/" + name + "/" + provider + " version " + version
                        + " already exists; it is never overwritten", false);
            }
            ModuleBody.refuseForm(ctx.contentType());
            BodySpool.Spooled body;
            try (InputStream in = ctx.req().getInputStream()) {
                body = BodySpool.spool(in, folder.resolve("archive"), maxBodyBytes);
            }
            if (body.size() == 0) {
                throw new UploadException("the body is empty: send the module's tar.gz or zip as the body");
            }
            ArchiveFormat format = ModuleBody.format(ctx.contentType(), body.file());
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
            return new AuditedPublish.Stored(answer, Map.of("archive", stored.archiveDigest()));
        });
    }

    private void provider(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        String version = ctx.pathParam("version");
        String coordinates = namespace + "/" + name + "/" + version;
        publish.run(ctx, "provider", coordinates, c -> c.mayPublish(namespace + "/" + name), folder -> {
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
            return new AuditedPublish.Stored(answer, digests);
        });
    }

    private void signingKey(Context ctx) {
        String namespace = ctx.pathParam("namespace");
        publish.run(ctx, "signing-key", namespace, Caller::isAdmin, folder -> {
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
            return new AuditedPublish.Stored(answer, Map.of("key", "sha256:" + body.sha256()));
        });
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
