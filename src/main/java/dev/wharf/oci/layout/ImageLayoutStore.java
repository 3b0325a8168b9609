package dev.wharf.oci.layout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Leftovers;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.References;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.TooManyLayersException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded default store: a directory holding one OCI Image Layout per repository, readable by
 * standard tools ({@code skopeo inspect oci:data/boring-registry/modules/acme/vpc/aws:tag}).
 *
 * <p>Several processes may share the directory (a server reading while an {@code upload} command
 * writes), so {@code index.json} is only ever replaced by an atomic rename and changed under a lock
 * that is held both in this JVM and on a lock file for other processes. Blobs are content-addressed
 * and written to a temporary file first, so a reader never sees half a blob.
 */
public final class ImageLayoutStore implements ArtifactStore {
    private final Path root;
    private final LayoutPaths paths;
    private final ObjectMapper json;
    private final ManifestCodec codec;
    private final LayoutLocks locks = new LayoutLocks();
    private final LayoutFailures failures;
    private final LayoutIndexFiles indexes;
    private final LayoutBlobFiles blobs;

    public ImageLayoutStore(Path root) {
        this(root, new ObjectMapper());
    }

    public ImageLayoutStore(Path root, ObjectMapper json) {
        this(root, json, LayoutIndex.Bounds.DEFAULT);
    }

    /** With other bounds on each repository's {@code index.json} (tests). */
    ImageLayoutStore(Path root, ObjectMapper json, LayoutIndex.Bounds indexBounds) {
        this.root = root.toAbsolutePath().normalize();
        this.paths = new LayoutPaths(this.root);
        this.json = json;
        this.codec = new ManifestCodec(json);
        this.failures = new LayoutFailures(this.root);
        this.indexes = new LayoutIndexFiles(this.root, json, indexBounds);
        this.blobs = new LayoutBlobFiles(failures);
    }

    public Path root() {
        return root;
    }

    @Override
    public List<String> listTags(String repository) {
        return indexes.read(paths.layout(repository)).tags();
    }

