package dev.wharf.oci.registry;

import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.RegistryAuthenticator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The first call to a registry: {@code GET /v2/} on each protocol the address allows, in order,
 * which picks the protocol and lets the authenticator learn the challenge of a 401. A registry's
 * {@code /v2/} answers 200 or 401; a 404 or an HTML page means the address is something else
 * (a web site, a proxy's landing page), and is said so. Only a TLS failure or an unreachable host
 * moves on to the next protocol (plain HTTP after HTTPS, in insecure mode, as docker and oras do);
 * every other failure is the answer. When every protocol fails, the first failure is reported: it
 * is the one about the protocol the user most likely meant.
 */
final class RegistryPing {
    /** Sends a call to a URI without credentials, with the transport's retries. */
    interface Sender {
        HttpResponse<InputStream> send(RegistryCall call, URI uri);
    }

    private final RegistryAddress address;
    private final boolean insecure;
    private final RegistryAuthenticator auth;
    private final RegistryFailures failures;

    RegistryPing(RegistryAddress address, boolean insecure, RegistryAuthenticator auth, RegistryFailures failures) {
        this.address = address;
        this.insecure = insecure;
        this.auth = auth;
        this.failures = failures;
    }

    /** The registry's base URI, with the protocol that answered. */
    URI base(Sender sender) {
        List<String> schemes = address.scheme().map(List::of)
                .orElse(insecure ? List.of("https", "http") : List.of("https"));
        StorageException first = null;
        for (String scheme : schemes) {
            try {
                return ping(sender, address.base(scheme));
            } catch (StorageException e) {
                if (first == null) {
                    first = e;
                }
                if (e.kind() != StorageException.Kind.TLS && e.kind() != StorageException.Kind.UNREACHABLE) {
                    throw e;
                }
            }
        }
        throw first;
    }

    private URI ping(Sender sender, URI candidate) {
        URI v2 = candidate.resolve("/v2/");
        RegistryCall call = RegistryCall.of("GET", "/v2/", null, "check the registry (GET /v2/)").build();
        HttpResponse<InputStream> answer = sender.send(call, v2);
        byte[] body = AnswerBodies.readSmall(failures, answer, call, v2);
        int status = answer.statusCode();
        if (status == 401) {
            auth.learn(answer.headers().allValues("WWW-Authenticate"));
            return candidate;
        }
        if (status == 200 && !OciErrors.looksLikeHtml(answer.headers().firstValue("Content-Type").orElse(null), body)) {
            return candidate;
        }
        if (status == 200 || status == 404) {
            throw failures.notOci(v2.toString(), call, status == 404 ? "404 Not Found" : "an HTML page");
        }
        throw failures.status(status, answer.headers(), body, v2.toString(), call, TriedAnswer.tries(answer), auth.credentials(),
                auth.challenge());
    }
}
