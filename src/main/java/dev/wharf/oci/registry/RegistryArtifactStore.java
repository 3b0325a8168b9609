package dev.wharf.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.DigestVerifyingInputStream;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.References;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.auth.CredentialResolver;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.RegistryAuthenticator;
import dev.wharf.oci.auth.TokenExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * An {@link ArtifactStore} on a remote registry speaking the OCI Distribution Spec v1.1, through
 * Wharf's own small client on {@code java.net.http} (HTTP/1.1).
 *
 * <p>Pushing uploads every blob first (a HEAD skips those present; a blob this store has seen in
 * another repository is mounted from there), then the empty config, then the manifest under its
 * tag, which makes the artifact visible in one step. Blob content is hashed in one pass over the
 * source and uploaded in a second, so nothing is ever held in memory: small blobs go in a single
 * PUT, larger ones in one streamed PATCH and a closing PUT. Reads stream too, checked against
 * their digest at the end.
 *
 * <p>Deleting a tag deletes the manifest it points at (distribution has no tag deletion), and with
 * it every other tag on the same manifest.
 */
public final class RegistryArtifactStore implements ArtifactStore {
    static final String ACCEPT_MANIFESTS = String.join(", ", Manifest.OCI_IMAGE_MANIFEST,
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final long MONOLITHIC_LIMIT = 8L << 20;
    private static final long MOUNT_THRESHOLD = 1L << 20;
    private static final int MAX_TAG_PAGES = 100_000;

    private final RegistrySettings settings;
    private final RegistryAddress address;
    private final RegistryTransport transport;
    private final ManifestCodec codec = new ManifestCodec();
    private final ObjectMapper json = new ObjectMapper();
    /** Where this store has seen each blob, so a push to another repository can mount it instead of uploading. */
    private final Cache<Digest, String> knownBlobs = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Object[] uploadLocks = new Object[64];
    private final ConcurrentLookups lookups = new ConcurrentLookups(8);

    public RegistryArtifactStore(RegistrySettings settings) {
        this(settings, CredentialResolver.system(settings.explicitCredentials()), RetryPolicy.standard(), null);
    }

    /**
     * With injected collaborators. {@code sslContext} replaces the default trust (null: the JVM's
     * trust store, or trust-all in insecure mode).
     */
    public RegistryArtifactStore(RegistrySettings settings, CredentialSource credentials, RetryPolicy retry, SSLContext sslContext) {
        this(settings, credentials, retry, sslContext, RegistryCallObserver.NONE);
    }

    /** With every HTTP exchange with the registry told to {@code observer} (metrics). */
    public RegistryArtifactStore(RegistrySettings settings, RegistryCallObserver observer) {
        this(settings, CredentialResolver.system(settings.explicitCredentials()), RetryPolicy.standard(), null, observer);
    }

    public RegistryArtifactStore(RegistrySettings settings, CredentialSource credentials, RetryPolicy retry, SSLContext sslContext,
            RegistryCallObserver observer) {
        this.settings = settings;
        this.address = RegistryAddress.parse(settings.registry());
        SSLContext tls = sslContext != null ? sslContext : settings.insecure() ? InsecureTrustManager.context() : defaultContext();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(15))
                .sslContext(tls)
                .build();
        RegistryAuthenticator auth = new RegistryAuthenticator(address.authority(), credentials,
                new TokenExchange(http, Clock.systemUTC(), Duration.ofSeconds(30)), Clock.systemUTC());
        this.transport = new RegistryTransport(address, settings.insecure(), http, auth, retry, observer);
        for (int i = 0; i < uploadLocks.length; i++) {
            uploadLocks[i] = new Object();
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no default TLS context", e);
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public List<String> listTags(String repository) {
        References.requireRepository(repository);
        List<String> tags = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        String path = "/v2/" + repository + "/tags/list";
        for (int page = 0; page < MAX_TAG_PAGES; page++) {
            RegistryCall call = RegistryCall.of("GET", path, repository, "list the tags").build();
            HttpResponse<InputStream> answer = transport.send(call);
            if (answer.statusCode() == 404) {
                RegistryTransport.discard(answer);
                return tags;
            }
            if (answer.statusCode() != 200) {
                throw transport.unexpected(answer, call);
            }
            byte[] body = transport.readSmall(answer, call, answer.uri());
            JsonNode root = parseJson(body, answer, call);
            JsonNode list = root.get("tags");
            if (!root.isObject() || (list == null && !root.has("name")) || (list != null && !list.isNull() && !list.isArray())) {
                throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                        "JSON without the OCI tag list shape {\"name\":…,\"tags\":[…]}");
            }
            if (list != null) {
                list.forEach(t -> tags.add(t.asText()));
            }
            Optional<URI> next = LinkHeader.next(answer.headers().allValues("Link"), answer.uri());
            if (next.isEmpty()) {
                return tags;
            }
            if (!seen.add(next.get())) {
                throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                        "a Link header that points back at a page already read");
            }
            path = next.get().toString();
        }
        throw transport.failures().malformed(path, RegistryCall.of("GET", path, repository, "list the tags").build(),
                "more than " + MAX_TAG_PAGES + " pages of tags");
    }

