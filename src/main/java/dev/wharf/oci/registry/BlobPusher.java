package dev.wharf.oci.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts a blob into a repository unless it is there: a HEAD first, then one upload session. The
 * session opens with {@code POST /v2/<name>/blobs/uploads/} (202 with a {@code Location}; or 201
 * when a mount from another repository this store saw the blob in worked), then sends the content
 * in one {@code PUT} (small blobs) or one streamed {@code PATCH} (202) and a closing {@code PUT}
 * (201). A 400 {@code DIGEST_INVALID} means the content changed while it was pushed.
 *
 * <p>A session that fails transiently is not resumed step by step (the registry may have applied
 * the step): it is abandoned and a new one starts from the POST, which is safe because blobs are
 * content-addressed. Sessions are started again only while the retry budget, counted from the first
 * session's start, lasts; the upload steps themselves are bounded as uploads are (the idle timeout while
 * the body goes out, the response timeout after it), so a push costs at most the budget plus one session.
 */
final class BlobPusher {
    private static final long MONOLITHIC_LIMIT = 8L << 20;
    private static final long MOUNT_THRESHOLD = 1L << 20;

    private final RegistryTransport transport;
    private final RegistryAddress address;
    private final BlobChecker checker;
    private final ContentDigestCheck digests;
    /** Where this store has seen each blob, so a push to another repository can mount it instead of uploading. */
    private final Cache<Digest, String> knownBlobs = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Object[] uploadLocks = new Object[64];

    BlobPusher(RegistryTransport transport, RegistryAddress address, ContentDigestCheck digests) {
        this.transport = transport;
        this.address = address;
        this.checker = new BlobChecker(transport);
        this.digests = digests;
        for (int i = 0; i < uploadLocks.length; i++) {
            uploadLocks[i] = new Object();
        }
    }

    /** Hashes the layer's content in one streaming pass. */
    Descriptor describe(String repository, Layer layer) {
        MessageDigest sha = Digest.newSha256();
        long size;
        try (InputStream in = new DigestInputStream(layer.content().open(), sha)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new StorageException(Kind.CORRUPT, "cannot read the content to push to repository " + repository
                    + " (" + layer.content() + "): " + e.getMessage(), e);
        }
        return new Descriptor(layer.mediaType(), Digest.ofSha256(sha), size, layer.annotations());
    }

    void ensure(String repository, Digest digest, long size, BlobSource content) {
        // distribution loses a blob's repository link when two sessions commit the same blob at
        // once; pushes from this store never race on one digest.
        synchronized (uploadLocks[Math.floorMod(digest.hashCode(), uploadLocks.length)]) {
            ensureUnlocked(repository, digest, size, content);
        }
    }

    private void ensureUnlocked(String repository, Digest digest, long size, BlobSource content) {
        if (checker.exists(repository, digest)) {
            knownBlobs.put(digest, repository);
            return;
        }
        RetryPolicy retry = transport.retry();
        // One budget for all sessions: each used to get its own retries on top, four sessions in a row, and a PUT that
        // hung had held a push 22 s against an 8 s budget. A session is started again only while the budget lasts.
        long deadline = transport.deadline();
        for (int attempt = 1; ; attempt++) {
            try {
                upload(repository, digest, size, content, deadline);
                knownBlobs.put(digest, repository);
                return;
            } catch (TransientStorageException e) {
                // The session may be gone with the connection: start a new one.
                Optional<Duration> wait = retry.next(attempt, Optional.empty(), RegistryTransport.remaining(deadline));
                if (wait.isEmpty()) {
                    throw e;
                }
                transport.pause(wait.get(), "upload the blob " + digest);
            }
        }
    }

    /** One upload session: POST (with a mount attempt when the blob is known elsewhere), then PUT or PATCH+PUT. */
    private void upload(String repository, Digest digest, long size, BlobSource content, long deadline) {
        String from = knownBlobs.getIfPresent(digest);
        // A mount costs a token of its own on Bearer registries: only worth it for blobs of some size.
        boolean mount = from != null && !from.equals(repository) && size >= MOUNT_THRESHOLD;
        String start = "/v2/" + repository + "/blobs/uploads/" + (mount ? "?mount=" + digest + "&from=" + from : "");
        List<String> scopes = new ArrayList<>(RegistryCall.scopesFor("POST", repository));
        if (mount) {
            scopes.add("repository:" + from + ":pull");
        }
        RegistryCall post = RegistryCall.of("POST", start, repository, "start uploading the blob " + digest)
                .scopes(scopes).build();
        HttpResponse<InputStream> started = transport.send(post, deadline);
        if (started.statusCode() != 202 && !(started.statusCode() == 201 && mount)) {
            throw transport.unexpected(started, post);
        }
        AnswerBodies.discard(started);
        if (started.statusCode() == 201) {
            digests.check(started, digest, repository, "blob");
            return;
        }
        URI location = uploadLocation(started, post);
        Supplier<HttpRequest.BodyPublisher> body = () -> HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> openForUpload(content)), size);
        List<String> pushScope = RegistryCall.scopesFor("PUT", repository);
        RegistryCall put;
        HttpResponse<InputStream> finished;
        if (size <= MONOLITHIC_LIMIT) {
            put = RegistryCall.of("PUT", withDigest(location, digest), repository, "upload the blob " + digest)
                    .header("Content-Type", "application/octet-stream").body(size == 0 ? HttpRequest.BodyPublishers::noBody : body)
                    .scopes(pushScope).idempotent(false).upload().build();
            finished = transport.send(put);
        } else {
            RegistryCall patch = RegistryCall.of("PATCH", location.toString(), repository, "upload the blob " + digest)
                    .header("Content-Type", "application/octet-stream").body(body)
                    .scopes(pushScope).upload().build();
            HttpResponse<InputStream> patched = transport.send(patch);
            if (patched.statusCode() != 202) {
                throw transport.unexpected(patched, patch);
            }
            AnswerBodies.discard(patched);
            URI next = uploadLocation(patched, patch);
            put = RegistryCall.of("PUT", withDigest(next, digest), repository, "finish uploading the blob " + digest)
                    .header("Content-Type", "application/octet-stream").scopes(pushScope).idempotent(false).build();
            finished = transport.send(put);
        }
        finish(finished, put, repository, digest, content);
    }

    /** The answer to the closing PUT: 201 stored; 400 DIGEST_INVALID the content changed on the way; anything else fails. */
    private void finish(HttpResponse<InputStream> answer, RegistryCall put, String repository, Digest digest, BlobSource content) {
        switch (answer.statusCode()) {
            case 201 -> {
                AnswerBodies.discard(answer);
                digests.check(answer, digest, repository, "blob");
            }
            case 400 -> {
                byte[] error = transport.readSmall(answer, put, answer.uri());
                if (OciErrors.parse(error).has(OciErrorCode.DIGEST_INVALID)) {
                    throw new StorageException(Kind.CORRUPT, "registry " + address + ", repository " + repository
                            + ": the uploaded content does not match " + digest + "; did " + content + " change during the push?");
                }
                throw transport.unexpected(answer, put, error);
            }
            default -> throw transport.unexpected(answer, put);
        }
    }

    private static InputStream openForUpload(BlobSource content) {
        try {
            return content.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI uploadLocation(HttpResponse<InputStream> answer, RegistryCall call) {
        String location = answer.headers().firstValue("Location").orElseThrow(() -> transport.failures().malformed(
                RegistryTransport.display(answer.uri()), call, "an upload answer without a Location header"));
        return answer.uri().resolve(location);
    }

    private static String withDigest(URI location, Digest digest) {
        String text = location.toString();
        return text + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest;
    }
}