    @Override
    public List<String> listRepositories(String prefix) {
        try {
            return paths.repositories(prefix);
        } catch (IOException e) {
            throw new StorageException(Kind.CORRUPT, "cannot list the repositories in " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        Path layout = paths.layout(repository);
        Digest digest;
        String mediaType = null;
        if (Digest.isDigest(reference)) {
            digest = Digest.parse(reference);
        } else {
            Optional<LayoutIndex.Entry> entry = indexes.read(layout).find(References.requireTag(reference));
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            digest = entry.get().digest();
            mediaType = entry.get().mediaType();
        }
        Path blob = LayoutPaths.blob(layout, digest);
        byte[] bytes;
        try {
            bytes = readManifest(repository, reference, blob);
        } catch (NoSuchFileException e) {
            if (mediaType == null) {
                return Optional.empty();
            }
            throw new StorageException(Kind.CORRUPT, failures.describe(repository) + ": tag '" + reference
                    + "' points at manifest " + digest + " but the layout has no such blob");
        } catch (IOException e) {
            throw failures.ioFailure(repository, "read manifest " + digest, e);
        }
        if (!Digest.sha256(bytes).equals(digest) && digest.algorithm().equals("sha256")) {
            throw new StorageException(Kind.CORRUPT, failures.describe(repository) + ": manifest blob " + digest + " is corrupt");
        }
        try {
            return Optional.of(codec.decode(digest, bytes, mediaType));
        } catch (TooManyLayersException e) {
            throw new StorageException(Kind.PROTOCOL, failures.describe(repository) + ": the manifest of '" + reference + "' is refused: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new StorageException(Kind.PROTOCOL, failures.describe(repository) + ": '" + reference
                    + "' is not an artifact manifest: " + e.getMessage());
        }
    }

    /**
     * The manifest blob's bytes, refused past the limit a registry's manifest has: read whole, a corrupt or
     * hostile layout's blob of gigabytes ended the process in an OutOfMemoryError.
     */
    private byte[] readManifest(String repository, String reference, Path blob) throws IOException {
        int limit = ManifestCodec.MAX_MANIFEST_BYTES;
        try (SeekableByteChannel channel = Files.newByteChannel(blob)) {
            long size = channel.size();
            // Read one byte past the limit too: the size said is the file's when opened, and it may still grow.
            byte[] bytes = size > limit ? new byte[0] : Channels.newInputStream(channel).readNBytes(limit + 1);
            if (size > limit || bytes.length > limit) {
                throw new StorageException(Kind.CORRUPT, failures.describe(repository) + ": the manifest blob of '" + reference
                        + "' (" + blob + ") is " + (size > limit ? size + " bytes" : "over " + limit + " bytes")
                        + ", more than the " + (limit >> 20) + " MiB Wharf reads of a manifest (the limit registries apply)");
            }
            return bytes;
        }
    }

    @Override
    public boolean exists(String repository, String tag) {
        return indexes.read(paths.layout(repository)).find(References.requireTag(tag)).isPresent();
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        return blobs.open(repository, paths.layout(repository), digest);
    }

    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        return blobs.read(repository, paths.layout(repository), digest);
    }

    /** Every blob here is a file. */
    @Override
    public boolean readsBlobInParts(String repository, Digest digest) {
        return true;
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        References.requireTag(tag);
        Path layout = paths.layout(repository);
        if (!overwrite && exists(repository, tag)) {
            throw failures.tagExists(repository, tag);
        }
        try {
            blobs.prepare(layout);
            List<Descriptor> layers = new ArrayList<>();
            for (Layer layer : artifact.layers()) {
                layers.add(blobs.write(layout, layer));
            }
            blobs.write(layout, artifact.config().content());
            byte[] manifestBytes = codec.encode(artifact.artifactType(), artifact.config().descriptor(), layers, artifact.annotations());
            Digest manifestDigest = blobs.write(layout, manifestBytes);
            locks.withLock(layout, () -> {
                LayoutIndex index = indexes.readFresh(layout);
                if (!overwrite && index.find(tag).isPresent()) {
                    throw failures.tagExists(repository, tag);
                }
                index.put(json, tag, manifestDigest, Manifest.OCI_IMAGE_MANIFEST, manifestBytes.length, artifact.artifactType());
                indexes.write(layout, index);
                return manifestDigest;
            });
            return codec.decode(manifestDigest, manifestBytes, Manifest.OCI_IMAGE_MANIFEST);
        } catch (IOException e) {
            throw failures.writeFailure(repository, "push tag " + tag, e);
        }
    }

    @Override
    public boolean delete(String repository, String tag) {
        References.requireTag(tag);
        Path layout = paths.layout(repository);
        if (!Files.exists(LayoutPaths.index(layout))) {
            return false;
        }
        try {
            // Blobs stay: other tags may share them, and a reader may be streaming one right now.
            return locks.withLock(layout, () -> {
                LayoutIndex index = indexes.readFresh(layout);
                boolean removed = index.remove(tag);
                if (removed) {
                    indexes.write(layout, index);
                }
                return removed;
            });
        } catch (IOException e) {
            throw failures.writeFailure(repository, "delete tag " + tag, e);
        }
    }

    @Override
    public String describe() {
        return "oci-layout:" + root;
    }

    /**
     * Removes the temporary blob and index files that processes killed while writing left in this
     * layout's repositories (a file being written stays, whichever process writes it). It walks the whole
     * directory, so servers run it once, in the background.
     */
    public Leftovers.Removed removeLeftovers() throws IOException {
        if (!Files.isDirectory(root)) {
            return Leftovers.Removed.NONE;  // nothing pushed yet
        }
        List<Leftovers.Removed> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path parent = dir.getParent();
                if (dir.getFileName() != null && dir.getFileName().toString().equals("sha256")
                        && parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("blobs")) {
                    found.add(LayoutBlobFiles.removeLeftovers(dir));
                    Path layout = parent.getParent();
                    if (layout != null) {
                        found.add(LayoutIndexFiles.removeLeftovers(layout));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;  // removed meanwhile, or unreadable: not this sweep's business
            }
        });
        return found.stream().reduce(Leftovers.Removed.NONE, Leftovers.Removed::plus);
    }
}
