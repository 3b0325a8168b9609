package dev.wharf.terraform.mirror.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A client of upstream Terraform provider registries on {@code java.net.http}: remote service
 * discovery, then the provider registry protocol, then the release files themselves, checked before
 * they are handed on. The requests are {@link UpstreamHttp}'s; the zip's download, resumed when cut,
 * is {@link ArchiveDownload}'s.
 */
public final class HttpUpstreamRegistry implements UpstreamSource {
    private static final Duration DISCOVERY_TTL = Duration.ofMinutes(10);

    private final UpstreamHttp http;
    private final UpstreamHosts hosts;
    private final SignatureCheck signatures;
    private final DownloadSpool spool;
    private final TryPause pause;
    private final Cache<String, URI> discovered = Caffeine.newBuilder().expireAfterWrite(DISCOVERY_TTL).maximumSize(1_000).build();

    public HttpUpstreamRegistry(HttpClient http, UpstreamHosts hosts, SignatureCheck signatures, Duration timeout) {
        this(http, hosts, signatures, timeout, DownloadSpool.TEMP_FILES, TryPause.SLEEP);
    }

    /** With the zip's local file made by {@code spool} and the waits between its tries by {@code pause}. */
    HttpUpstreamRegistry(HttpClient http, UpstreamHosts hosts, SignatureCheck signatures, Duration timeout, DownloadSpool spool,
            TryPause pause) {
        this.http = new UpstreamHttp(http, timeout);
        this.hosts = hosts;
        this.signatures = signatures;
        this.spool = spool;
        this.pause = pause;
    }

    /** An HTTP client for upstreams: follows redirects (release files usually live elsewhere), optional trust. */
    public static HttpClient client(Optional<SSLContext> trust, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(connectTimeout);
        trust.ifPresent(builder::sslContext);
        return builder.build();
    }

    /** The versions and platforms the upstream lists for a provider. */
    @Override
    public List<UpstreamVersion> versions(MirrorCoordinates provider) {
        URI uri = providersBase(provider.hostname()).resolve(provider.namespace() + "/" + provider.type() + "/versions");
        JsonNode body = http.getJson(provider.hostname(), uri, "provider " + provider);
        return VersionsAnswer.read(uri, body);
    }

    /** Where the upstream keeps one platform's package of a version, and its checksum and signing keys. */
    @Override
    public UpstreamPackage packageFor(MirrorCoordinates provider, String version, String os, String arch) {
        URI uri = providersBase(provider.hostname()).resolve(provider.namespace() + "/" + provider.type() + "/"
                + version + "/download/" + os + "/" + arch);
        JsonNode answer = http.getJson(provider.hostname(), uri, "provider " + provider + " " + version + " for " + os + "_" + arch);
        return DownloadAnswer.read(provider, version, os, arch, uri, answer);
    }

    /** Downloads the SHA256SUMS and its signature and verifies the signature against the upstream's keys. */
    @Override
    public VerifiedSums signedSums(UpstreamPackage pkg) {
        String what = describe(pkg);
        byte[] sums = http.getSmall(pkg.hostname(), pkg.shasumsUrl(), "the SHA256SUMS of " + what);
        byte[] signature = http.getSmall(pkg.hostname(), pkg.shasumsSignatureUrl(), "the SHA256SUMS signature of " + what);
        try {
            return new VerifiedSums(sums, signature, signatures.verify(sums, signature, pkg.signingKeysJson()));
        } catch (RuntimeException e) {
            throw new UpstreamException(UpstreamException.Kind.VERIFICATION_FAILED,
                    "the SHA256SUMS signature of " + what + " does not verify: " + e.getMessage());
        }
    }

    /**
     * Verifies the SHA256SUMS, then streams the zip into a temporary file in {@code dir} checking it
     * against its SHA256SUMS line. Nothing is returned (and the temporary file is removed) unless all
     * of it checks out. A temporary file the local disk refuses is a {@link dev.wharf.oci.StorageException}
     * ({@code WRITE_FAILED}): this server's failure, not the upstream's.
     */
    @Override
    public VerifiedRelease fetch(UpstreamPackage pkg, Path dir) {
        VerifiedSums sums = signedSums(pkg);
        String what = describe(pkg);
        String expected = sums.sha256Of(pkg.filename()).orElseThrow(() -> new UpstreamException(
                UpstreamException.Kind.VERIFICATION_FAILED, "the signed SHA256SUMS of " + what + " does not list " + pkg.filename()));
        if (!pkg.shasum().isEmpty() && !pkg.shasum().equals(expected)) {
            throw new UpstreamException(UpstreamException.Kind.VERIFICATION_FAILED, "the upstream's shasum for "
                    + pkg.filename() + " (" + pkg.shasum() + ") differs from its signed SHA256SUMS (" + expected + ")");
        }
        Path archive = ArchiveDownload.fetch(http, spool, pause, pkg, dir, expected);
        return new VerifiedRelease(pkg, archive, sums.content(), sums.signature(), sums.signingKeyId());
    }

    private static String describe(UpstreamPackage pkg) {
        return pkg.hostname() + "/" + pkg.namespace() + "/" + pkg.type() + " " + pkg.version();
    }

    private URI providersBase(String hostname) {
        return discovered.get(hostname, this::discover);
    }

    private URI discover(String hostname) {
        URI base = hosts.baseOf(hostname);
        URI uri = URI.create(base + "/.well-known/terraform.json");
        JsonNode body = http.getJson(hostname, uri, "the service discovery document");
        JsonNode providers = body.path("providers.v1");
        if (!providers.isTextual() || providers.asText().isBlank()) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, "upstream registry " + hostname + " (" + base
                    + ") offers no providers.v1 service in its discovery document");
        }
        String path = providers.asText();
        return address(uri, path.endsWith("/") ? path : path + "/", "providers.v1");
    }

    /**
     * {@code reference} from an upstream's answer, resolved against the answer's own address: an address
     * that is not a URI, or names a scheme other than http(s) (ftp:, file:), is the upstream's fault and
     * said so (502), not an internal error.
     */
    static URI address(URI answer, String reference, String field) {
        URI resolved;
        try {
            resolved = answer.resolve(reference);
        } catch (IllegalArgumentException e) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, answer + " gives a " + field + " that is not an address: "
                    + e.getMessage());
        }
        String scheme = resolved.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http")) || resolved.getHost() == null) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, answer + " gives a " + field + " that is not an http(s) address: "
                    + reference);
        }
        return resolved;
    }
}
