package dev.wharf.terraform.mirror.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.http.TlsHandshakes;
import dev.wharf.oci.Digest;
import dev.wharf.oci.IdleBoundedBody;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A client of upstream Terraform provider registries on {@code java.net.http}: remote service
 * discovery, then the provider registry protocol, then the release files themselves, checked before
 * they are handed on.
 */
public final class HttpUpstreamRegistry implements UpstreamSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DISCOVERY_TTL = Duration.ofMinutes(10);
    private static final int MAX_SMALL_FILE = 1 << 20;

    /** The largest provider zip taken from an upstream; the largest published ones are a few hundred MB. */
    static final long MAX_ARCHIVE_BYTES = 2L << 30;

    private final HttpClient http;
    private final UpstreamHosts hosts;
    private final SignatureCheck signatures;
    private final Duration timeout;
    private final Cache<String, URI> discovered = Caffeine.newBuilder().expireAfterWrite(DISCOVERY_TTL).maximumSize(1_000).build();

    public HttpUpstreamRegistry(HttpClient http, UpstreamHosts hosts, SignatureCheck signatures, Duration timeout) {
        this.http = http;
        this.hosts = hosts;
        this.signatures = signatures;
        this.timeout = timeout;
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
        JsonNode body = getJson(provider.hostname(), uri, "provider " + provider);
        return VersionsAnswer.read(uri, body);
    }

    /** Where the upstream keeps one platform's package of a version, and its checksum and signing keys. */
    @Override
    public UpstreamPackage packageFor(MirrorCoordinates provider, String version, String os, String arch) {
        URI uri = providersBase(provider.hostname()).resolve(provider.namespace() + "/" + provider.type() + "/"
                + version + "/download/" + os + "/" + arch);
        JsonNode answer = getJson(provider.hostname(), uri, "provider " + provider + " " + version + " for " + os + "_" + arch);
        return DownloadAnswer.read(provider, version, os, arch, uri, answer);
    }

    /** Downloads the SHA256SUMS and its signature and verifies the signature against the upstream's keys. */
    @Override
    public VerifiedSums signedSums(UpstreamPackage pkg) {
        String what = describe(pkg);
        byte[] sums = getSmall(pkg.hostname(), pkg.shasumsUrl(), "the SHA256SUMS of " + what);
        byte[] signature = getSmall(pkg.hostname(), pkg.shasumsSignatureUrl(), "the SHA256SUMS signature of " + what);
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
     * of it checks out.
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
        Path archive = download(pkg, dir, expected);
        return new VerifiedRelease(pkg, archive, sums.content(), sums.signature(), sums.signingKeyId());
    }

    private static String describe(UpstreamPackage pkg) {
        return pkg.hostname() + "/" + pkg.namespace() + "/" + pkg.type() + " " + pkg.version();
    }

    private Path download(UpstreamPackage pkg, Path dir, String expected) {
        Path temp;
        try {
            temp = Files.createTempFile(dir, "upstream-", ".zip");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create a temporary file in " + dir, e);
        }
        boolean ok = false;
        try {
            HttpResponse<InputStream> response = send(pkg.hostname(), pkg.downloadUrl(), IdleBoundedBody.handler(timeout));
            MessageDigest sha = Digest.newSha256();
            try (InputStream in = response.body();
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                requireOk(response, pkg.filename(), in);
                // Never more than any provider's zip: a body that does not end must not fill the disk before its hash fails.
                long copied = 0;
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    copied += n;
                    if (copied > MAX_ARCHIVE_BYTES) {
                        throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, pkg.filename() + " from "
                                + authority(pkg.downloadUrl()) + " is larger than " + (MAX_ARCHIVE_BYTES >> 30) + " GiB");
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "downloading " + pkg.filename() + " from "
                        + authority(pkg.downloadUrl()) + " failed: " + e.getMessage(), e);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(expected)) {
                throw new UpstreamException(UpstreamException.Kind.VERIFICATION_FAILED, pkg.filename()
                        + " from " + authority(pkg.downloadUrl()) + " has SHA-256 " + actual + " but its signed SHA256SUMS says " + expected);
            }
            ok = true;
            return temp;
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The temporary directory is cleaned up with the process anyway.
                }
            }
        }
    }

    private URI providersBase(String hostname) {
        return discovered.get(hostname, this::discover);
    }

    private URI discover(String hostname) {
        URI base = hosts.baseOf(hostname);
        URI uri = URI.create(base + "/.well-known/terraform.json");
        JsonNode body = getJson(hostname, uri, "the service discovery document");
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

    private JsonNode getJson(String hostname, URI uri, String what) {
        byte[] content = getSmall(hostname, uri, what);
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, uri + " did not answer with JSON for " + what
                    + ": " + e.getMessage(), e);
        }
    }

    private byte[] getSmall(String hostname, URI uri, String what) {
        HttpResponse<InputStream> response = send(hostname, uri, IdleBoundedBody.handler(timeout));
        try (InputStream in = within(response.body(), uri, what)) {
            requireOk(response, what, in);
            byte[] content = in.readNBytes(MAX_SMALL_FILE + 1);
            if (content.length > MAX_SMALL_FILE) {
                throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, what + " at " + uri + " is larger than 1 MiB");
            }
            return content;
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "reading " + what + " from " + authority(uri)
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * A small answer read within the timeout as a whole. The request's timeout ends with the headers, and
     * each read is bounded by the idle timeout; an upstream that sends a byte now and then would pass both,
     * and hold the request, and every request waiting on the same pull, for good.
     */
    private InputStream within(InputStream body, URI uri, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                check();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                return super.read(b, off, len);
            }

            private void check() throws IOException {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException(what + " from " + authority(uri) + " took longer than " + timeout.toSeconds() + " s");
                }
            }
        };
    }

    private static void requireOk(HttpResponse<InputStream> response, String what, InputStream body) throws IOException {
        int status = response.statusCode();
        if (status == 200) {
            return;
        }
        body.close();
        URI uri = response.uri();
        if (status == 404) {
            throw new UpstreamException(UpstreamException.Kind.NOT_FOUND, "the upstream registry at " + authority(uri)
                    + " has no " + what);
        }
        throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, "the upstream registry at " + authority(uri)
                + " answered HTTP " + status + " for " + what);
    }

    private <T> HttpResponse<T> send(String hostname, URI uri, HttpResponse.BodyHandler<T> handler) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            return http.send(request, handler);
        } catch (SSLException e) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, TlsHandshakes.handshake("upstream registry " + hostname
                    + " at " + authority(uri), e, "--network-mirror-upstream-ca-file"), e);
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "upstream registry " + hostname + " at "
                    + authority(uri) + " cannot be reached: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "interrupted while asking " + authority(uri), e);
        }
    }

    private static String authority(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
