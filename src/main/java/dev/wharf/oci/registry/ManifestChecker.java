package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}. 200: it exists, with its digest when the registry
 * sends {@code Docker-Content-Digest}; 404: it does not; anything else fails.
 */
final class ManifestChecker {
    private final RegistryTransport transport;

    ManifestChecker(RegistryTransport transport) {
        this.transport = transport;
    }

    /** Empty when the manifest does not exist; else its digest, if the registry told it. */
    Optional<Optional<Digest>> check(String repository, String reference, String action) {
        RegistryCall call = RegistryCall.of("HEAD", "/v2/" + repository + "/manifests/" + reference, repository, action)
                .header("Accept", ManifestPuller.ACCEPT_MANIFESTS).build();
        HttpResponse<InputStream> answer = transport.send(call);
        AnswerBodies.discard(answer);
        return switch (answer.statusCode()) {
            case 200 -> Optional.of(answer.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse));
            case 404 -> Optional.empty();
            default -> throw transport.unexpected(answer, call);
        };
    }
}
