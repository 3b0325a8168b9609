package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import dev.wharf.oci.DigestVerifyingInputStream;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, redirects followed. 200: the content, streamed and checked
 * against the digest at its end; 404: the blob is gone; anything else fails. Also finds the storage
 * URL a registry redirects blob reads to, for handing out directly.
 */
final class BlobPuller {
    private final RegistryTransport transport;
    private final RegistryAddress address;

    BlobPuller(RegistryTransport transport, RegistryAddress address) {
        this.transport = transport;
        this.address = address;
    }

    InputStream open(String repository, Digest digest) {
        return new DigestVerifyingInputStream(openUnchecked(repository, digest).body(), digest);
    }

    /** A blob's content as the registry sends it, and its Content-Length when the answer had one (not a chunked one). */
    record Answer(InputStream body, OptionalLong length) {
    }

    /** The content as the registry sends it; the caller checks it against {@code digest}. */
    Answer openUnchecked(String repository, Digest digest) {
        RegistryCall call = RegistryCall.of("GET", "/v2/" + repository + "/blobs/" + digest, repository,
                "read the blob " + digest).followRedirects().streamed().build();
        HttpResponse<InputStream> answer = transport.send(call);
        return switch (answer.statusCode()) {
            // Wharf's clients decode no Content-Encoding, so the length is the body's as it is read.
            case 200 -> new Answer(answer.body(), answer.headers().firstValueAsLong("Content-Length"));
            case 404 -> {
                AnswerBodies.discard(answer);
                throw new StorageException(Kind.NOT_FOUND, "registry " + address + ", repository " + repository
                        + ": the blob " + digest + " does not exist; the artifact may have been deleted or pushed incompletely");
            }
            default -> throw transport.unexpected(answer, call);
        };
    }

    /** Where the registry redirects a read of the blob, when that is another host (presigned storage URLs). */
    Optional<URI> directUrl(String repository, Digest digest) {
        RegistryCall call = RegistryCall.of("GET", "/v2/" + repository + "/blobs/" + digest, repository,
                "look up the blob " + digest).build();
        URI registry = transport.base();
        return transport.redirectTarget(call).filter(target -> !AnswerBodies.sameOrigin(target, registry));
    }
}
