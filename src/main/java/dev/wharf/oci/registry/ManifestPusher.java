package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * {@code PUT /v2/<name>/manifests/<tag>}. 201 (or 200): stored, and the digest the registry reports
 * must be the one sent. 400 {@code MANIFEST_BLOB_UNKNOWN}: a blob vanished between its upload and the
 * manifest (another client's delete, a registry race): the blobs are uploaded once more and the
 * manifest sent again. Anything else fails, phrased by the caller's {@link Refusal} (a registry's
 * tag-immutability answer reads as "already exists" there).
 */
final class ManifestPusher {
    private final RegistryTransport transport;
    private final ContentDigestCheck digests;

    /** Turns a refused PUT (its answer and the error body already read) into the exception to throw. */
    interface Refusal {
        RuntimeException of(HttpResponse<InputStream> answer, RegistryCall put, byte[] body);
    }

    ManifestPusher(RegistryTransport transport, ContentDigestCheck digests) {
        this.transport = transport;
        this.digests = digests;
    }

    /** Sends {@code manifest} under {@code tag}; {@code reupload} puts back every blob it names. */
    void push(String repository, String tag, byte[] manifest, Refusal refusal, Runnable reupload) {
        RegistryCall put = RegistryCall.of("PUT", "/v2/" + repository + "/manifests/" + tag, repository,
                        "push the manifest for tag '" + tag + "'")
                .header("Content-Type", Manifest.OCI_IMAGE_MANIFEST)
                .body(() -> HttpRequest.BodyPublishers.ofByteArray(manifest))
                .build();
        HttpResponse<InputStream> answer = transport.send(put);
        if (answer.statusCode() == 400) {
            byte[] error = transport.readSmall(answer, put, answer.uri());
            if (!OciErrors.parse(error).has(OciErrorCode.MANIFEST_BLOB_UNKNOWN)) {
                throw refusal.of(answer, put, error);
            }
            reupload.run();
            answer = transport.send(put);
        }
        if (answer.statusCode() != 201 && answer.statusCode() != 200) {
            throw refusal.of(answer, put, transport.readSmall(answer, put, answer.uri()));
        }
        AnswerBodies.discard(answer);
        digests.check(answer, Digest.sha256(manifest), repository, "manifest");
    }
}
