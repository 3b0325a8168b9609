package dev.wharf.oci;

/** An answer with the {@link Generation} of the cached content it came from. */
public record Stamped<T>(T value, Generation generation) {
    /** An answer that no cache keeps: its generation is never current. */
    public static <T> Stamped<T> uncached(T value) {
        return new Stamped<>(value, Generation.NONE);
    }
}
