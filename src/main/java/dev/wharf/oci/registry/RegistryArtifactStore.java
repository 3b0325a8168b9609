package dev.wharf.oci.registry;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.ConcurrentLookups;
import dev.wharf.oci.Digest;
import dev.wharf.oci.DigestVerifyingInputStream;
import dev.wharf.oci.InputStreamChunks;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.References;
import dev.wharf.oci.auth.CredentialResolver;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.RegistryAuthenticator;
import dev.wharf.oci.auth.TokenExchange;
import dev.wharf.oci.registry.jetty.JettyBodyExchange;
import dev.wharf.oci.registry.jetty.VerifiedJettyChunks;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ArtifactStore} on a remote registry speaking the OCI Distribution Spec v1.1, through
 * Wharf's own small client (HTTP/1.1; reads on Jetty's client, requests with a body on {@code java.net.http},
 * see {@link RegistryTransport}): one class per registry operation
 * ({@link TagLister}, {@link RepositoryLister}, {@link ManifestPuller}, {@link ManifestChecker}, {@link ManifestPusher},
 * {@link ManifestDeleter}, {@link BlobPuller}, {@link BlobPusher}), each judging its own answers,
 * over one {@link RegistryTransport}.
 *
 * <p>Pushing ({@link ArtifactPusher}) uploads every blob first (a HEAD skips those present; a blob this store has seen in
 * another repository is mounted from there), then the empty config, then the manifest under its
 * tag, which makes the artifact visible in one step. Blob content is hashed in one pass over the
 * source and uploaded in a second, so nothing is ever held in memory. Reads stream too, checked
 * against their digest at the end.
 *
 * <p>Deleting a tag deletes the manifest it points at (distribution has no tag deletion), and with
 * it every other tag on the same manifest.
 */
public final class RegistryArtifactStore implements ArtifactStore {
    private final RegistrySettings settings;
    private final RegistryAddress address;
    private final RegistryTransport transport;
    private final JettyBodyExchange readClient;
    private final ConcurrentLookups lookups = new ConcurrentLookups("wharf-registry-lookup", 8);
    private final TagLister tags;
    private final RepositoryLister repositories;
    private final ManifestPuller manifests;
    private final ManifestChecker manifestChecker;
    private final ManifestDeleter manifestDeleter;
    private final BlobPuller blobs;
    private final ArtifactPusher pusher;

    public RegistryArtifactStore(RegistrySettings settings) {
        this(settings, CredentialResolver.system(settings.explicitCredentials()), RetryPolicy.standard(), null);
    }

    /**
     * With injected collaborators. {@code sslContext} replaces the default trust (null: the JVM's
     * trust store, or trust-all in insecure mode).
     */
    public RegistryArtifactStore(RegistrySettings settings, CredentialSource credentials, RetryPolicy retry, @Nullable SSLContext sslContext) {
        this(settings, credentials, retry, sslContext, RegistryCallObserver.NONE);
    }

    /** With every HTTP exchange with the registry told to {@code observer} (metrics). */
    public RegistryArtifactStore(RegistrySettings settings, RegistryCallObserver observer) {
        this(settings, CredentialResolver.system(settings.explicitCredentials()), RetryPolicy.standard(), null, observer);
    }

    public RegistryArtifactStore(RegistrySettings settings, CredentialSource credentials, RetryPolicy retry, @Nullable SSLContext sslContext,
            RegistryCallObserver observer) {
        this(settings, credentials, retry, sslContext, observer, ProxySelector.getDefault());
    }

    /**
     * With the proxies every request goes through chosen by {@code proxies} (the others: the JVM's
     * default selector, which reads {@code https.proxyHost}, {@code http.proxyHost},
     * {@code http.nonProxyHosts} and their kin).
     */
    public RegistryArtifactStore(RegistrySettings settings, CredentialSource credentials, RetryPolicy retry, @Nullable SSLContext sslContext,
            RegistryCallObserver observer, ProxySelector proxies) {
        this(settings, credentials, retry, sslContext, observer, proxies, Clock.systemUTC());
    }

