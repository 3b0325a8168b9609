package dev.wharf.oci.registry;

import java.io.InputStream;
import java.net.http.HttpResponse;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}. 200: it exists; 404: it does not; anything else fails.
 *
 * <p>The answer's {@code Docker-Content-Digest} is not read: nothing checks it against content, so a registry that
 * lied there (or a proxy that rewrote it) had decided which manifest a tag's deletion removed, another version's
 * included. Whoever needs a tag's digest reads its manifest ({@link ManifestPuller#digest}).
 */
final class ManifestChecker {
    private final RegistryTransport transport;

    ManifestChecker(RegistryTransport transport) {
        this.transport = transport;
    }

    /** Whether the manifest exists. */
    boolean check(String repository, String reference, String action) {
        RegistryCall call = RegistryCall.of("HEAD", "/v2/" + repository + "/manifests/" + reference, repository, action)
                .header("Accept", ManifestPuller.ACCEPT_MANIFESTS).build();
        HttpResponse<InputStream> answer = transport.send(call);
        AnswerBodies.discard(answer);
        return switch (answer.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw transport.unexpected(answer, call);
        };
    }
}
