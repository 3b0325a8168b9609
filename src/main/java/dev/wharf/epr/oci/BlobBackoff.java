package dev.wharf.epr.oci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When the fill may try again the blobs of a package that are broken in the registry (another digest
 * or length than the manifest gives, or gone). Such a blob fails the same way every time, and a
 * retry downloads it whole, so one tried every {@link CacheFill#RETRY} for as long as the server runs
 * cost a full download every 10 s. The wait doubles from {@link #FIRST} up to {@link #LONGEST}
 * with each failure in a row. A package is known by its tag and manifest digest, so a tag pushed
 * again (another digest) is tried at once. Used on the fill's thread only.
 */
final class BlobBackoff {
    static final Duration FIRST = CacheFill.RETRY;
    static final Duration LONGEST = Duration.ofMinutes(10);

    private record Waiting(String tag, Instant until, Duration pause) {
    }

    private final Clock clock;
    private final Map<String, Waiting> waiting = new HashMap<>();

    BlobBackoff(Clock clock) {
        this.clock = clock;
    }

    /** Whether the fill may try {@code entry}'s blobs now. */
    boolean due(CachedPackage entry) {
        Waiting w = waiting.get(key(entry));
        return w == null || !clock.instant().isBefore(w.until());
    }

    /** Counts a failure of {@code entry}'s blobs; returns how long until they are tried again. */
    Duration failed(CachedPackage entry) {
        Waiting before = waiting.get(key(entry));
        Duration pause = before == null ? FIRST : min(before.pause().multipliedBy(2), LONGEST);
        waiting.put(key(entry), new Waiting(entry.tag(), clock.instant().plus(pause), pause));
        return pause;
    }

    /** Whether {@code entry}'s last try failed: its next failure is no news. */
    boolean failing(CachedPackage entry) {
        return waiting.containsKey(key(entry));
    }

    /** {@code entry}'s blobs are on disk: a later failure starts from {@link #FIRST} again. */
    void succeeded(CachedPackage entry) {
        waiting.remove(key(entry));
    }

    /** Forgets the packages no longer listed, or listed with another manifest. */
    void retainOnly(List<CachedPackage> listed) {
        Set<String> keys = new HashSet<>();
        listed.forEach(e -> keys.add(key(e)));
        waiting.keySet().retainAll(keys);
    }

    /** The tags whose blobs are waiting for their next try. */
    Set<String> waitingTags() {
        Set<String> tags = new HashSet<>();
        waiting.values().forEach(w -> tags.add(w.tag()));
        return tags;
    }

    /** How long until the first of the waiting packages is due, if any waits. */
    Optional<Duration> nextDue() {
        Instant now = clock.instant();
        return waiting.values().stream().map(Waiting::until).min(Instant::compareTo)
                .map(until -> until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO);
    }

    private static String key(CachedPackage entry) {
        return entry.tag() + "@" + entry.manifestDigest();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
