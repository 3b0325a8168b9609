package dev.wharf.oci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Objects;

/** Reading what a registry answers, for the operations and the transport alike, and whose answer it is. */
final class AnswerBodies {
    private AnswerBodies() {
    }

    /** Reads a small answer body (a manifest, JSON, an error), at most 4 MiB. */
    static byte[] readSmall(RegistryFailures failures, HttpResponse<InputStream> answer, RegistryCall call, URI uri) {
        return readBounded(failures, answer, call, uri, RegistryTransport.SMALL_BODY_LIMIT);
    }

    /**
     * Reads a body of at most {@code limit} bytes. One byte more is read to tell a body of the limit from a
     * longer one: cut without a word, a long tag list was then "not JSON" and a large manifest "corrupt".
     */
    static byte[] readBounded(RegistryFailures failures, HttpResponse<InputStream> answer, RegistryCall call, URI uri, int limit) {
        try (InputStream in = answer.body()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw failures.malformed(RegistryTransport.display(uri), call, "more than " + (limit >> 20) + " MiB");
            }
            return body;
        } catch (IOException e) {
            throw failures.transport(e, RegistryTransport.display(uri), call.repository(), call.action());
        }
    }

    /** Reads what is left of an answer already judged, so its connection can serve again. */
    static void discard(HttpResponse<InputStream> answer) {
        try (InputStream in = answer.body()) {
            in.readNBytes(64 << 10);
        } catch (IOException e) {
            // Only freeing the connection; the answer was already judged.
        }
    }

    /** Whether two URIs have one origin (scheme, host, port): credentials and challenges belong to the registry's alone. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && Objects.equals(a.getHost(), b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : (u.getScheme().equalsIgnoreCase("https") ? 443 : 80);
    }
}
