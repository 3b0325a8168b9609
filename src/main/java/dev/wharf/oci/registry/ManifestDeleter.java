package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import java.io.InputStream;
import java.net.http.HttpResponse;

/**
 * {@code DELETE /v2/<name>/manifests/<digest>}. 200/202/204: deleted; 404: already gone; anything
 * else (405 when the registry has deletion off) fails.
 */
final class ManifestDeleter {
    private final RegistryTransport transport;

    ManifestDeleter(RegistryTransport transport) {
        this.transport = transport;
    }

    /** Whether a manifest was deleted. */
    boolean delete(String repository, Digest digest, String tag) {
        RegistryCall call = RegistryCall.of("DELETE", "/v2/" + repository + "/manifests/" + digest, repository,
                "delete tag '" + tag + "' (manifest " + digest + ")").build();
        HttpResponse<InputStream> answer = transport.send(call);
        return switch (answer.statusCode()) {
            case 200, 202, 204 -> {
                AnswerBodies.discard(answer);
                yield true;
            }
            case 404 -> {
                AnswerBodies.discard(answer);
                yield false;
            }
            default -> throw transport.unexpected(answer, call);
        };
    }
}
