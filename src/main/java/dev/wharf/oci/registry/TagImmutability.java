package dev.wharf.oci.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * Recognises a registry refusing to move an existing tag because its tag-immutability setting
 * forbids it, from the answer to the manifest PUT. What each registry answers (docs/security.md,
 * "Concurrent publishes", lists the sources):
 *
 * <ul>
 *   <li>Harbor (tag immutability rules, since 1.10): 412 Precondition Failed, "Failed to process request
 *       due to '…' configured as immutable".
 *   <li>Amazon ECR ({@code imageTagMutability IMMUTABLE}): 400 {@code TAG_INVALID}, "The image tag '…'
 *       already exists in the '…' repository and cannot be overwritten because the repository (or tag) is immutable".
 *   <li>Azure ACR (a locked image or repository, {@code --write-enabled false}): 405
 *       {@code REGISTRY_DISALLOWED_OPERATION}, "The operation is disallowed on this registry, repository or image".
 *   <li>Google Artifact Registry (immutable image tags) and others (Mirantis/Docker Trusted Registry,
 *       Alibaba ACR EE): a 4xx whose message says the tag is immutable or cannot be overwritten.
 * </ul>
 *
 * A recognised answer means "already exists" only once the caller has seen the tag exist: ACR's
 * lock, say, refuses new tags in a locked repository too.
 */
final class TagImmutability {
    private TagImmutability() {
    }

    /** The registry's setting that refused the PUT, in words, or empty when the answer is something else. */
    static Optional<String> refusal(int status, byte[] body) {
        if (status < 400 || status >= 500 || status == 401 || status == 404) {
            return Optional.empty();
        }
        OciErrors errors = OciErrors.parse(body);
        if (status == 412 && mentionsImmutability(errors)) {
            return Optional.of("Harbor's tag immutability rule");
        }
        if (errors.has(OciErrorCode.TAG_INVALID) && mentionsImmutability(errors)) {
            return Optional.of("Amazon ECR's immutable tags (imageTagMutability IMMUTABLE)");
        }
        if (status == 405 && errors.entries().stream().anyMatch(e -> e.rawCode().equals("REGISTRY_DISALLOWED_OPERATION"))) {
            return Optional.of("Azure ACR's lock on the image or repository (write-enabled false)");
        }
        if (mentionsImmutability(errors)) {
            return Optional.of("the registry's tag immutability setting");
        }
        return Optional.empty();
    }

    private static boolean mentionsImmutability(OciErrors errors) {
        return errors.entries().stream().map(e -> e.message().toLowerCase(Locale.ROOT))
                .anyMatch(m -> m.contains("immutable") || m.contains("cannot be overwritten") || m.contains("cannot be overwrite"));
    }
}
