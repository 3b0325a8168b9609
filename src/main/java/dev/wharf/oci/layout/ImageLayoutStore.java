package dev.wharf.oci.layout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.MappedFileChunks;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.DigestVerifyingInputStream;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.References;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    /** Mapped blobs ({@link MappedFileChunks#MAP_WINDOW} at a time) are hashed and written in chunks small enough to stay in the CPU cache between the two. */
    private static final int CHUNK = 1 << 20;

    private final Path root;
    private final LayoutPaths paths;
    private final ObjectMapper json;
    private final ManifestCodec codec;
    private final LayoutLocks locks = new LayoutLocks();
    private final ConcurrentHashMap<Path, CachedIndex> indexes = new ConcurrentHashMap<>();

    /** An index as read from disk, valid while the file is the same one (a rename gives a new inode). */
    private record CachedIndex(Object fileKey, long modified, long size, LayoutIndex index) {
    }

    public ImageLayoutStore(Path root) {
        this(root, new ObjectMapper());
    }

    public ImageLayoutStore(Path root, ObjectMapper json) {
        this.root = root.toAbsolutePath().normalize();
        this.paths = new LayoutPaths(this.root);
        this.json = json;
        this.codec = new ManifestCodec(json);
    }

    public Path root() {
        return root;
    }

    @Override
    public List<String> listTags(String repository) {
        return readIndex(paths.layout(repository)).tags();
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
            Optional<LayoutIndex.Entry> entry = readIndex(layout).find(References.requireTag(reference));
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            digest = entry.get().digest();
            mediaType = entry.get().mediaType();
        }
        Path blob = LayoutPaths.blob(layout, digest);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(blob);
        } catch (NoSuchFileException e) {
            if (mediaType == null) {
                return Optional.empty();
            }
            throw new StorageException(Kind.CORRUPT, describe(repository) + ": tag '" + reference
                    + "' points at manifest " + digest + " but the layout has no such blob");
        } catch (IOException e) {
            throw ioFailure(repository, "read manifest " + digest, e);
        }
        if (!Digest.sha256(bytes).equals(digest) && digest.algorithm().equals("sha256")) {
            throw new StorageException(Kind.CORRUPT, describe(repository) + ": manifest blob " + digest + " is corrupt");
        }
        try {
            return Optional.of(codec.decode(digest, bytes, mediaType));
        } catch (IllegalArgumentException e) {
            throw new StorageException(Kind.PROTOCOL, describe(repository) + ": '" + reference
                    + "' is not an artifact manifest: " + e.getMessage());
        }
    }

    @Override
    public boolean exists(String repository, String tag) {
        return readIndex(paths.layout(repository)).find(References.requireTag(tag)).isPresent();
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        Path blob = LayoutPaths.blob(paths.layout(repository), digest);
        try {
            return new DigestVerifyingInputStream(Files.newInputStream(blob), digest);
        } catch (NoSuchFileException e) {
            throw new StorageException(Kind.NOT_FOUND, describe(repository) + ": blob " + digest + " not found");
        } catch (IOException e) {
            throw ioFailure(repository, "open blob " + digest, e);
        }
    }

    /**
     * The blob file as memory-mapped pieces ({@link MappedFileChunks#checked}), so its bytes reach
     * the socket without a copy through the heap. Each piece is hashed before it is handed out, and
     * the last one only once the whole file has matched its digest.
     */
    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        Path blob = LayoutPaths.blob(paths.layout(repository), digest);
        FileChannel channel;
        try {
            channel = FileChannel.open(blob, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StorageException(Kind.NOT_FOUND, describe(repository) + ": blob " + digest + " not found");
        } catch (IOException e) {
            throw ioFailure(repository, "open blob " + digest, e);
        }
        try {
            return MappedFileChunks.checked(channel, digest, CHUNK);
        } catch (IOException e) {
            closeQuietly(channel);
            throw ioFailure(repository, "read blob " + digest, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was read from it; the failure that matters is being reported.
        }
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        References.requireTag(tag);
        Path layout = paths.layout(repository);
        if (!overwrite && exists(repository, tag)) {
            throw tagExists(repository, tag);
        }
        try {
            ensureLayout(layout);
            List<Descriptor> layers = new ArrayList<>();
            for (Layer layer : artifact.layers()) {
                layers.add(writeBlob(layout, layer));
            }
            writeBytesBlob(layout, ManifestCodec.EMPTY_CONFIG);
            byte[] manifestBytes = codec.encode(artifact.artifactType(), layers, artifact.annotations());
            Digest manifestDigest = writeBytesBlob(layout, manifestBytes);
            locks.withLock(layout, () -> {
                LayoutIndex index = readIndexFresh(layout);
                if (!overwrite && index.find(tag).isPresent()) {
                    throw tagExists(repository, tag);
                }
                index.put(json, tag, manifestDigest, Manifest.OCI_IMAGE_MANIFEST, manifestBytes.length, artifact.artifactType());
                writeIndex(layout, index);
                return manifestDigest;
            });
            return codec.decode(manifestDigest, manifestBytes, Manifest.OCI_IMAGE_MANIFEST);
        } catch (IOException e) {
            throw ioFailure(repository, "push tag " + tag, e);
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
                LayoutIndex index = readIndexFresh(layout);
                boolean removed = index.remove(tag);
                if (removed) {
                    writeIndex(layout, index);
                }
                return removed;
            });
        } catch (IOException e) {
            throw ioFailure(repository, "delete tag " + tag, e);
        }
    }

    @Override
    public String describe() {
        return "oci-layout:" + root;
    }

    private String describe(String repository) {
        return "OCI layout " + root + ", repository " + repository;
    }

    private StorageException tagExists(String repository, String tag) {
        return new StorageException(Kind.TAG_EXISTS, describe(repository) + ": tag '" + tag
                + "' already exists and is not overwritten");
    }

    private StorageException ioFailure(String repository, String what, IOException e) {
        return new StorageException(Kind.CORRUPT, describe(repository) + ": cannot " + what + ": " + e, e);
    }

    private LayoutIndex readIndex(Path layout) {
        Path file = LayoutPaths.index(layout);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            CachedIndex cached = indexes.get(layout);
            long modified = attributes.lastModifiedTime().toMillis();
            if (cached != null && Objects.equals(cached.fileKey(), attributes.fileKey())
                    && cached.modified() == modified && cached.size() == attributes.size()) {
                return cached.index();
            }
            LayoutIndex index = LayoutIndex.parse(json, Files.readAllBytes(file));
            indexes.put(layout, new CachedIndex(attributes.fileKey(), modified, attributes.size(), index));
            return index;
        } catch (NoSuchFileException e) {
            requireNoFileInTheWay(layout);
            return LayoutIndex.empty();
        } catch (IOException e) {
            throw new StorageException(Kind.CORRUPT, "OCI layout " + layout + ": cannot read index.json: " + e.getMessage(), e);
        }
    }

    /**
     * A repository that was never pushed to has no index: that is an empty answer. A regular file
     * where a folder of the path should be is a broken store, and JDKs differ in whether they
     * report it as "no such file", so look before answering "empty".
     */
    private void requireNoFileInTheWay(Path layout) {
        for (Path p = layout; p != null && p.startsWith(root.getParent() == null ? root : root.getParent()); p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new StorageException(Kind.CORRUPT, "OCI layout " + root + ": " + p + " is a file, not a folder");
            }
        }
    }

    /** A private copy to modify: the cached one is shared with readers. */
    private LayoutIndex readIndexFresh(Path layout) throws IOException {
        try {
            return LayoutIndex.parse(json, Files.readAllBytes(LayoutPaths.index(layout)));
        } catch (NoSuchFileException e) {
            return LayoutIndex.empty();
        }
    }

    private void writeIndex(Path layout, LayoutIndex index) throws IOException {
        Path target = LayoutPaths.index(layout);
        Path temp = Files.createTempFile(layout, ".index-", ".json");
        try {
            Files.write(temp, index.toBytes(json));
            moveAtomically(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void ensureLayout(Path layout) throws IOException {
        Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
        Path marker = layout.resolve("oci-layout");
        if (!Files.exists(marker)) {
            try {
                Files.write(marker, OCI_LAYOUT, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                // Another writer created it first: same content.
            }
        }
    }

    private Descriptor writeBlob(Path layout, Layer layer) throws IOException {
        Path dir = layout.resolve("blobs").resolve("sha256");
        Path temp = Files.createTempFile(dir, ".upload-", ".tmp");
        try {
            MessageDigest sha256 = Digest.newSha256();
            long size;
            try (InputStream in = layer.content().open();
                    OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
                size = in.transferTo(out);
            }
            Digest digest = Digest.ofSha256(sha256);
            Path target = LayoutPaths.blob(layout, digest);
            if (!Files.exists(target)) {
                moveAtomically(temp, target);
            }
            return new Descriptor(layer.mediaType(), digest, size, layer.annotations());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Digest writeBytesBlob(Path layout, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        Path target = LayoutPaths.blob(layout, digest);
        if (!Files.exists(target)) {
            Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
            try {
                Files.write(temp, bytes);
                moveAtomically(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return digest;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
        }
    }
}
