package dev.wharf.oci;

import org.jspecify.annotations.Nullable;

/**
 * A push whose tag, read back right after it, points at another writer's manifest: someone else
 * published the same tag at the same time and the registry kept theirs. Its kind is
 * {@link Kind#TAG_EXISTS}, since the tag now exists with other content; the message says which
 * manifest the tag holds and which one this push wrote.
 */
public final class ConcurrentPublishException extends StorageException {
    private final @Nullable Digest stored;
    private final Digest pushed;

    public ConcurrentPublishException(String message, @Nullable Digest stored, Digest pushed) {
        super(Kind.TAG_EXISTS, message);
        this.stored = stored;
        this.pushed = pushed;
    }

    /** The manifest the tag points at now, or null when the tag vanished. */
    public @Nullable Digest stored() {
        return stored;
    }

    /** The manifest this push wrote, now under no tag. */
    public Digest pushed() {
        return pushed;
    }
}
