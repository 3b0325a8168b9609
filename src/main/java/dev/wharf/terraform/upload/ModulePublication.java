package dev.wharf.terraform.upload;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ConcurrentPublishException;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one way a module archive goes into storage, whether {@code upload module} built it or a
 * {@code PUT} brought it: coordinates checked, the archive checked, refused when the version
 * exists, then pushed (blob first, manifest and tag last) under the store's per-tag lock.
 */
public final class ModulePublication implements ModuleTarget {
    /** A stored module version: where it went and what its archive and manifest are. */
    public record Published(String repository, String tag, String archiveDigest, long archiveSize, String manifestDigest) {
    }

    private final ArtifactStore store;
    private final TerraformLayout layout;

    public ModulePublication(ArtifactStore store, TerraformLayout layout) {
        this.store = store;
        this.layout = layout;
    }

    @Override
    public boolean exists(String namespace, String name, String provider, String version) {
        return store.exists(layout.moduleRepository(namespace, name, provider), layout.moduleTag(namespace, name, provider, version));
    }

    @Override
    public List<String> storedVersions(String namespace, String name, String provider) {
        return store.listTags(layout.moduleRepository(namespace, name, provider)).stream()
                .flatMap(tag -> layout.moduleVersion(namespace, name, provider, tag).stream()).toList();
    }

    /** Refuses a version that differs from a stored one only in build metadata ({@link SamePrecedence}). */
    public void refuseSamePrecedence(String namespace, String name, String provider, String version) {
        Optional<String> same = SamePrecedence.among(storedVersions(namespace, name, provider), version);
        if (same.isPresent()) {
            throw SamePrecedence.refusal("module " + namespace + "/" + name + "/" + provider, version, same.get());
        }
    }

    /**
     * Checks and stores an archive; {@code where} names it in errors. Throws {@link UploadException}
     * for bad input, {@link VersionExistsException} when the version is (or meanwhile got) stored.
     */
    @Override
    public Published publish(String where, String namespace, String name, String provider, String version, ArchiveFormat format,
                             Path archive, Instant created) {
        ModuleUploader.checkCoordinates(where, namespace, name, provider, version);
        if (exists(namespace, name, provider, version)) {
            throw exists(namespace, name, provider, version, false);
        }
        refuseSamePrecedence(namespace, name, provider, version);
        ModuleArchiveCheck.check(archive, format, where);
        return push(namespace, name, provider, version, format, archive, created);
    }

    /** The sha256 of the archive stored for this version, or empty when the version is not stored. */
    public Optional<String> storedSha256(String namespace, String name, String provider, String version) {
        return store.resolve(layout.moduleRepository(namespace, name, provider), layout.moduleTag(namespace, name, provider, version))
                .map(m -> m.layers().isEmpty() ? "" : m.layers().get(0).digest().hex());
    }

    /** Stores an archive already checked; the version's existence is refused here too, never overwritten. */
    public Published push(String namespace, String name, String provider, String version, ArchiveFormat format, Path archive,
                          Instant created) {
        String title = namespace + "-" + name + "-" + provider + "-" + version + "." + format.extension();
        Layer layer = Layer.file(format.layerMediaType(), title, BlobSource.ofFile(archive));
        String repository = layout.moduleRepository(namespace, name, provider);
        String tag = layout.moduleTag(namespace, name, provider, version);
        Manifest manifest;
        try {
            manifest = store.push(repository, tag,
                    new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(layer), StandardAnnotations.of(title, version, created)), false);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.TAG_EXISTS) {
                throw e;
            }
            // A tag that points at nothing now was deleted meanwhile (after the store saw it, or after this push wrote
            // it): nothing is published, and "already exists" would have --ignore-existing skip a version not there.
            boolean gone = e instanceof ConcurrentPublishException lost ? lost.stored() == null : store.resolve(repository, tag).isEmpty();
            if (gone) {
                throw new TagDeletedException("module " + namespace + "/" + name + "/" + provider + " version " + version, title);
            }
            throw e instanceof ConcurrentPublishException lost ? lost(namespace, name, provider, version, lost)
                    : exists(namespace, name, provider, version, false);
        }
        Optional<Descriptor> stored = manifest.layers().stream().findFirst();
        return new Published(repository, tag, stored.map(d -> d.digest().toString()).orElse(""), stored.map(Descriptor::size).orElse(0L),
                manifest.digest().toString());
    }

    private static VersionExistsException exists(String namespace, String name, String provider, String version, boolean lostRace) {
        String module = namespace + "/" + name + "/" + provider;
        return new VersionExistsException("module " + module + " version " + version + " already exists; it is never overwritten", lostRace);
    }

    /** The publish wrote its tag and lost it to another writer: what the store found says which manifest won. */
    private static VersionExistsException lost(String namespace, String name, String provider, String version, ConcurrentPublishException e) {
        String module = namespace + "/" + name + "/" + provider;
        return new VersionExistsException("module " + module + " version " + version + " lost to a concurrent upload: " + e.getMessage(), true);
    }
}
