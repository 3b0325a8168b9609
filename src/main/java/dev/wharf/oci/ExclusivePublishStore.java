package dev.wharf.oci;

import java.util.Optional;

/**
 * Makes "publish this tag unless it exists" as close to atomic as the OCI API allows (it has no
 * conditional PUT; docs/security.md, "Concurrent publishes", states what remains):
 *
 * <ul>
 *   <li>publishes of one repository and tag run one at a time in this process;
 *   <li>the tag is checked before any blob is uploaded, so a refused publish leaves nothing behind;
 *   <li>after the push the tag is read back, and a tag that points at another writer's manifest
 *       fails with {@link ConcurrentPublishException}. The read-back waits first for
 *       {@value #READ_BACK_FACTOR} times as long as the existence check took: a concurrent
 *       writer that saw the tag absent and has not put its manifest yet would otherwise replace
 *       this one after the read-back, unseen by both. Its own check-to-PUT time is about that
 *       of ours, so the wait covers it unless its time is more than {@value #READ_BACK_FACTOR}
 *       times ours.
 * </ul>
 *
 * A push that overwrites on purpose ({@code overwrite} true) is only serialised.
 */
public final class ExclusivePublishStore extends ForwardingArtifactStore {
    static final int READ_BACK_FACTOR = 4;

    private final TagLocks locks = new TagLocks();

    public ExclusivePublishStore(ArtifactStore delegate) {
        super(delegate);
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        try (TagLocks.Held held = locks.hold(repository, tag)) {
            if (overwrite) {
                return delegate.push(repository, tag, artifact, true);
            }
            long checkStarted = System.nanoTime();
            if (delegate.exists(repository, tag)) {
                throw new StorageException(StorageException.Kind.TAG_EXISTS, delegate.describe() + ", repository "
                        + repository + ": the tag '" + tag + "' already exists and is not overwritten; nothing was uploaded");
            }
            long checkTook = System.nanoTime() - checkStarted;
            Manifest pushed = delegate.push(repository, tag, artifact, false);
            pause(checkTook * READ_BACK_FACTOR);
            Optional<Manifest> stored = delegate.resolve(repository, tag);
            if (stored.isEmpty() || !stored.get().digest().equals(pushed.digest())) {
                Digest other = stored.map(Manifest::digest).orElse(null);
                if (other == null) {
                    throw new ConcurrentPublishException(delegate.describe() + ", repository " + repository + ": the tag '" + tag
                            + "' was deleted while this push wrote it and now points at nothing, not at this push's "
                            + pushed.digest() + "; this push is not published. Publish it again", null, pushed.digest());
                }
                throw new ConcurrentPublishException(delegate.describe() + ", repository " + repository + ": the tag '" + tag
                        + "' was published by another writer at the same time and now points at "
                        + "manifest " + other + ", not at this push's "
                        + pushed.digest() + "; this push is not published. Check that the stored content is the one"
                        + " you want, and publish changes under a new version", other, pushed.digest());
            }
            return pushed;
        }
    }

    /** Wharf's own wait before the read-back, not a poll: there is nothing to watch for. */
    private static void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
