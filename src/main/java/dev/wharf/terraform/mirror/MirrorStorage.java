package dev.wharf.terraform.mirror;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ConcurrentPublishException;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's "Mirrored Providers" layout over an {@link ArtifactStore}:
 * {@code {base}/mirror/providers/{hostname}/{namespace}/{type}} tagged with the release file names, and
 * {@code {base}/mirror/providers/{hostname}/{namespace}:signing-keys.json}. Each archive's manifest
 * carries its {@code h1:} and {@code zh:} hashes as annotations, computed once when it is stored;
 * archives stored by other tools without them are hashed once and remembered by blob digest.
 */
public final class MirrorStorage {
    /** Manifest annotations holding an archive's terraform hashes. */
    public static final String H1_ANNOTATION = "dev.wharf.terraform.hash.h1";
    public static final String ZH_ANNOTATION = "dev.wharf.terraform.hash.zh";

    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final Path tempDir;
    private final MirrorSigningKeys signingKeys;
    private final Cache<Digest, PackageHashes> computed = Caffeine.newBuilder().maximumSize(100_000).build();

    /**
     * @param layout the registry's layout ({@code --storage-oci-repository}); mirrored providers go
     *     below its {@link TerraformLayout#mirrorOf(String) mirror part}
     */
    public MirrorStorage(ArtifactStore store, TerraformLayout layout, Path tempDir) {
        this.store = store;
        this.layout = layout;
        this.tempDir = tempDir;
        this.signingKeys = new MirrorSigningKeys(store, layout);
    }

    /** Every stored archive of a provider. */
    public List<StoredArchive> archives(MirrorCoordinates provider) {
        return archivesAmong(provider, store.listTags(repository(provider)));
    }

    /**
     * A release's stored archives, and whether its SHA256SUMS and signature are stored too, from the one
     * listing of the tags that {@code {version}.json} makes anyway.
     */
    public StoredRelease release(MirrorCoordinates provider, String version) {
        TerraformLayout mirror = mirror(provider);
        List<String> tags = store.listTags(repository(provider));
        List<StoredArchive> archives = archivesAmong(provider, tags).stream().filter(a -> a.version().equals(version)).toList();
        boolean sumsStored = tags.contains(mirror.providerTag(ProviderFile.sha256Sums(provider.type(), version)))
                && tags.contains(mirror.providerTag(ProviderFile.signature(provider.type(), version)));
        return new StoredRelease(archives, sumsStored);
    }

    private List<StoredArchive> archivesAmong(MirrorCoordinates provider, List<String> tags) {
        TerraformLayout mirror = mirror(provider);
        String repository = repository(provider);
        List<StoredArchive> archives = new ArrayList<>();
        for (String tag : tags) {
            Optional<ProviderFile> file = mirror.providerFile(tag);
            if (file.isPresent() && file.get().kind() == ProviderFile.Kind.ARCHIVE && file.get().name().equals(provider.type())) {
                ProviderFile.Platform platform = file.get().platform().orElseThrow();
                archives.add(new StoredArchive(repository, tag, file.get().version(), platform.os(), platform.arch()));
            }
        }
        return archives;
    }

    public Optional<StoredArchive> archive(MirrorCoordinates provider, String version, String os, String arch) {
        String repository = repository(provider);
        String tag = mirror(provider).providerTag(ProviderFile.archive(provider.type(), version, os, arch));
        return store.exists(repository, tag)
                ? Optional.of(new StoredArchive(repository, tag, version, os, arch))
                : Optional.empty();
    }

    /** The layer holding the zip. */
    public Descriptor layer(StoredArchive archive) {
        return zipLayer(manifest(archive), archive);
    }

    /** The archive's hashes: from its annotations, else computed once from the blob and remembered. */
    public PackageHashes hashes(StoredArchive archive) {
        return hashes(archive, manifest(archive));
    }

    private PackageHashes hashes(StoredArchive archive, Manifest manifest) {
        String h1 = manifest.annotations().get(H1_ANNOTATION);
        String zh = manifest.annotations().get(ZH_ANNOTATION);
        if (h1 != null && zh != null) {
            return new PackageHashes(h1, zh);
        }
        Descriptor layer = zipLayer(manifest, archive);
        return computed.get(layer.digest(), digest -> hashBlob(archive.repository(), digest));
    }