    /** With the clock the transport times retries and blob rates by (TransferFloor); tests give one that runs fast. */
    RegistryArtifactStore(RegistrySettings settings, CredentialSource credentials, RetryPolicy retry, @Nullable SSLContext sslContext,
            RegistryCallObserver observer, ProxySelector proxies, Clock clock) {
        this.settings = settings;
        this.address = RegistryAddress.parse(settings.registry()).allowedWith(settings.insecure());
        Supplier<SSLContext> tls = sslContext != null ? () -> sslContext
                : new OnFirstUse<>(settings.insecure() ? InsecureTrustManager::context : RegistryArtifactStore::defaultContext);
        JdkHttpClient http = new JdkHttpClient(tls, settings.timeouts().connect(), proxies);
        // Plain HTTP is the registry's own protocol only when its address says so (loopback) or insecure mode allows it.
        boolean plainHttpAllowed = settings.insecure() || address.scheme().equals(Optional.of("http"));
        RegistryAuthenticator auth = new RegistryAuthenticator(address.authority(), credentials,
                new TokenExchange(http, Clock.systemUTC(), settings.timeouts().response(), plainHttpAllowed), Clock.systemUTC());
        this.readClient = new JettyBodyExchange(tls, settings.timeouts().connect(), settings.timeouts().idle(), proxies);
        this.transport = new RegistryTransport(address, settings.insecure(), http, readClient, auth, retry, settings.timeouts(),
                clock, observer);
        ContentDigestCheck digests = new ContentDigestCheck(address);
        this.tags = new TagLister(transport);
        this.repositories = new RepositoryLister(transport);
        this.manifests = new ManifestPuller(transport, address);
        this.manifestChecker = new ManifestChecker(transport);
        this.manifestDeleter = new ManifestDeleter(transport);
        this.blobs = new BlobPuller(transport, address);
        this.pusher = new ArtifactPusher(transport, address, manifests, manifestChecker, new ManifestPusher(transport, digests),
                new BlobPusher(transport, address, digests));
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no default TLS context", e);
        }
    }

    @Override
    public List<String> listTags(String repository) {
        References.requireRepository(repository);
        return tags.list(repository);
    }

    @Override
    public List<String> listRepositories(String prefix) {
        return repositories.list(prefix);
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
        return manifests.pull(repository, reference);
    }

    @Override
    public boolean exists(String repository, String tag) {
        References.requireRepository(repository);
        requireReference(tag);
        return manifestChecker.check(repository, tag, "check whether tag '" + tag + "' exists");
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        References.requireRepository(repository);
        return blobs.open(repository, digest);
    }

    /**
     * Handed out in the blob client's own buffers, checked against the digest before the last one ({@link VerifiedJettyChunks}),
     * with the answer's Content-Length as their {@link ChunkSource#announcedLength}.
     */
    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        References.requireRepository(repository);
        BlobPuller.Answer answer = blobs.openUnchecked(repository, digest);
        InputStream body = answer.body();
        return VerifiedJettyChunks.of(body, digest, answer.length())
                .orElseGet(() -> new InputStreamChunks(new DigestVerifyingInputStream(body, digest), COPY_BUFFER, answer.length()));
    }

    @Override
    public Optional<URI> directBlobUrl(String repository, Digest digest) {
        References.requireRepository(repository);
        return blobs.directUrl(repository, digest);
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        References.requireRepository(repository);
        References.requireTag(tag);
        return pusher.push(repository, tag, artifact, overwrite);
    }

    @Override
    public boolean delete(String repository, String tag) {
        References.requireRepository(repository);
        References.requireTag(tag);
        // By the digest of the manifest's bytes: a HEAD's Docker-Content-Digest, taken as it came, had made a registry that
        // named another manifest there delete that one (another version's, with all its tags) and keep this tag.
        Optional<Digest> digest = manifests.digest(repository, tag, "look up tag '" + tag + "' to delete it");
        return digest.isPresent() && manifestDeleter.delete(repository, digest.get(), tag);
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

    @Override
    public void close() {
        lookups.close();
        readClient.close();
    }
}
