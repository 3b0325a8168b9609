package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.TooManyLayersException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/manifests/<reference>}. 200 is a manifest, checked against the digest it
 * was asked by and decoded; 404 none; anything else fails.
 */
final class ManifestPuller {
    static final String ACCEPT_MANIFESTS = String.join(", ", Manifest.OCI_IMAGE_MANIFEST,
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private final RegistryTransport transport;
    private final RegistryAddress address;
    private final ManifestCodec codec = new ManifestCodec();

    ManifestPuller(RegistryTransport transport, RegistryAddress address) {
        this.transport = transport;
        this.address = address;
    }

    Optional<Manifest> pull(String repository, String reference) {
        RegistryCall call = RegistryCall.of("GET", "/v2/" + repository + "/manifests/" + reference, repository,
                "read the manifest '" + reference + "'").header("Accept", ACCEPT_MANIFESTS).build();
        HttpResponse<InputStream> answer = transport.send(call);
        return switch (answer.statusCode()) {
            case 200 -> Optional.of(decode(answer, call, repository, reference));
            case 404 -> {
                AnswerBodies.discard(answer);
                yield Optional.empty();
            }
            default -> throw transport.unexpected(answer, call);
        };
    }

    /**
     * The digest of the manifest {@code reference} names, computed from its bytes as read (empty when there is none), whatever
     * it is (an index too): what a deletion removes must be the content the tag names, not what a header says it is.
     */
    Optional<Digest> digest(String repository, String reference, String action) {
        RegistryCall call = RegistryCall.of("GET", "/v2/" + repository + "/manifests/" + reference, repository, action)
                .header("Accept", ACCEPT_MANIFESTS).build();
        HttpResponse<InputStream> answer = transport.send(call);
        return switch (answer.statusCode()) {
            case 200 -> Optional.of(Digest.sha256(transport.readSmall(answer, call, answer.uri())));
            case 404 -> {
                AnswerBodies.discard(answer);
                yield Optional.empty();
            }
            default -> throw transport.unexpected(answer, call);
        };
    }

    private Manifest decode(HttpResponse<InputStream> answer, RegistryCall call, String repository, String reference) {
        byte[] bytes = transport.readSmall(answer, call, answer.uri());
        String contentType = answer.headers().firstValue("Content-Type").orElse(null);
        if (OciErrors.looksLikeHtml(contentType, bytes)) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "an HTML page");
        }
        Digest digest = Digest.sha256(bytes);
        if (Digest.isDigest(reference) && !Digest.parse(reference).equals(digest)) {
            throw new StorageException(Kind.CORRUPT, "registry " + address + ", repository " + repository
                    + ": the manifest served for " + reference + " has the digest " + digest
                    + "; the registry's storage may be corrupt");
        }
        try {
            return codec.decode(digest, bytes, contentType);
        } catch (TooManyLayersException e) {
            throw transport.failures().beyondBound(call, "the manifest '" + reference + "' (" + RegistryTransport.display(answer.uri())
                    + ") is refused: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                    "something that is not an artifact manifest (" + e.getMessage() + ")");
        }
    }
}