    /** An archive read chunk by chunk; a blob that fails its digest never hands out its last chunk. */
    public dev.wharf.oci.ChunkSource read(StoredArchive archive, Descriptor layer) {
        return store.readBlob(archive.repository(), layer);
    }

    /**
     * Whether {@link #read} would hand out the archive as a file, whose part a Range can be answered with, told
     * without opening the blob ({@link dev.wharf.oci.ArtifactStore#readsBlobInParts}).
     */
    public boolean readsInParts(StoredArchive archive, Descriptor layer) {
        return store.readsBlobInParts(archive.repository(), layer.digest());
    }

    /**
     * Stores one archive with its hashes. An archive already stored under the same tag is left as it
     * is when its content is the same, and refused ({@link MirrorException.Reason#CONFLICT}) otherwise:
     * a mirrored release never changes. A tag deleted while it was stored (right after this push wrote
     * it, or right after the store found it there) fails as {@link MirrorException.Reason#TAG_DELETED}.
     */
    public StoredArchive storeArchive(MirrorCoordinates provider, String version, String os, String arch, Path zip,
                                      PackageHashes hashes) {
        String repository = repository(provider);
        String tag = mirror(provider).providerTag(ProviderFile.archive(provider.type(), version, os, arch));
        String fileName = provider.archiveFileName(version, os, arch);
        Artifact artifact = new Artifact(MediaTypes.PROVIDER_ARTIFACT,
                List.of(Layer.file(MediaTypes.PROVIDER_ARCHIVE, fileName, BlobSource.ofFile(zip))),
                Map.of(H1_ANNOTATION, hashes.h1(), ZH_ANNOTATION, hashes.zh(), StandardAnnotations.TITLE, fileName,
                        StandardAnnotations.VERSION, version));
        StoredArchive stored = new StoredArchive(repository, tag, version, os, arch);
        try {
            store.push(repository, tag, artifact, false);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.TAG_EXISTS) {
                throw e;
            }
            // Read here, not in hashes(): a tag gone now had failed as "no longer in" the repository, a 404 telling
            // terraform the package does not exist, when storing it again would have mirrored it.
            PackageHashes existing = hashes(stored, readBack(e, repository, tag, fileName, provider));
            if (!existing.zh().equals(hashes.zh())) {
                throw new MirrorException(MirrorException.Reason.CONFLICT, fileName + " of " + provider
                        + " is already mirrored with different content (" + existing.zh() + ", not " + hashes.zh() + ")");
            }
        }
        return stored;
    }

    /**
     * Stores a release's SHA256SUMS and signature, unless they are there already with the same content (other
     * content is {@link MirrorException.Reason#CONFLICT}, never overwritten); a tag deleted meanwhile is
     * {@link MirrorException.Reason#TAG_DELETED}. Before the archives: a stored archive is not pulled or imported again.
     */
    public void storeSums(MirrorCoordinates provider, String version, byte[] sums, byte[] signature) {
        ProviderFile sumsFile = ProviderFile.sha256Sums(provider.type(), version);
        ProviderFile signatureFile = ProviderFile.signature(provider.type(), version);
        pushSmallIfAbsent(provider, sumsFile, MediaTypes.PROVIDER_SHA256SUMS, sums);
        pushSmallIfAbsent(provider, signatureFile, MediaTypes.PROVIDER_SIGNATURE, signature);
    }

    /** Adds the upstream's keys to the namespace's {@code signing-keys.json}; see {@link MirrorSigningKeys#add}. */
    public void addSigningKeys(MirrorCoordinates provider, String signingKeysJson) {
        signingKeys.add(provider, signingKeysJson);
    }

    private TerraformLayout mirror(MirrorCoordinates provider) {
        return layout.mirrorOf(provider.hostname());
    }

    private String repository(MirrorCoordinates provider) {
        return mirror(provider).providerRepository(provider.namespace(), provider.type());
    }

    /**
     * Pushes one of a release's small files unless its tag holds the same content already; a tag holding other
     * content (another replica's, stored first or at the same moment) is {@link MirrorException.Reason#CONFLICT}
     * and left as it is: a mirrored release never changes.
     */
    private void pushSmallIfAbsent(MirrorCoordinates provider, ProviderFile file, String mediaType, byte[] content) {
        String repository = repository(provider);
        String tag = mirror(provider).providerTag(file);
        Digest digest = Digest.sha256(content);
        if (store.exists(repository, tag)) {
            // Read, not taken for granted: a tag deleted since the check had passed as stored, and the archive stored
            // after it would have been served while the release lacked this file.
            requireSame(store.resolve(repository, tag).orElseThrow(() -> tagDeleted(file.fileName(), provider)), digest, file, provider);
            return;
        }
        try {
            store.push(repository, tag, Artifact.single(MediaTypes.PROVIDER_ARTIFACT,
                    Layer.file(mediaType, file.fileName(), BlobSource.ofBytes(content))), false);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.TAG_EXISTS) {
                throw e;
            }
            // Stored by another writer first, which is as good if it is the same file; but not gone: that had passed as stored.
            requireSame(readBack(e, repository, tag, file.fileName(), provider), digest, file, provider);
        }
    }

    private static void requireSame(Manifest stored, Digest digest, ProviderFile file, MirrorCoordinates provider) {
        // By any layer, not the first: another tool may have stored the file beside others or under its own media type.
        if (stored.layers().stream().noneMatch(layer -> layer.digest().equals(digest))) {
            String theirs = stored.layers().isEmpty() ? "no content" : stored.layers().get(0).digest().toString();
            throw new MirrorException(MirrorException.Reason.CONFLICT, file.fileName() + " of " + provider
                    + " is already mirrored with different content (" + theirs + ", not " + digest + "); it is never overwritten");
        }
    }

    /** The manifest under a tag whose push met "already exists" ({@code refusal}); {@link MirrorException.Reason#TAG_DELETED} if gone. */
    private Manifest readBack(StorageException refusal, String repository, String tag, String fileName, MirrorCoordinates provider) {
        Optional<Manifest> there = refusal instanceof ConcurrentPublishException lost && lost.stored() == null ? Optional.empty()
                : store.resolve(repository, tag);
        return there.orElseThrow(() -> tagDeleted(fileName, provider));
    }

    private static MirrorException tagDeleted(String fileName, MirrorCoordinates provider) {
        return new MirrorException(MirrorException.Reason.TAG_DELETED, fileName + " of " + provider
                + " is not mirrored: its tag was deleted while it was stored; the next request or run stores it again");
    }

    private Manifest manifest(StoredArchive archive) {
        return store.resolve(archive.repository(), archive.tag()).orElseThrow(() -> new MirrorException(
                MirrorException.Reason.NOT_FOUND, archive.tag() + " is no longer in " + archive.repository()));
    }

    private static Descriptor zipLayer(Manifest manifest, StoredArchive archive) {
        if (manifest.layers().size() != 1) {
            return manifest.layer(MediaTypes.PROVIDER_ARCHIVE).orElseThrow(() -> new StorageException(StorageException.Kind.PROTOCOL,
                    archive.repository() + ":" + archive.tag() + " has " + manifest.layers().size()
                            + " layers and none of type " + MediaTypes.PROVIDER_ARCHIVE));
        }
        return manifest.layers().get(0);
    }

    private PackageHashes hashBlob(String repository, Digest digest) {
        Path temp = null;
        try {
            temp = Files.createTempFile(tempDir, "mirror-hash-", ".zip");
            try (InputStream in = store.openBlob(repository, digest)) {
                Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return PackageHashes.of(temp);
        } catch (IOException | UncheckedIOException | PackageException e) {
            // A blob that breaks off, fails its digest or is no zip: the storage failed, as for any file read from it (502).
            throw new StorageException(StorageException.Kind.CORRUPT, "cannot hash " + repository + "@" + digest + ": "
                    + (e.getCause() instanceof IOException io ? IoFailures.describe(io) : e.getMessage()), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A leftover temporary file is harmless.
                }
            }
        }
    }
}
