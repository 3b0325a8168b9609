package dev.wharf.epr.oci;

import dev.wharf.oci.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * When the blobs of a package that are broken in the registry (another digest or length than the
 * manifest gives, or gone) may be downloaded again, by the fill or by a request. Such a blob fails the
 * same way every time, and a retry downloads it whole, so one tried every {@link CacheFill#RETRY} (or at
 * every request for it) for as long as the server runs cost a full download each time. The wait doubles
 * from {@link #FIRST} up to {@link #LONGEST} with each failure in a row. A package is known by its tag
 * and manifest digest, so a tag pushed again (another digest) is tried at once. The zip of a new tag read
 * from its zip (no config: no package yet to key it by) waits by the zip's digest, for the refreshes that
 * would read it ({@link RepositoryScan}); it had been downloaded whole at every refresh. The one record of
 * it for the fill's thread, the refresh's and the request threads alike, hence synchronized.
 */
final class BlobBackoff {
    static final Duration FIRST = CacheFill.RETRY;
    static final Duration LONGEST = Duration.ofMinutes(10);

    /** {@code blob}: the digest of the blob that failed; {@code failure}: how, to answer it again as it was. */
    private record Waiting(String tag, String blob, Instant failedAt, Instant until, Duration pause, StorageException failure) {
    }

    private final Clock clock;
    private final FillListener listener;
    private final Map<String, Waiting> waiting = new HashMap<>();
    /** The zips and signatures of tags not read yet, by digest: not the fill's (it fetches listed packages), the refresh's. */
    private final Map<String, Waiting> unread = new HashMap<>();
    /** How many wait, readable without the lock: every request for a zip asks, and almost always none waits. */
    private volatile int size;

    /** {@code listener}: told how many blobs wait after each change. */
    BlobBackoff(Clock clock, FillListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** Whether the fill may try {@code entry}'s blobs now. */
    synchronized boolean due(CachedPackage entry) {
        Waiting w = waiting.get(key(entry));
        return w == null || !clock.instant().isBefore(w.until());
    }

    /**
     * Counts a failure of {@code entry}'s blob {@code blob}; returns how long until it is tried again, or
     * empty when that failure is counted already: a download that several threads waited for
     * ({@link BlobDownloads}) fails each of them, once.
     */
    synchronized Optional<Duration> failed(CachedPackage entry, String blob, StorageException e) {
        Instant now = clock.instant();
        Waiting before = waiting.get(key(entry));
        if (before != null && before.blob().equals(blob) && now.isBefore(before.until())) {
            return Optional.empty();
        }
        Duration pause = before == null ? FIRST : min(before.pause().multipliedBy(2), LONGEST);
        waiting.put(key(entry), new Waiting(entry.tag(), blob, now, now.plus(pause), pause, e));
        changed();
        return Optional.of(pause);
    }

    /**
     * The failure to answer at once, without a download, while {@code entry}'s blob {@code blob} waits for
     * its next try: of the same kind as the last try's (so the client gets the same status), saying when
     * that was and when the blob is tried again. Empty when the blob is due, or is not the one that failed.
     */
    Optional<StorageException> pause(CachedPackage entry, String blob, String what) {
        return size == 0 ? Optional.empty() : pauseOf(entry, blob, what);
    }

    private synchronized Optional<StorageException> pauseOf(CachedPackage entry, String blob, String what) {
        return waitingFor(waiting.get(key(entry)), entry.tag(), blob, what);
    }

    private Optional<StorageException> waitingFor(@Nullable Waiting w, String tag, String blob, String what) {
        Instant now = clock.instant();
        if (w == null || !w.blob().equals(blob) || !now.isBefore(w.until())) {
            return Optional.empty();
        }
        Duration retryIn = Duration.between(now, w.until());
        return Optional.of(new BlobWaitingException(w.failure().kind(), what + " of " + tag + " (" + blob + ") is not fetched: it failed "
                + Duration.between(w.failedAt(), now).toSeconds() + " s ago, at " + w.failedAt() + ", and is tried again at " + w.until()
                + " (in " + retryIn.toSeconds() + " s): " + w.failure().getMessage(), retryIn));
    }

    /**
     * The failure to give at once, without a download, while the blob {@code blob} ({@code what}: "the zip", "the
     * signature") of the tag not read yet {@code tag} waits.
     */
    synchronized Optional<StorageException> unreadPause(String tag, String blob, String what) {
        return waitingFor(unread.get(blob), tag, blob, what);
    }

    /** Whether the blob {@code blob} (a zip or signature) of a tag not read yet failed at its last try. */
    synchronized boolean unreadFailing(String blob) {
        return unread.containsKey(blob);
    }

    /** Counts a failure of the blob {@code blob} of the tag not read yet {@code tag}; returns how long until it is tried again. */
    synchronized Duration unreadFailed(String tag, String blob, StorageException e) {
        Instant now = clock.instant();
        Waiting before = unread.get(blob);
        Duration pause = before == null ? FIRST : min(before.pause().multipliedBy(2), LONGEST);
        unread.put(blob, new Waiting(tag, blob, now, now.plus(pause), pause, e));
        changed();
        return pause;
    }

    /** The blob {@code blob} of a tag not read yet was downloaded (kept or refused): it waits no more. */
    synchronized void unreadFetched(String blob) {
        if (unread.remove(blob) != null) {
            changed();
        }
    }

    /** Forgets the blobs of tags not read yet that no tag of the last refresh still waits for (removed, or pointed elsewhere). */
    synchronized void retainUnread(Set<String> blobs) {
        if (unread.keySet().retainAll(blobs)) {
            changed();
        }
    }

    /** Whether {@code entry}'s last try failed: its next failure is no news. */
    synchronized boolean failing(CachedPackage entry) {
        return waiting.containsKey(key(entry));
    }

    /** {@code entry}'s blobs are on disk: a later failure starts from {@link #FIRST} again. */
    synchronized void succeeded(CachedPackage entry) {
        if (waiting.remove(key(entry)) != null) {
            changed();
        }
    }

    /** {@code entry}'s blob {@code blob} was fetched: if it is the one that failed, the package waits no more. */
    void fetched(CachedPackage entry, String blob) {
        if (size != 0) {
            fetchedWhileSomeWait(entry, blob);
        }
    }

    private synchronized void fetchedWhileSomeWait(CachedPackage entry, String blob) {
        Waiting w = waiting.get(key(entry));
        if (w != null && w.blob().equals(blob)) {
            waiting.remove(key(entry));
            changed();
        }
    }

    /** Forgets the packages no longer listed, or listed with another manifest. */
    synchronized void retainOnly(List<CachedPackage> listed) {
        Set<String> keys = new HashSet<>();
        listed.forEach(e -> keys.add(key(e)));
        if (waiting.keySet().retainAll(keys)) {
            changed();
        }
    }

    /** The tags whose blobs are waiting for their next try. */
    synchronized Set<String> waitingTags() {
        Set<String> tags = new HashSet<>();
        waiting.values().forEach(w -> tags.add(w.tag()));
        return tags;
    }

    /** How long until the first of the waiting packages is due, if any waits. */
    synchronized Optional<Duration> nextDue() {
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

    /** After each change of {@link #waiting}, under the lock. */
    private void changed() {
        size = waiting.size() + unread.size();
        listener.skipped(size);
    }
}
