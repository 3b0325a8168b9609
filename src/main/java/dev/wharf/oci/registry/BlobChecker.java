package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import java.io.InputStream;
import java.net.http.HttpResponse;

/** {@code HEAD /v2/<name>/blobs/<digest>} before an upload. 200: present; 404: absent; anything else fails. */
final class BlobChecker {
    private final RegistryTransport transport;

    BlobChecker(RegistryTransport transport) {
        this.transport = transport;
    }

    boolean exists(String repository, Digest digest) {
        // Asked with push scope: the token that follows is the one the upload needs.
        RegistryCall call = RegistryCall.of("HEAD", "/v2/" + repository + "/blobs/" + digest, repository,
                "check for the blob " + digest).scopes(RegistryCall.scopesFor("PUT", repository)).build();
        HttpResponse<InputStream> answer = transport.send(call);
        RegistryTransport.discard(answer);
        return switch (answer.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw transport.unexpected(answer, call);
        };
    }
}
