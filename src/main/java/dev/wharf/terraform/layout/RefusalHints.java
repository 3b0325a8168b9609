package dev.wharf.terraform.layout;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Adds the fix to a registry's refusal of a repository name: a registry that refuses nested names
 * (Docker Hub, GitLab below a project's two levels) needs {@code --storage-oci-flat}; one that wants
 * repositories created before the first push needs that repository created, and with the flat
 * layout that is only the base repository.
 */
final class RefusalHints extends ForwardingArtifactStore {
    static final String FLAT_FLAG = "--storage-oci-flat (BORING_REGISTRY_STORAGE_OCI_FLAT)";
    private final String base;
    private final boolean flat;

    RefusalHints(ArtifactStore delegate, String base, boolean flat) {
        super(delegate);
        this.base = base;
        this.flat = flat;
    }

    @Override
    public List<String> listTags(String repository) {
        return explained(repository, () -> delegate.listTags(repository));
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        return explained(repository, () -> delegate.resolve(repository, reference));
    }

    @Override
    public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        return explained(repository, () -> delegate.resolveAll(repository, references));
    }

    @Override
    public boolean exists(String repository, String tag) {
        return explained(repository, () -> delegate.exists(repository, tag));
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        return explained(repository, () -> delegate.push(repository, tag, artifact, overwrite));
    }

    private <T> T explained(String repository, Supplier<T> call) {
        try {
            return call.get();
        } catch (StorageException e) {
            String hint = hint(repository, e.refusal());
            if (hint.isEmpty()) {
                throw e;
            }
            throw new StorageException(e.kind(), e.getMessage() + "; " + hint, e, e.refusal());
        }
    }

    private String hint(String repository, StorageException.Refusal refusal) {
        String stored = flat ? base : repository;
        return switch (refusal) {
            case NAME -> flat ? "" : "registries such as Docker Hub (namespace/name only) and GitLab (a project and at most two"
                    + " levels below it) refuse nested repository names like '" + repository + "': start with " + FLAT_FLAG
                    + " to keep every module and provider as a tag of '" + base + "'";
            case MISSING_REPOSITORY -> "this registry wants the repository '" + stored + "' created before the first push: create it"
                    + " (or its project) in the registry" + (flat ? "" : ", or start with " + FLAT_FLAG + " so that only '" + base
                    + "' has to exist");
            case NONE -> "";
        };
    }
}