    /** Up to eight manifests in flight at once; the answers keep the order asked. */
    @Override
    public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        return lookups.map(references, reference -> resolve(repository, reference));
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        References.requireRepository(repository);
        requireReference(reference);
        RegistryCall call = RegistryCall.of("GET", "/v2/" + repository + "/manifests/" + reference, repository,
                "read the manifest '" + reference + "'").header("Accept", ACCEPT_MANIFESTS).build();
        HttpResponse<InputStream> answer = transport.send(call);
        if (answer.statusCode() == 404) {
            RegistryTransport.discard(answer);
            return Optional.empty();
        }
        if (answer.statusCode() != 200) {
            throw transport.unexpected(answer, call);
        }
        byte[] bytes = transport.readSmall(answer, call, answer.uri());
        String contentType = answer.headers().firstValue("Content-Type").orElse(null);
        if (OciErrors.looksLikeHtml(contentType, bytes)) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "an HTML page");
        }
        Digest digest = Digest.sha256(bytes);
        if (Digest.isDigest(reference) && !Digest.parse(reference).equals(digest)) {
            throw new StorageException(Kind.CORRUPT, "registry " + address + ", repository " + repository
                    + ": the manifest served for " + reference + " has the digest " + digest
                    + "; the registry's storage may be corrupt");
        }
        try {
            return Optional.of(codec.decode(digest, bytes, contentType));
        } catch (IllegalArgumentException e) {
            throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                    "something that is not an artifact manifest (" + e.getMessage() + ")");
        }
    }

    @Override
    public boolean exists(String repository, String tag) {
        References.requireRepository(repository);
        requireReference(tag);
        return headManifest(repository, tag, "check whether tag '" + tag + "' exists").isPresent();
    }

    /** HEADs a manifest; its digest (from Docker-Content-Digest) when it exists. */
    private Optional<Optional<Digest>> headManifest(String repository, String reference, String action) {
        RegistryCall call = RegistryCall.of("HEAD", "/v2/" + repository + "/manifests/" + reference, repository, action)
                .header("Accept", ACCEPT_MANIFESTS).build();
        HttpResponse<InputStream> answer = transport.send(call);
        RegistryTransport.discard(answer);
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        if (answer.statusCode() != 200) {
            throw transport.unexpected(answer, call);
        }
        return Optional.of(answer.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse));
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        References.requireRepository(repository);
        RegistryCall call = RegistryCall.of("GET", "/v2/" + repository + "/blobs/" + digest, repository,
                "read the blob " + digest).followRedirects().build();
        HttpResponse<InputStream> answer = transport.send(call);
        if (answer.statusCode() == 404) {
            RegistryTransport.discard(answer);
            throw new StorageException(Kind.NOT_FOUND, "registry " + address + ", repository " + repository
                    + ": the blob " + digest + " does not exist; the artifact may have been deleted or pushed incompletely");
        }
        if (answer.statusCode() != 200) {
            throw transport.unexpected(answer, call);
        }
        return new DigestVerifyingInputStream(answer.body(), digest);
    }

    @Override
    public Optional<URI> directBlobUrl(String repository, Digest digest) {
        References.requireRepository(repository);
        RegistryCall call = RegistryCall.of("GET", "/v2/" + repository + "/blobs/" + digest, repository,
                "look up the blob " + digest).build();
        URI registry = transport.base();
        return transport.redirectTarget(call).filter(target -> !RegistryTransport.sameOrigin(target, registry));
    }

    // ---------------------------------------------------------------- writing

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        References.requireRepository(repository);
        References.requireTag(tag);
        List<Descriptor> layers = new ArrayList<>();
        for (Layer layer : artifact.layers()) {
            Descriptor descriptor = describe(repository, layer);
            ensureBlob(repository, descriptor.digest(), descriptor.size(), layer.content());
            layers.add(descriptor);
        }
        Descriptor config = ManifestCodec.EMPTY_CONFIG_DESCRIPTOR;
        ensureBlob(repository, config.digest(), config.size(), BlobSource.ofBytes(ManifestCodec.EMPTY_CONFIG));

        byte[] manifestBytes = codec.encode(artifact.artifactType(), layers, artifact.annotations());
        Digest manifestDigest = Digest.sha256(manifestBytes);
        if (!overwrite && headManifest(repository, tag, "check whether tag '" + tag + "' exists").isPresent()) {
            throw new StorageException(Kind.TAG_EXISTS, "registry " + address + ", repository " + repository + ": the tag '"
                    + tag + "' already exists and is not overwritten; push under a new version or delete the old one first");
        }
        RegistryCall put = RegistryCall.of("PUT", "/v2/" + repository + "/manifests/" + tag, repository,
                        "push the manifest for tag '" + tag + "'")
                .header("Content-Type", Manifest.OCI_IMAGE_MANIFEST)
                .body(() -> HttpRequest.BodyPublishers.ofByteArray(manifestBytes))
                .build();
        HttpResponse<InputStream> answer = transport.send(put);
        if (answer.statusCode() == 400) {
            byte[] error = transport.readSmall(answer, put, answer.uri());
            if (!OciErrors.parse(error).has("MANIFEST_BLOB_UNKNOWN")) {
                throw transport.unexpected(answer, put, error);
            }
            // A blob vanished between its upload and the manifest (another client's delete or a
            // registry race): upload what is missing once more and repeat the manifest.
            for (int i = 0; i < layers.size(); i++) {
                ensureBlob(repository, layers.get(i).digest(), layers.get(i).size(), artifact.layers().get(i).content());
            }
            ensureBlob(repository, config.digest(), config.size(), BlobSource.ofBytes(ManifestCodec.EMPTY_CONFIG));
            answer = transport.send(put);
        }
        if (answer.statusCode() != 201 && answer.statusCode() != 200) {
            throw transport.unexpected(answer, put);
        }
        RegistryTransport.discard(answer);
        checkDigestHeader(answer, manifestDigest, repository, "manifest");
        return codec.decode(manifestDigest, manifestBytes, Manifest.OCI_IMAGE_MANIFEST);
    }

    /** Hashes the layer's content in one streaming pass. */
    private Descriptor describe(String repository, Layer layer) {
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

    private void ensureBlob(String repository, Digest digest, long size, BlobSource content) {
        // distribution loses a blob's repository link when two sessions commit the same blob at
        // once; pushes from this store never race on one digest.
        synchronized (uploadLocks[Math.floorMod(digest.hashCode(), uploadLocks.length)]) {
            ensureBlobUnlocked(repository, digest, size, content);
        }
    }

    private void ensureBlobUnlocked(String repository, Digest digest, long size, BlobSource content) {
        if (blobExists(repository, digest)) {
            knownBlobs.put(digest, repository);
            return;
        }
        RetryPolicy retry = transport.retry();
        for (int attempt = 1; ; attempt++) {
            try {
                upload(repository, digest, size, content);
                knownBlobs.put(digest, repository);
                return;
            } catch (TransientStorageException e) {
                // The session may be gone with the connection: start a new one (blobs are content-addressed).
                if (attempt >= retry.maxAttempts()) {
                    throw e;
                }
                RetryPolicy.sleep(retry.backoff(attempt));
            }
        }
    }

    private boolean blobExists(String repository, Digest digest) {
        RegistryCall call = RegistryCall.of("HEAD", "/v2/" + repository + "/blobs/" + digest, repository,
                "check for the blob " + digest).scopes(RegistryCall.scopesFor("PUT", repository)).build();
        HttpResponse<InputStream> answer = transport.send(call);
        RegistryTransport.discard(answer);
        if (answer.statusCode() == 200) {
            return true;
        }
        if (answer.statusCode() == 404) {
            return false;
        }
        throw transport.unexpected(answer, call);
    }

    /** One upload session: POST (with a mount attempt when the blob is known elsewhere), then PUT or PATCH+PUT. */
    private void upload(String repository, Digest digest, long size, BlobSource content) {
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
        HttpResponse<InputStream> started = transport.send(post);
        if (started.statusCode() != 202 && !(started.statusCode() == 201 && mount)) {
            throw transport.unexpected(started, post);
        }
        RegistryTransport.discard(started);
        if (started.statusCode() == 201) {
            checkDigestHeader(started, digest, repository, "blob");
            return;
        }
        URI location = uploadLocation(started, post);
        Supplier<HttpRequest.BodyPublisher> body = () -> HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> openForUpload(content)), size);
        List<String> pushScope = RegistryCall.scopesFor("PUT", repository);
        HttpResponse<InputStream> finished;
        RegistryCall put;
        if (size <= MONOLITHIC_LIMIT) {
            put = RegistryCall.of("PUT", withDigest(location, digest), repository, "upload the blob " + digest)
                    .header("Content-Type", "application/octet-stream").body(size == 0 ? HttpRequest.BodyPublishers::noBody : body)
                    .scopes(pushScope).idempotent(false).noTimeout().build();
            finished = transport.send(put);
        } else {
            RegistryCall patch = RegistryCall.of("PATCH", location.toString(), repository, "upload the blob " + digest)
                    .header("Content-Type", "application/octet-stream").body(body)
                    .scopes(pushScope).noTimeout().build();
            HttpResponse<InputStream> patched = transport.send(patch);
            if (patched.statusCode() != 202) {
                throw transport.unexpected(patched, patch);
            }
            RegistryTransport.discard(patched);
            URI next = uploadLocation(patched, patch);
            put = RegistryCall.of("PUT", withDigest(next, digest), repository, "finish uploading the blob " + digest)
                    .header("Content-Type", "application/octet-stream").scopes(pushScope).idempotent(false).build();
            finished = transport.send(put);
        }
        if (finished.statusCode() != 201) {
            if (finished.statusCode() == 400) {
                byte[] errorBody = transport.readSmall(finished, put, finished.uri());
                if (OciErrors.parse(errorBody).has("DIGEST_INVALID")) {
                    throw new StorageException(Kind.CORRUPT, "registry " + address + ", repository " + repository
                            + ": the uploaded content does not match " + digest + "; did " + content + " change during the push?");
                }
                throw transport.unexpected(finished, put, errorBody);
            }
            throw transport.unexpected(finished, put);
        }
        RegistryTransport.discard(finished);
        checkDigestHeader(finished, digest, repository, "blob");
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

    private void checkDigestHeader(HttpResponse<?> answer, Digest expected, String repository, String what) {
        Optional<String> header = answer.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent() && Digest.isDigest(header.get()) && Digest.parse(header.get()).algorithm().equals(expected.algorithm())
                && !Digest.parse(header.get()).equals(expected)) {
            throw new StorageException(Kind.CORRUPT, "registry " + address + ", repository " + repository + ": the registry stored the "
                    + what + " as " + header.get() + " but Wharf sent " + expected + "; the upload was altered on the way");
        }
    }

    @Override
    public boolean delete(String repository, String tag) {
        References.requireRepository(repository);
        References.requireTag(tag);
        Optional<Optional<Digest>> head = headManifest(repository, tag, "look up tag '" + tag + "' to delete it");
        if (head.isEmpty()) {
            return false;
        }
        Digest digest = head.get().orElseGet(() -> resolve(repository, tag).map(Manifest::digest).orElse(null));
        if (digest == null) {
            return false;
        }
        RegistryCall call = RegistryCall.of("DELETE", "/v2/" + repository + "/manifests/" + digest, repository,
                "delete tag '" + tag + "' (manifest " + digest + ")").build();
        HttpResponse<InputStream> answer = transport.send(call);
        int status = answer.statusCode();
        if (status == 202 || status == 200 || status == 204) {
            RegistryTransport.discard(answer);
            return true;
        }
        if (status == 404) {
            RegistryTransport.discard(answer);
            return false;
        }
        throw transport.unexpected(answer, call);
    }

    @Override
    public String describe() {
        return transport.describe();
    }

    public RegistrySettings settings() {
        return settings;
    }

    private static void requireReference(String reference) {
        if (!Digest.isDigest(reference)) {
            References.requireTag(reference);
        }
    }

    private JsonNode parseJson(byte[] body, HttpResponse<InputStream> answer, RegistryCall call) {
        if (OciErrors.looksLikeHtml(answer.headers().firstValue("Content-Type").orElse(null), body)) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "an HTML page");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null) {
                throw new IOException("empty");
            }
            return node;
        } catch (IOException e) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "a body that is not JSON");
        }
    }

    @Override
    public void close() {
        lookups.close();
    }
}
