package dev.wharf.terraform.mirror.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.TlsHandshakes;
import dev.wharf.oci.IdleBoundedBody;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The requests to an upstream registry and its file hosts, each failure said as an
 * {@link UpstreamException} naming the address: small answers read whole within the timeout, and
 * streamed ones whose reads are bounded by the idle timeout.
 */
final class UpstreamHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SMALL_FILE = 1 << 20;

    private final HttpClient http;
    private final Duration timeout;

    UpstreamHttp(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    JsonNode getJson(String hostname, URI uri, String what) {
        byte[] content = getSmall(hostname, uri, what);
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, uri + " did not answer with JSON for " + what
                    + ": " + e.getMessage(), e);
        }
    }

    byte[] getSmall(String hostname, URI uri, String what) {
        HttpResponse<InputStream> response = stream(hostname, uri, Map.of());
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

    /** A GET of {@code uri} with {@code headers}, its body a stream whose every read waits at most the idle timeout. */
    HttpResponse<InputStream> stream(String hostname, URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        headers.forEach(request::header);
        try {
            return http.send(request.build(), IdleBoundedBody.handler(timeout));
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

    /** Returns for a 200; otherwise closes {@code body} and throws the upstream's failure, 404 being "has no {@code what}". */
    static void requireOk(HttpResponse<InputStream> response, String what, InputStream body) throws IOException {
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

    static String authority(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
