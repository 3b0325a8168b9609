package dev.wharf.terraform.layout;

import dev.wharf.oci.ArtifactStore;

/**
 * How the (repository, tag) pairs {@link TerraformLayout} names are laid out in storage. Nested keeps
 * them as they are, one repository per module, provider and signing-key set; flat stores every one
 * of them as a tag of the single base repository ({@link FlatTags}), for registries that refuse
 * deep names (Docker Hub, GitLab) or need each repository created by hand (Harbor, GAR, ECR).
 *
 * <p>Code that reads or writes Terraform artifacts keeps using {@link TerraformLayout} and the
 * store {@link #over} returns; only the wiring chooses the layout.
 */
public interface RepositoryLayout {

    /** The store to hand to services and uploaders: {@code store} itself for nested, a mapping view for flat. */
    ArtifactStore over(ArtifactStore store);

    /**
     * Like {@link #over(ArtifactStore)}, and a registry's refusal of a name or of a missing
     * repository gets the fix added to its message ({@code base}: the value of {@code --storage-oci-repository}).
     */
    ArtifactStore over(ArtifactStore store, String base);

    /** Whether everything lives in the one base repository. */
    boolean flat();

    /** For the start line: "nested" or "flat (every file a tag of boring-registry)". */
    String describe();

    static RepositoryLayout nested() {
        return Nested.INSTANCE;
    }

    /** The flat layout inside {@code layout}'s base repository. */
    static RepositoryLayout flat(TerraformLayout layout) {
        return new Flat(new FlatTags(layout.base()));
    }

    static RepositoryLayout of(boolean flat, TerraformLayout layout) {
        return flat ? flat(layout) : nested();
    }

    /** One repository per module, provider and signing-key set: the document's layout. */
    enum Nested implements RepositoryLayout {
        INSTANCE;

        @Override
        public ArtifactStore over(ArtifactStore store) {
            return store;
        }

        @Override
        public ArtifactStore over(ArtifactStore store, String base) {
            return new RefusalHints(store, base, false);
        }

        @Override
        public boolean flat() {
            return false;
        }

        @Override
        public String describe() {
            return "nested";
        }
    }

    /** Every (repository, tag) pair as one tag of the base repository. */
    record Flat(FlatTags tags) implements RepositoryLayout {
        @Override
        public ArtifactStore over(ArtifactStore store) {
            return new FlatArtifactStore(new RefusalHints(store, tags.base(), true), tags);
        }

        @Override
        public ArtifactStore over(ArtifactStore store, String base) {
            return over(store);
        }

        @Override
        public boolean flat() {
            return true;
        }

        @Override
        public String describe() {
            return "flat (every file a tag of " + tags.base() + ")";
        }
    }
}
