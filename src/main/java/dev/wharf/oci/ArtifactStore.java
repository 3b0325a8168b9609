package dev.wharf.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where artifacts live: a remote OCI registry or a local OCI image layout. Repositories are full
 * paths below the store ({@code boring-registry/modules/acme/vpc/aws}); tags follow the OCI rules
 * ({@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}). This layer knows nothing of what the artifacts mean.
 *
 * <p>Every method throws {@link StorageException} on failure; "not there" is an empty answer, not
 * an exception.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Every tag of {@code repository}, all pages, in no particular order; empty if the repository is unknown. */
    List<String> listTags(String repository);

    /**
     * Every repository whose name starts with {@code prefix}, sorted. Registries need not offer a
     * list (the catalog is optional in the OCI distribution spec): those throw
     * {@link StorageException.Kind#UNSUPPORTED}, as does this default.
     */
    default List<String> listRepositories(String prefix) {
        throw new StorageException(StorageException.Kind.UNSUPPORTED, describe() + " does not list its repositories");
    }

    /** The manifest a tag or digest points at, or empty when there is none. */
    Optional<Manifest> resolve(String repository, String reference);

    /**
     * The manifests several tags or digests point at, in the order asked, each empty when there is
     * none. Stores that talk to a server may ask concurrently: an answer over thousands of versions
     * should not wait for thousands of round trips one after another.
     */
    default List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        return references.stream().map(reference -> resolve(repository, reference)).toList();
    }

    /**
     * The manifest a tag points at as storage holds it now: a store that caches asks past its cache
     * (and keeps the fresh answer). For the few tags Wharf reads in order to rewrite them, where an
     * answer from a cache would undo another writer's change.
     */
    default Optional<Manifest> resolveFresh(String repository, String tag) {
        return resolve(repository, tag);
    }

    /**
     * {@link #listTags} with the {@link Generation} of the list: a store that caches hands out the
     * generation of its cache entry, to be checked later with {@link #isCurrentTagList}; any other
     * store hands out {@link Generation#NONE}, which is never current.
     */
    default Stamped<List<String>> listTagsStamped(String repository) {
        return Stamped.uncached(listTags(repository));
    }

    /** {@link #resolve} with the {@link Generation} of the lookup, as {@link #listTagsStamped} for a tag list. */
    default Stamped<Optional<Manifest>> resolveStamped(String repository, String reference) {
        return Stamped.uncached(resolve(repository, reference));
    }

    /**
     * Whether {@code generation}, handed out with an earlier {@link #listTagsStamped}, is still that
     * of the list this store would answer now, decided from memory alone: false whenever telling
     * would need a request or a file read. A server thread that must never wait (one that serves
     * many connections) asks this to know whether something built from the list is still current;
     * on false it hands the request to a thread that may ask the store properly.
     */
    default boolean isCurrentTagList(String repository, Generation generation) {
        return false;
    }

    /** Like {@link #isCurrentTagList}, for a generation of {@link #resolveStamped} of {@code reference}. */
    default boolean isCurrentResolution(String repository, String reference, Generation generation) {
        return false;
    }

    /** Whether a tag exists, as cheaply as the backend can tell (a HEAD on a registry). */
    boolean exists(String repository, String tag);

    /**
     * Opens a blob for streaming. The stream checks the content against the digest and fails at
     * its end when they disagree. Throws {@link StorageException.Kind#NOT_FOUND} if the blob is gone.
     */
    InputStream openBlob(String repository, Digest digest);

    /**
     * Opens a blob to be read chunk by chunk ({@link ChunkSource}), checked against its digest: the
     * last chunk is handed out only once the whole content has matched, and a blob that does not
     * match fails with an {@link IOException} instead, so a receiver that knows the length (an HTTP
     * client reading a Content-Length) never gets a complete corrupt blob. Throws
     * {@link StorageException.Kind#NOT_FOUND} before handing out anything if the blob is gone.
     */
    default ChunkSource readBlob(String repository, Digest digest) {
        return new InputStreamChunks(openBlob(repository, digest), COPY_BUFFER);
    }

    /**
     * {@link #openBlob(String, Digest)} for a blob a manifest describes: the stream also fails when the content's
     * length is not the descriptor's size, at the first byte past it or at an end that comes early.
     */
    default InputStream openBlob(String repository, Descriptor blob) {
        return new SizeCheckedInputStream(openBlob(repository, blob.digest()), lengthOf(repository, blob));
    }

    /**
     * {@link #readBlob(String, Digest)} for a blob a manifest describes: fails, with a message naming the storage,
     * repository and digest, when the content's length is not the descriptor's size. A server announces that size as
     * the Content-Length before the first byte, so more bytes are refused before they go out and fewer fail at the end:
     * the download is cut and the failure logged, never a body that differs from its length without a word. When the
     * storage announces the content's length first ({@link ChunkSource#announcedLength}) and it differs, this throws a
     * {@link StorageException.Kind#CORRUPT} before handing out anything, so the server can still answer an error.
     */
    default ChunkSource readBlob(String repository, Descriptor blob) {
        return SizeCheckedChunks.of(readBlob(repository, blob.digest()), blob, where(repository));
    }

    private BlobLength lengthOf(String repository, Descriptor blob) {
        return new BlobLength(blob, where(repository));
    }

    /** The storage and repository, for a message: "registry r.example, repository a/b". */
    private String where(String repository) {
        return describe() + ", repository " + repository;
    }

    /**
     * Whether {@link #readBlob} of this blob would now hand out content that {@link ChunkSource#hasParts} (a
     * file), told without opening it: a server answers a HEAD with a Range as its GET would, and opening a
     * registry's blob for that would start its download. False when only opening tells.
     */
    default boolean readsBlobInParts(String repository, Digest digest) {
        return false;
    }

    /**
     * Streams a blob into {@code sink}: {@link #readBlob}, drained. An {@link IOException} from the
     * sink ends the copy.
     */
    default void copyBlob(String repository, Digest digest, BlobSink sink) throws IOException {
        readBlob(repository, digest).drainTo(sink);
    }

    /**
     * Chunk size of the default {@link #readBlob}, two held per download. 256 KB chunks proxied a
     * 200 MB blob no faster than 32 KB ones (bench/RESULTS.md, figure 2), so the heap decides.
     */
    int COPY_BUFFER = 64 * 1024;

    /**
     * A URL a client may fetch the blob from directly without credentials (a presigned redirect
     * some registries hand out), or empty when the blob must be streamed through Wharf.
     */
    default Optional<URI> directBlobUrl(String repository, Digest digest) {
        return Optional.empty();
    }

    /**
     * Pushes an artifact: every blob first (skipping those already present), then the manifest under
     * {@code tag}. With {@code overwrite} false an existing tag is refused with
     * {@link StorageException.Kind#TAG_EXISTS} and nothing visible changes.
     */
    Manifest push(String repository, String tag, Artifact artifact, boolean overwrite);

    /**
     * Removes a tag. Throws {@link StorageException.Kind#UNSUPPORTED} where the backend cannot
     * (docker-registry 2.8 deletes manifests by digest only when deletion is enabled). Returns false
     * when the tag did not exist.
     */
    boolean delete(String repository, String tag);

    /** A short human description for logs and {@code /health}: "registry.example.com" or "oci-layout:/data". */
    String describe();

    @Override
    default void close() {
    }
}
