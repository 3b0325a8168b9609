package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import java.io.InputStream;
import java.net.http.HttpResponse;

/**
 * {@code HEAD /v2/<name>/blobs/<digest>} before an upload. 200, or a redirect to the bytes: present;
 * 404: absent; 500: not known to be present, so the blob is uploaded; anything else fails.
 *
 * <p>Why a 500 uploads instead of failing: the check only saves an upload, and blobs are
 * content-addressed, so uploading a blob that was there after all is harmless. distribution answers
 * 500 here while another client commits the same blob (it rewrites the repository's link file in
 * place, and a HEAD that reads it half-written fails); separate processes publishing the same
 * content meet exactly that. A registry that is really broken fails the upload that follows, with
 * that step's error.
 */
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
        AnswerBodies.discard(answer);
        int status = answer.statusCode();
        if (status == 200 || (status / 100 == 3 && answer.headers().firstValue("Location").isPresent())) {
            // A redirect is a registry that found the blob and sends the client to where its bytes lie: distribution
            // on S3, GCS or Azure (redirects on, its default) answers HEAD of a blob it has with 307, as it does GET.
            return true;
        }
        return switch (status) {
            case 404, 500 -> false;
            default -> throw transport.unexpected(answer, call);
        };
    }
}
