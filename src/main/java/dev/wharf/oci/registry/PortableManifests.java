package dev.wharf.oci.registry;

import dev.wharf.oci.StorageException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery rule for a registry that refuses a manifest's own media types. GitLab's registry (with
 * its metadata database, as on GitLab.com) checks {@code artifactType} and the config's media type
 * against a list of its own and answers any other with 400 {@code MANIFEST_INVALID} ("unknown media
 * type: …"); layers of Wharf's media types were accepted on GitLab.com (docs/registries.md). So a manifest refused as invalid
 * is sent once more in the portable form: no {@code artifactType}, the empty config. Once that form
 * is stored, every later push through this store starts with it, and such a registry costs one extra
 * PUT per process, not per push.
 *
 * <p>Nothing Wharf reads depends on what the portable form leaves out: readers find their layers by
 * the tag and the layers' media types, and a package config left out only means that package-registry
 * reads the zip.
 */
final class PortableManifests {
    private static final Logger LOG = LoggerFactory.getLogger(PortableManifests.class);

    /** A manifest PUT refused as invalid: the typed form may be what the registry refuses. */
    static final class Refused extends StorageException {
        Refused(StorageException said) {
            super(said.kind(), said.getMessage(), said.getCause(), said.refusal());
        }
    }

    private final String registry;
    private final AtomicBoolean learned = new AtomicBoolean();

    PortableManifests(String registry) {
        this.registry = registry;
    }

    /** Whether pushes start in the portable form: this registry has refused the typed one before. */
    boolean first() {
        return learned.get();
    }

    /** Whether the portable form may get past a refused PUT: 400 {@code MANIFEST_INVALID}, nothing else. */
    static boolean mayHelp(int status, byte[] body) {
        return status == 400 && OciErrors.parse(body).has(OciErrorCode.MANIFEST_INVALID);
    }

    /** The portable form was stored after {@code refused}: from now on, pushes start with it. */
    void learn(Refused refused) {
        if (learned.compareAndSet(false, true)) {
            LOG.warn("registry {} refused a manifest with Wharf's own artifactType and config media type and took the portable form"
                    + " (no artifactType, the empty config), which this process now pushes: {}", registry, refused.getMessage());
        }
    }

    /** The error when the portable form is refused as well: what the registry must still be refusing. */
    static StorageException refusedToo(Refused refused, String layerTypes) {
        return new StorageException(StorageException.Kind.REGISTRY_ERROR, refused.getMessage()
                + "; refused in the portable form too (no artifactType, the empty config), so the registry refuses a layer's media type ("
                + layerTypes + ") or the manifest itself; a registry with a list of media types must know these"
                + " (GitLab self-managed: REGISTRY_FF_DYNAMIC_MEDIA_TYPES=true)");
    }
}
