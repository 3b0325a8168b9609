package dev.wharf.testing;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Manifest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store that deletes the tags it is told to, at the moment it is told, each once: someone's clean-up
 * running while an upload or a mirror writes them; or has another writer's push win right after this one.
 */
public final class TagDeletingStore extends ForwardingArtifactStore {
    /** Deleted right after this push wrote them, before the push's read-back. */
    public final Set<String> deleteAfterPush = ConcurrentHashMap.newKeySet();
    /** Deleted right after a check found them. */
    public final Set<String> deleteAfterCheck = ConcurrentHashMap.newKeySet();
    /** Published by another writer just before this push, and deleted right after the push was refused. */
    public final Map<String, Artifact> publishedMeanwhile = new ConcurrentHashMap<>();
    /** Pushed by another writer right after this push wrote the tag, before its read-back: this push lost the race. */
    public final Map<String, Artifact> wonByAnotherAfterPush = new ConcurrentHashMap<>();

    /** When the key's tag is pushed, the value's tag is deleted right after: a clean-up of another file of the same release. */
    public final Map<String, String> deleteOtherAfterPush = new ConcurrentHashMap<>();

    public TagDeletingStore(ArtifactStore delegate) {
        super(delegate);
    }

    @Override
    public boolean exists(String repository, String tag) {
        boolean exists = delegate.exists(repository, tag);
        if (exists && deleteAfterCheck.remove(tag)) {
            delegate.delete(repository, tag);
        }
        return exists;
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        Artifact other = publishedMeanwhile.remove(tag);
        if (other != null) {
            delegate.push(repository, tag, other, false);
            try {
                return delegate.push(repository, tag, artifact, overwrite);
            } finally {
                delegate.delete(repository, tag);
            }
        }
        Manifest pushed = delegate.push(repository, tag, artifact, overwrite);
        Artifact winner = wonByAnotherAfterPush.remove(tag);
        if (winner != null) {
            delegate.push(repository, tag, winner, true);
        }
        if (deleteAfterPush.remove(tag)) {
            delegate.delete(repository, tag);
        }
        String sibling = deleteOtherAfterPush.remove(tag);
        if (sibling != null) {
            delegate.delete(repository, sibling);
        }
        return pushed;
    }
}
