package dev.wharf.oci;

/**
 * Which content of a cached answer its holder has: a number a cache hands out with each answer
 * ({@link Stamped}) and changes when, and only when, the content behind it changes. Whoever keeps
 * something built from an answer keeps its generation and later asks the cache whether it is
 * still the current one ({@link ArtifactStore#isCurrentTagList}, {@link ArtifactStore#isCurrentResolution}):
 * equal generations mean the same content, so a check never depends on which object carried it.
 *
 * <p>The contract, pinned by tests: an answer is current while its entry is cached and its
 * generation is the entry's; reading the source again with different content gives a new
 * generation, with the same content the same one. {@link #NONE} comes with answers of a store
 * that keeps nothing, and is never current.
 */
public record Generation(long value) {
    /** The generation of an answer no cache holds: never current. */
    public static final Generation NONE = new Generation(0);

    /** Whether an answer of this generation could ever be current. */
    public boolean isCached() {
        return value != NONE.value;
    }
}
