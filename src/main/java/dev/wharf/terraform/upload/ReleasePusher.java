package dev.wharf.terraform.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.upload.ProviderUploader.CheckedRelease;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Stores a checked provider release: each file under its own tag, then the SHA256SUMS and its
 * signature last, so the release becomes visible only when complete. Nothing stored is overwritten.
 */
final class ReleasePusher {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ObjectMapper json;
    private final Consumer<String> log;

    ReleasePusher(ArtifactStore store, TerraformLayout layout, ObjectMapper json, Consumer<String> log) {
        this.store = store;
        this.layout = layout;
        this.json = json;
        this.log = log;
    }

    void push(CheckedRelease release) {
        String repository = layout.providerRepository(release.namespace(), release.name());
        Instant created = StandardAnnotations.created(release.files().values());
        String version = release.version();
        String what = "provider " + release.namespace() + "/" + release.name() + " version " + version;
        // Every tag first: a name that makes one too long for the registry refuses the release before any of it is stored.
        release.files().keySet().forEach(name -> layout.providerTag(ProviderFile.parse(name).orElseThrow()));
        layout.providerTag(release.sumsFile());
        layout.providerTag(ProviderFile.signature(release.name(), version));
        String protocols = null;
        for (Map.Entry<String, Path> e : release.files().entrySet()) {
            ProviderFile file = ProviderFile.parse(e.getKey()).orElseThrow();
            if (file.kind() == ProviderFile.Kind.MANIFEST) {
                protocols = protocolsFrom(e.getValue());
            }
            pushFile(what, repository, file, BlobSource.ofFile(e.getValue()), standard(file, version, created, Map.of()),
                    release.parsedSums().sha256Of(e.getKey()).orElseThrow());
        }
        Map<String, String> annotations = protocols == null ? Map.of() : Map.of(MediaTypes.PROTOCOLS_ANNOTATION, protocols);
        pushFile(what, repository, release.sumsFile(), BlobSource.ofBytes(release.sums()), standard(release.sumsFile(), version, created, annotations),
                Digest.sha256(release.sums()).hex());
        ProviderFile signatureFile = ProviderFile.signature(release.name(), version);
        pushFile(what, repository, signatureFile, BlobSource.ofBytes(release.signature()), standard(signatureFile, version, created, Map.of()),
                Digest.sha256(release.signature()).hex());
        log.accept("uploaded provider " + release.namespace() + "/" + release.name() + " " + version
                + " (" + release.files().size() + " files) to " + repository);
    }

    private static Map<String, String> standard(ProviderFile file, String version, Instant created, Map<String, String> extra) {
        Map<String, String> annotations = new HashMap<>(StandardAnnotations.of(file.fileName(), version, created));
        annotations.putAll(extra);
        return annotations;
    }

    /**
     * Pushes one file under its tag. A tag already there holding the same bytes was left by an upload
     * of this release that stopped before its signature (the registry failed in between); it is
     * kept. With other bytes it is never overwritten: another release of this version was begun, or
     * (the SHA256SUMS, the signature) a concurrent upload won. A tag gone by the time it is read
     * back was deleted meanwhile: the release is not published (its signature is not stored), and
     * saying "already exists" would send the user looking for a version no one can install.
     */
    private void pushFile(String what, String repository, ProviderFile file, BlobSource content, Map<String, String> annotations, String expectedSha256) {
        String tag = layout.providerTag(file);
        Layer layer = Layer.file(MediaTypes.providerLayerType(file.kind()), file.fileName(), content);
        try {
            store.push(repository, tag, new Artifact(MediaTypes.PROVIDER_ARTIFACT, List.of(layer), annotations), false);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.TAG_EXISTS) {
                throw e;
            }
            Manifest existing = store.resolve(repository, tag).orElseThrow(() -> new TagDeletedException(what, file.fileName()));
            Digest stored = existing.layers().isEmpty() ? null : existing.layers().get(0).digest();
            if (stored != null && stored.hex().equals(expectedSha256)) {
                return;
            }
            if (file.kind() == ProviderFile.Kind.SIGNATURE) {
                throw new VersionExistsException(file.fileName() + " was stored meanwhile by a concurrent upload of the same version;"
                        + " it is never overwritten", true);
            }
            if (file.kind() == ProviderFile.Kind.SHA256SUMS) {
                throw new VersionExistsException(file.fileName() + " is stored with other content, by a concurrent upload of the same"
                        + " version or an earlier one that stopped before its signature; it is never overwritten", true);
            }
            throw new UploadException(file.fileName() + " is already stored with different content; it is never overwritten");
        }
    }

    private @Nullable String protocolsFrom(Path manifest) {
        try {
            JsonNode node = json.readTree(manifest.toFile()).path("metadata").path("protocol_versions");
            List<String> list = new ArrayList<>();
            node.forEach(n -> list.add(n.asText()));
            return list.isEmpty() ? null : String.join(",", list);
        } catch (IOException e) {
            throw new UploadException(manifest + " is not valid JSON: " + e.getMessage());
        }
    }
}
